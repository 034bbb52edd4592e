import { textResult, type ToolResult } from '../kind.js';

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
