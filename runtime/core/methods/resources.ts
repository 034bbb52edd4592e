import { cacheHints } from '../cache.js';
import { RpcError } from '../errors.js';
import type { MethodHandler, CoreServices } from '../services.js';
import type { ResourceContents } from '../../kinds/kind.js';
import { matchUriTemplate } from '../../uri-template.js';
import type { RequestContext } from '../context.js';
import { resolve } from 'node:path';
import { inside } from '../../kinds/file/index.js';

export const readResource: MethodHandler = async (core, ctx) => {
  const uri = ctx.params.uri;
  if (typeof uri !== 'string') throw new RpcError('invalidParams', 'resources/read needs params.uri (a string)');
  const found = await resolveRead(core, uri, ctx);
  if (!found || found.contents.length === 0) throw notFound(uri, ctx);
  return { value: { contents: found.contents }, cache: found.fromFile ? cacheHints.fileRead : cacheHints.staticRead };
};

async function resolveRead(core: CoreServices, uri: string, ctx: RequestContext): Promise<{ contents: ResourceContents[]; fromFile: boolean } | undefined> {
  const run = <T>(target: string, fn: () => Promise<T>) => core.pipeline({ type: 'resource', target, arguments: {}, request: ctx }, fn);
  const direct = core.catalog.resources.get(uri);
  if (direct) {
    const contents = await run(uri, () => direct.read(uri, {}));
    return contents ? { contents, fromFile: direct.ir.exec.kind === 'file' } : undefined;
  }
  for (const t of core.catalog.templates) {
    const variables = matchUriTemplate(t.regex, t.ir.variables, uri);
    if (!variables) continue;
    const contents = await run(uri, () => t.read(uri, variables));
    if (contents) return { contents, fromFile: t.ir.exec.kind === 'file' };
  }
  return undefined;
}

function notFound(uri: string, ctx: RequestContext): RpcError {
  return ctx.era === 'legacy'
    ? new RpcError('resourceNotFoundLegacy', `Resource not found: ${uri}`, { uri })
    : new RpcError('invalidParams', `Resource not found: ${uri}`, { uri });
}

/** The file behind a URI, when it is file-backed (what a subscription watches). */
async function watchedPath(core: CoreServices, uri: string): Promise<string | undefined | false> {
  const direct = core.catalog.resources.get(uri);
  if (direct) return direct.ir.exec.kind === 'file' ? resolve(core.root, direct.ir.exec.path) : undefined;
  for (const t of core.catalog.templates) {
    const variables = matchUriTemplate(t.regex, t.ir.variables, uri);
    if (!variables) continue;
    if (t.ir.exec.kind !== 'file') return undefined;
    return (await inside(resolve(core.root, t.ir.exec.root), Object.values(variables)[0] ?? '')) ?? false;
  }
  return false;
}

export const subscribe: MethodHandler = async (core, ctx) => {
  const uri = ctx.params.uri;
  if (typeof uri !== 'string') throw new RpcError('invalidParams', 'resources/subscribe needs params.uri (a string)');
  const path = await watchedPath(core, uri);
  if (path === false) throw notFound(uri, ctx);
  if (ctx.legacy?.push) core.subscriptions.subscribe(uri, path, ctx.legacy.push);
  return { value: {} };
};

export const unsubscribe: MethodHandler = (core, ctx) => {
  const uri = ctx.params.uri;
  if (typeof uri !== 'string') throw new RpcError('invalidParams', 'resources/unsubscribe needs params.uri (a string)');
  if (ctx.legacy?.push) core.subscriptions.unsubscribe(uri, ctx.legacy.push);
  return { value: {} };
};
