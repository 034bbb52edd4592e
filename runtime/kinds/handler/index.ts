import { textResult, type RuntimeKind, type ToolResult } from '../kind.js';

/** A compiled TypeScript/JavaScript handler, imported once at start-up. */
export const handlerKind: RuntimeKind<'handler'> = {
  async tool(exec, services, entry) {
    const mod = (await services.importModule(exec.module)) as { default?: unknown };
    const fn = mod.default;
    if (typeof fn !== 'function') throw new Error(`handler of tool "${entry.name}" has no default export function`);
    return async (args, ctx) => toToolResult(await (fn as (a: unknown, c: unknown) => unknown)(args, ctx));
  }
};

/** A string is text; a ToolResult passes through; anything else is structured content plus its JSON text. */
export function toToolResult(value: unknown): ToolResult {
  if (typeof value === 'string') return textResult(value);
  if (value === undefined || value === null) return { content: [] };
  if (typeof value === 'object' && Array.isArray((value as ToolResult).content)) return value as ToolResult;
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}
