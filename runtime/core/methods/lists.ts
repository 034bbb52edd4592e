import { cacheHints } from '../cache.js';
import type { CacheHint, MethodResult } from '../envelope.js';
import { RpcError } from '../errors.js';
import type { MethodHandler } from '../services.js';
import type { ListPages } from '../../artifact/ir.js';
import { viewOf } from '../toolsets.js';

function page(pages: readonly string[], cursor: unknown, cache: CacheHint): MethodResult {
  if (cursor === undefined || cursor === '') return { raw: pages[0]!, cache };
  const index = typeof cursor === 'string' && /^\d+$/.test(cursor) ? Number(cursor) : -1;
  const found = pages[index];
  if (found === undefined) throw new RpcError('invalidParams', `invalid cursor: ${JSON.stringify(cursor)}`);
  return { raw: found, cache };
}

/** Lists that depend on the caller's scopes must not be shared by caches: they are private. */
const privateLists: CacheHint = { ...cacheHints.lists, cacheScope: 'private' };

const list =
  (key: keyof ListPages): MethodHandler =>
  (core, ctx) => {
    const { lists } = viewOf(core.views, ctx);
    return page(lists.pages(ctx.principal)[key], ctx.params.cursor, lists.filtered ? privateLists : cacheHints.lists);
  };

export const listTools = list('tools');
export const listResources = list('resources');
export const listResourceTemplates = list('resourceTemplates');
export const listPrompts = list('prompts');
