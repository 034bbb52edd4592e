import { cacheHints } from '../cache.js';
import { RpcError } from '../errors.js';
import type { MethodHandler, CoreServices } from '../services.js';
import type { ResourceContents } from '../../kinds/kind.js';
import { matchUriTemplate } from '../../uri-template.js';
import { unknownResource } from '../unknown.js';
import { mayLearnOf, permits, visibleNames } from '../access.js';
import type { RequestContext } from '../context.js';

export const readResource: MethodHandler = async (core, ctx) => {
  const uri = ctx.params.uri;
  if (typeof uri !== 'string') throw new RpcError('invalidParams', 'resources/read needs params.uri (a string)');
  const found = await resolveRead(core, uri, ctx);
  if (!found || found.contents.length === 0)
    throw notFound(
      uri,
      ctx,
      visibleNames(
        ctx.principal,
        Array.from(core.catalog.resources.values(), (r) => r.ir),
        (r) => r.uri
      )
    );
  return { value: { contents: found.contents }, cache: found.changing ? cacheHints.fileRead : cacheHints.staticRead };
};

/** Longest URI a read looks up (RFC 7230 suggests 8,000 octets for request lines; ours are identifiers). */
export const MAX_URI_LENGTH = 16 * 1024;

/** What a read found; `changing`: its kind's resources change without a rebuild (RuntimeKind.changing). */
interface Found {
  readonly contents: ResourceContents[];
  readonly changing: boolean;
}

export async function resolveRead(core: CoreServices, uri: string, ctx: RequestContext): Promise<Found | undefined> {
  const run = <T>(target: string, scopes: readonly string[] | undefined, fn: () => Promise<T>) =>
    core.pipeline({ type: 'resource', target, arguments: {}, request: ctx, ...(scopes ? { scopes } : {}) }, fn);
  // No resource has a URI this long: not looked for, so no template scans it (a bound on request-path work).
  if (uri.length > MAX_URI_LENGTH) return undefined;
  // An entry hidden from the caller (see mayLearnOf) is skipped as if it were not there.
  const visible = (scopes: readonly string[] | undefined) => permits(ctx.principal, scopes) || mayLearnOf(ctx);
  const direct = core.catalog.resources.get(uri);
  if (direct && visible(direct.ir.scopes)) {
    const contents = await run(uri, direct.ir.scopes, () => direct.read(uri, {}, ctx));
    return contents ? { contents, changing: direct.changing } : undefined;
  }
  for (const t of core.catalog.templates) {
    const variables = matchUriTemplate(t.regex, t.ir.variables, uri);
    if (!variables || !visible(t.ir.scopes)) continue;
    const contents = await run(uri, t.ir.scopes, () => t.read(uri, variables, ctx));
    if (contents) return { contents, changing: t.changing };
  }
  return undefined;
}

export function notFound(uri: string, ctx: RequestContext, visible: Iterable<string> = []): RpcError {
  return unknownResource(uri, ctx.era, visible);
}
