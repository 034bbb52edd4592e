import { cacheHints } from '../cache.js';
import { RpcError } from '../errors.js';
import type { MethodHandler, CoreServices } from '../services.js';
import type { ResourceContents } from '../../kinds/kind.js';
import { matchUriTemplate } from '../../uri-template.js';
import { unknownResource } from '../unknown.js';
import { mayLearnOf, permits, visibleNames } from '../access.js';
import type { RequestContext } from '../context.js';
import type { CacheHint } from '../envelope.js';
import { noteCache } from '../outcome.js';
import type { CacheIR } from '../../artifact/ir.js';
import type { ResultCache, Through } from '../../cache/result-cache.js';

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
  if (found.cached) {
    noteCache(ctx, { entry: found.cached.entry, hit: found.cached.hit });
    return { value: { contents: found.contents }, cache: found.cached.hint };
  }
  return { value: { contents: found.contents }, cache: found.changing ? cacheHints.fileRead : cacheHints.staticRead };
};

/** Longest URI a read looks up (RFC 7230 suggests 8,000 octets for request lines; ours are identifiers). */
export const MAX_URI_LENGTH = 16 * 1024;

/** What a read found; `changing`: its kind's resources change without a rebuild (RuntimeKind.changing). */
interface Found {
  readonly contents: ResourceContents[];
  readonly changing: boolean;
  /** Read through the result cache (`cache:`): the entry's name, hit or miss, and the hint its time left gives. */
  readonly cached?: { readonly entry: string; readonly hit: boolean; readonly hint: CacheHint };
}

type Read = () => Promise<ResourceContents[] | undefined>;

export async function resolveRead(core: CoreServices, uri: string, ctx: RequestContext): Promise<Found | undefined> {
  const run = <T>(target: string, scopes: readonly string[] | undefined, fn: () => Promise<T>) =>
    core.pipeline({ type: 'resource', target, arguments: {}, request: ctx, ...(scopes ? { scopes } : {}) }, fn);
  // No resource has a URI this long: not looked for, so no template scans it (a bound on request-path work).
  if (uri.length > MAX_URI_LENGTH) return undefined;
  // An entry hidden from the caller (see mayLearnOf) is skipped as if it were not there.
  const visible = (scopes: readonly string[] | undefined) => permits(ctx.principal, scopes) || mayLearnOf(ctx);
  const direct = core.catalog.resources.get(uri);
  if (direct && visible(direct.ir.scopes)) {
    const read = () => direct.read(uri, {}, ctx);
    const { ir } = direct;
    if (ir.cache && core.cache) return cachedRead(core.cache, ctx, `resource:${ir.uri}`, ir, {}, (fn) => run(uri, ir.scopes, fn), read);
    const contents = await run(uri, ir.scopes, read);
    return contents ? { contents, changing: direct.changing } : undefined;
  }
  for (const t of core.catalog.templates) {
    const variables = matchUriTemplate(t.regex, t.ir.variables, uri);
    if (!variables || !visible(t.ir.scopes)) continue;
    const read = () => t.read(uri, variables, ctx);
    const { ir } = t;
    const found =
      ir.cache && core.cache
        ? await cachedRead(core.cache, ctx, `template:${ir.uriTemplate}`, ir, variables, (fn) => run(uri, ir.scopes, fn), read)
        : await run(uri, ir.scopes, read).then((contents) => (contents ? { contents, changing: t.changing } : undefined));
    if (found) return found;
  }
  return undefined;
}

/**
 * A read through the result cache, inside the pipeline (authorization and limits apply to hits). A read that
 * found nothing is not stored. The hint counts down: a hit says how long it stays fresh; `principal` scope, or an
 * entry only some callers may read, is `private` (a shared cache in between must not hand it to another caller).
 */
async function cachedRead(
  cache: ResultCache,
  ctx: RequestContext,
  key: string,
  ir: { readonly name: string; readonly cache?: CacheIR; readonly scopes?: readonly string[] },
  args: unknown,
  inPipeline: (fn: () => Promise<Through<ResourceContents[] | undefined>>) => Promise<Through<ResourceContents[] | undefined>>,
  read: Read
): Promise<Found | undefined> {
  const policy = ir.cache!;
  const r = await inPipeline(() => cache.through(key, policy, ctx.principal, args, read, (contents) => (contents?.length ?? 0) > 0));
  if (!r.value) return undefined;
  const cacheScope = policy.scope === 'principal' || ir.scopes !== undefined ? 'private' : 'public';
  const hint: CacheHint = { ttlMs: Math.max(0, Math.floor(r.remainingMs)), cacheScope };
  return { contents: r.value, changing: true, cached: { entry: ir.name, hit: r.hit, hint } };
}

export function notFound(uri: string, ctx: RequestContext, visible: Iterable<string> = []): RpcError {
  return unknownResource(uri, ctx.era, visible);
}
