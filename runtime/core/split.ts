import type { ToolResult } from '../kinds/kind.js';

type Obj = Record<string, unknown>;
type Content = ToolResult['content'][number];

/** Bytes kept free in each part for the note that follows it (its words, the cursor, the tool's name). */
export const NOTE_BYTES = 512;

/** One part of a result: what the model reads now, where the next part starts, and how to describe what it holds. */
export interface Part {
  readonly result: ToolResult;
  /** The offset of the next part; undefined: this is the last. */
  readonly next: number | undefined;
  /** e.g. `items 1-50 of 1,200 (of items)` or `lines 1-340 of 9,000`. */
  readonly shown: string;
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const count = (n: number): string => n.toLocaleString('en-US');

/** The text the model reads of a result: its text blocks, joined by a newline. */
function textOf(result: ToolResult): string {
  return result.content
    .filter((c) => c.type === 'text')
    .map((c) => String((c as { text?: unknown }).text ?? ''))
    .join('\n');
}

/** What a result costs the model's context: its text, or its structured content when that is larger. */
export function sizeOf(result: ToolResult): number {
  const text = bytes(textOf(result));
  return result.structuredContent === undefined ? text : Math.max(text, bytes(JSON.stringify(result.structuredContent)));
}

/** The JSON value a result carries: its structured content, else its only text block when that is a JSON array or object. */
function jsonOf(result: ToolResult): { value: unknown; structured: boolean } | undefined {
  const texts = result.content.filter((c) => c.type === 'text');
  const text = texts.length === 1 ? String((texts[0] as { text?: unknown }).text ?? '') : '';
  // Parts rebuild the text from the structured content: only when the text is its JSON (not a summary beside it).
  if (result.structuredContent !== undefined)
    return texts.length === 0 || /^\s*[[{]/.test(text) ? { value: result.structuredContent, structured: true } : undefined;
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return { value: JSON.parse(text), structured: false };
  } catch {
    return undefined;
  }
}

/** An integer literal (16 digits or more, not part of a fraction or exponent) that JSON.parse would round. */
function hasUnsafeInteger(text: string): boolean {
  for (const m of text.matchAll(/(?<![\d.eE])\d{16,}(?![\d.eE])/g)) if (String(Number(m[0])) !== m[0]) return true;
  return false;
}

/** The path of the array to cut: the value itself, else the largest array reached through objects (3 levels at most). */
function arrayPath(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.length > 1 ? [] : undefined;
  let best: { path: string[]; size: number } | undefined;
  const walk = (v: unknown, path: string[]): void => {
    if (!isObject(v) || path.length >= 3) return;
    for (const [key, child] of Object.entries(v)) {
      if (Array.isArray(child) && child.length > 1) {
        const size = bytes(JSON.stringify(child));
        if (!best || size > best.size) best = { path: [...path, key], size };
      } else walk(child, [...path, key]);
    }
  };
  walk(value, []);
  return best?.path;
}

const arrayAt = (value: unknown, path: readonly string[]): unknown[] =>
  path.reduce<unknown>((v, key) => (v as Obj)[key], value) as unknown[];

/** `value` with the array at `path` replaced by `items` (copied along the path only). */
function withArray(value: unknown, path: readonly string[], items: unknown[]): unknown {
  if (path.length === 0) return items;
  const [key, ...rest] = path as [string, ...string[]];
  return { ...(value as Obj), [key]: withArray((value as Obj)[key], rest, items) };
}

/** Items from `offset` while the part stays within `budget` bytes (one at least, so every part moves on). */
function itemsPart(
  found: { value: unknown; structured: boolean },
  path: string[],
  offset: number,
  budget: number,
  others: Content[]
): Part {
  const all = arrayAt(found.value, path);
  let used = bytes(JSON.stringify(withArray(found.value, path, [])));
  let end = offset;
  while (end < all.length) {
    const item = bytes(JSON.stringify(all[end]) ?? 'null') + (end > offset ? 1 : 0);
    if (end > offset && used + item > budget) break;
    used += item;
    end++;
  }
  const value = withArray(found.value, path, all.slice(offset, end));
  // The path's keys come from the result (an upstream's data): the note stays short whatever they are.
  const named = path.join('.');
  const where = path.length > 0 ? ` (of ${named.length > 80 ? `${named.slice(0, 79)}…` : named})` : '';
  return {
    result: {
      content: [{ type: 'text', text: JSON.stringify(value) }, ...others],
      ...(found.structured ? { structuredContent: value as Obj } : {})
    },
    next: end < all.length ? end : undefined,
    shown: `items ${count(offset + 1)}-${count(end)} of ${count(all.length)}${where}`
  };
}

/** Where a text part ends: after its last whole line within `budget` bytes, else at a space, else at a character. */
function textEnd(text: string, offset: number, budget: number): number {
  let used = 0;
  let end = offset;
  while (end < text.length) {
    const nl = text.indexOf('\n', end);
    const lineEnd = nl === -1 ? text.length : nl + 1;
    const line = bytes(text.slice(end, lineEnd));
    if (used + line > budget) break;
    used += line;
    end = lineEnd;
  }
  if (end > offset || end === text.length) return end;
  // One line longer than the budget: as many whole characters as fit, back to a space in their second half.
  let cut = offset;
  let size = 0;
  for (const ch of text.slice(offset, offset + budget)) {
    size += bytes(ch);
    if (size > budget) break;
    cut += ch.length;
  }
  const space = text.lastIndexOf(' ', cut - 1);
  return space > offset + (cut - offset) / 2 ? space + 1 : Math.max(cut, offset + 1);
}

const lineAt = (text: string, index: number): number => {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
};

function textPart(text: string, offset: number, budget: number, others: Content[]): Part {
  const end = textEnd(text, offset, budget);
  const last = lineAt(text, Math.max(offset, end - 1));
  const midLine = end < text.length && text[end - 1] !== '\n';
  return {
    result: { content: [{ type: 'text', text: text.slice(offset, end) }, ...others] },
    next: end < text.length ? end : undefined,
    shown: `lines ${count(lineAt(text, offset))}-${count(last)} of ${count(lineAt(text, text.endsWith('\n') ? text.length - 1 : text.length))}${midLine ? ` (line ${count(last)} goes on in the next part)` : ''}`
  };
}

/**
 * The part of `result` that starts at `offset`, within `maxBytes` with its note: the items of its largest array
 * (its JSON value's), else the lines of its text. The same result and offset always give the same part, so a
 * follow-up call only needs the kept result and the offset. Undefined: no clean place to cut (structured content
 * with no array to cut between, whose text cannot be cut without losing it), or an offset past the end. A text that
 * holds an integer beyond 2^53 is cut at lines, never rebuilt from its parsed value (which would round it). Blocks that are not text
 * (images, resources) come with the first part.
 */
export function partOf(result: ToolResult, offset: number, maxBytes: number): Part | undefined {
  const budget = Math.max(maxBytes - NOTE_BYTES, 256);
  const others = offset === 0 ? result.content.filter((c) => c.type !== 'text') : [];
  // Integers beyond 2^53 do not survive JSON.parse: a text holding one is never rebuilt from its parsed value.
  const found = hasUnsafeInteger(textOf(result)) ? undefined : jsonOf(result);
  const path = found === undefined ? undefined : arrayPath(found.value);
  // What is around the array comes with every part: when it is most of the budget, cutting the array cannot help.
  if (found && path && bytes(JSON.stringify(withArray(found.value, path, []))) <= budget / 2) {
    const whole = arrayAt(found.value, path);
    return Number.isSafeInteger(offset) && offset >= 0 && offset < whole.length
      ? itemsPart(found, path, offset, budget, others)
      : undefined;
  }
  // Cutting the text would drop the structured content (or break the tool's outputSchema): not a clean cut.
  if (result.structuredContent !== undefined) return undefined;
  const text = textOf(result);
  return Number.isSafeInteger(offset) && offset >= 0 && offset < text.length ? textPart(text, offset, budget, others) : undefined;
}
