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

/**
 * A string is text; a ToolResult passes through; an object is structured content plus its JSON text;
 * other values (numbers, arrays) are JSON text only, since 2025 clients accept only objects as structured content.
 */
export function toToolResult(value: unknown): ToolResult {
  if (typeof value === 'string') return textResult(value);
  if (value === undefined || value === null) return { content: [] };
  if (typeof value === 'object' && Array.isArray((value as ToolResult).content)) return value as ToolResult;
  const text = { content: [{ type: 'text', text: JSON.stringify(value) }] };
  return typeof value === 'object' && !Array.isArray(value) ? { ...text, structuredContent: value } : text;
}
