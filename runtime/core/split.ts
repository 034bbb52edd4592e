import type { ToolResult } from '../kinds/kind.js';

type Obj = Record<string, unknown>;
type Content = ToolResult['content'][number];

/** Bytes kept free in each part for the note that follows it (its words, the cursor, the tool's name). */
export const NOTE_BYTES = 512;

/**
 * One part of a result: what the model reads now, where the next part starts, and how to describe what it holds.
 * Every part after the first is one text block, with, when the result is structured, that text's JSON value as its
 * structured content (what continuation.ts keeps relies on it).
 */
export interface Part {
  readonly result: ToolResult;
  /** The offset of the next part; undefined: this is the last. */
  readonly next: number | undefined;
  /** e.g. `items 1-50 of 1,200 (of items)` or `lines 1-340 of 9,000`. */
  readonly shown: string;
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
/** 1234567 → `1,234,567` (toLocaleString goes through ICU: many times slower, and a result can have thousands of parts). */
function count(n: number): string {
  const digits = String(n);
  let out = '';
  for (let i = 0; i < digits.length; i++) out += (i > 0 && (digits.length - i) % 3 === 0 ? ',' : '') + digits[i];
  return out;
}

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

/** Where a text's lines start, so that the line an index is on is a binary search, not a scan from the start. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line `index` is on. */
function lineAt(starts: readonly number[], index: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= index) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

function textPart(text: string, starts: readonly number[], offset: number, budget: number, others: Content[]): Part {
  const end = textEnd(text, offset, budget);
  const last = lineAt(starts, Math.max(offset, end - 1));
  const midLine = end < text.length && text[end - 1] !== '\n';
  return {
    result: { content: [{ type: 'text', text: text.slice(offset, end) }, ...others] },
    next: end < text.length ? end : undefined,
    shown: `lines ${count(lineAt(starts, offset))}-${count(last)} of ${count(lineAt(starts, text.endsWith('\n') ? text.length - 1 : text.length))}${midLine ? ` (line ${count(last)} goes on in the next part)` : ''}`
  };
}

/** How a result is cut: where its parts can start (0 up to `end`) and the part from one of them. */
interface Cutter {
  readonly end: number;
  at(offset: number, others: Content[]): Part;
}

/** The items of its JSON value's largest array, else the lines of its text; undefined: no clean place to cut. */
function cutterOf(result: ToolResult, budget: number): Cutter | undefined {
  // Integers beyond 2^53 do not survive JSON.parse: a text holding one is never rebuilt from its parsed value.
  const found = hasUnsafeInteger(textOf(result)) ? undefined : jsonOf(result);
  const path = found === undefined ? undefined : arrayPath(found.value);
  // What is around the array comes with every part: when it is most of the budget, cutting the array cannot help.
  if (found && path && bytes(JSON.stringify(withArray(found.value, path, []))) <= budget / 2)
    return { end: arrayAt(found.value, path).length, at: (offset, others) => itemsPart(found, path, offset, budget, others) };
  // Cutting the text would drop the structured content (or break the tool's outputSchema): not a clean cut.
  if (result.structuredContent !== undefined) return undefined;
  const text = textOf(result);
  const starts = lineStarts(text);
  return { end: text.length, at: (offset, others) => textPart(text, starts, offset, budget, others) };
}

/**
 * `result` in parts, each within `maxBytes` with its note: the items of its largest array (its JSON value's), else
 * the lines of its text. The result is parsed and measured once for all its parts, so that the calls that read the
 * next parts only fetch one. Undefined: no clean place to cut (structured content with no array to cut between,
 * whose text cannot be cut without losing it, or nothing to cut). A text that holds an integer beyond 2^53 is cut at
 * lines, never rebuilt from its parsed value (which would round it). Blocks that are not text (images, resources)
 * come with the first part.
 */
export function partsOf(result: ToolResult, maxBytes: number): Part[] | undefined {
  const cutter = cutterOf(result, Math.max(maxBytes - NOTE_BYTES, 256));
  if (cutter === undefined || cutter.end === 0) return undefined;
  const parts = [
    cutter.at(
      0,
      result.content.filter((c) => c.type !== 'text')
    )
  ];
  for (let next = parts[0]!.next; next !== undefined; next = parts.at(-1)!.next) parts.push(cutter.at(next, []));
  return parts;
}
