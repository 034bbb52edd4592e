import { cacheHints } from '../cache.js';
import type { MethodResult } from '../envelope.js';
import { RpcError } from '../errors.js';
import type { MethodHandler } from '../services.js';
import type { ListPages } from '../../artifact/ir.js';

function page(pages: readonly string[], cursor: unknown): MethodResult {
  if (cursor === undefined || cursor === '') return { raw: pages[0]!, cache: cacheHints.lists };
  const index = typeof cursor === 'string' && /^\d+$/.test(cursor) ? Number(cursor) : -1;
  const found = pages[index];
  if (found === undefined) throw new RpcError('invalidParams', `invalid cursor: ${JSON.stringify(cursor)}`);
  return { raw: found, cache: cacheHints.lists };
}

const list =
  (key: keyof ListPages): MethodHandler =>
  (core, ctx) =>
    page(core.lists[key], ctx.params.cursor);

export const listTools = list('tools');
export const listResources = list('resources');
export const listResourceTemplates = list('resourceTemplates');
export const listPrompts = list('prompts');
