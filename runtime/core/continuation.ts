import { randomBytes } from 'node:crypto';
import type { ContinuationIR } from '../artifact/ir.js';
import type { ResultCache } from '../cache/result-cache.js';
import type { ToolResult } from '../kinds/kind.js';
import { textResult } from '../kinds/kind.js';
import type { Logger } from '../log.js';
import type { Principal } from './context.js';
import { partsOf, sizeOf, type Part } from './split.js';

/**
 * What a split result is kept as, in one entry of the cache store: a line of JSON saying which tool made it, whose it
 * is, the whole result's _meta and, for each part after the first, what it holds and where its text ends; then those
 * texts end to end. Such a part is its text alone, with that text's JSON as structured content when the result is
 * structured (split.ts), so a follow-up call reads the header and slices its own part: nothing is parsed but the
 * header and, for structured results, the part itself.
 */
interface Header {
  readonly tool: string;
  readonly principal: string | null;
  readonly meta?: Record<string, unknown>;
  readonly structured: boolean;
  /** Parts 1 to n-1 (0 is the first, returned at once): what each holds, and where its text ends. */
  readonly parts: { readonly shown: string; readonly end: number }[];
}

/** A part read back: the tool result, and what it holds for the note. */
type KeptPart = Pick<Part, 'result' | 'shown'>;

function keepable(header: Omit<Header, 'parts' | 'structured'>, parts: readonly Part[]): string {
  const texts = parts.slice(1).map((p) => String(p.result.content[0]?.text ?? ''));
  let end = 0;
  const kept: Header = {
    ...header,
    structured: parts[0]!.result.structuredContent !== undefined,
    parts: texts.map((text, k) => ({ shown: parts[k + 1]!.shown, end: (end += text.length) }))
  };
  return `${JSON.stringify(kept)}\n${texts.join('')}`;
}

/**
 * The header of a kept result and its part `k` (1 is the second), when it is `owner`'s (another caller's part is
 * not even read); undefined: not this caller's, or not a kept result (another version's, say).
 */
function unkeep(value: string, k: number, owner: string | null): { header: Header; part: KeptPart | undefined } | undefined {
  const line = value.indexOf('\n');
  if (line === -1) return undefined;
  try {
    const header = JSON.parse(value.slice(0, line)) as Header;
    if (header.principal !== owner || !Array.isArray(header.parts)) return undefined;
    const at = header.parts[k - 1];
    if (at === undefined) return { header, part: undefined };
    const text = value.slice(line + 1 + (header.parts[k - 2]?.end ?? 0), line + 1 + at.end);
    const result: ToolResult = {
      content: [{ type: 'text', text }],
      ...(header.structured ? { structuredContent: JSON.parse(text) as Record<string, unknown> } : {})
    };
    return { header, part: { result, shown: at.shown } };
  } catch {
    return undefined;
  }
}

/** The tool a result belongs to, as continuation needs it. */
export interface ContinuedTool {
  readonly name: string;
  readonly continuation: ContinuationIR;
}

/**
 * Whose a kept result is: the principal's name, told apart by how it authenticated (an OAuth subject and an API
 * key of the same name are different callers) and, for tokens, by issuer.
 */
const owner = (principal: Principal | undefined): string | null =>
  principal === undefined ? null : JSON.stringify([principal.canStepUp === true, principal.name, principal.claims.iss ?? null]);
const minutes = (ms: number): string => (ms >= 120_000 ? `${Math.floor(ms / 60_000)} minutes` : `${Math.floor(ms / 1000)} seconds`);

/** The parts of a result, or undefined when there is no clean cut (a value too deeply nested to walk counts as none). */
function safeParts(result: ToolResult, maxBytes: number): Part[] | undefined {
  try {
    return partsOf(result, maxBytes);
  } catch {
    return undefined;
  }
}

/** A cursor names the kept result (a random id: it cannot be guessed) and which part is next (1 is the second). */
const encode = (id: string, part: number): string => Buffer.from(JSON.stringify({ r: id, o: part })).toString('base64url');

function decode(cursor: string): { id: string; part: number } | undefined {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { r?: unknown; o?: unknown };
    if (typeof c.r === 'string' && /^[\w-]{16}$/.test(c.r) && Number.isSafeInteger(c.o) && (c.o as number) > 0)
      return { id: c.r, part: c.o as number };
  } catch {
    /* not a cursor: said below */
  }
  return undefined;
}

/** The part with the note the model reads after it: what it holds and, unless it is the last, how to get the next. */
function noted(
  part: KeptPart,
  tool: ContinuedTool,
  cursor: string | undefined,
  leftMs: number,
  wholeMeta: Record<string, unknown> | undefined
): ToolResult {
  const { argument, maxBytes } = tool.continuation;
  const note = cursor
    ? `Result split at maxResultBytes (${maxBytes} bytes): ${part.shown}. For the next part call ${tool.name} again with ` +
      `${argument}: "${cursor}" (other arguments are then ignored; kept for ${minutes(leftMs)} more).`
    : `Last part of a split result: ${part.shown}.`;
  const meta = { ...(wholeMeta ?? {}), 'io.mcp-gen/part': { shown: part.shown, ...(cursor ? { [argument]: cursor } : {}) } };
  return { ...part.result, content: [...part.result.content, { type: 'text', text: note }], _meta: meta };
}

/**
 * A tool's result within its maxResultBytes: unchanged when it fits; else its first part, the whole kept in the
 * cache store for this caller until the follow-up calls read the rest. A result with no clean place to cut is
 * returned whole with a note, and the operator is told (a `select:` would fix it).
 */
export async function firstPart(
  store: ResultCache | undefined,
  tool: ContinuedTool,
  principal: Principal | undefined,
  result: ToolResult,
  log: Logger
): Promise<ToolResult> {
  const { maxBytes, ttlMs } = tool.continuation;
  if (result.isError || sizeOf(result) <= maxBytes) return result;
  const parts = safeParts(result, maxBytes);
  const part = parts?.[0];
  if (!parts || !part) {
    log.warn(
      `tool ${tool.name}: a result of ${sizeOf(result)} bytes has no clean place to split at (no array): sent whole; a select: can trim it`
    );
    const note = `This result is over maxResultBytes (${maxBytes} bytes) and could not be split at a clean boundary: it is whole.`;
    return { ...result, content: [...result.content, { type: 'text', text: note }] };
  }
  if (parts.length === 1) return { ...part.result, ...(result._meta ? { _meta: result._meta } : {}) };
  const id = randomBytes(12).toString('base64url');
  const kept = keepable({ tool: tool.name, principal: owner(principal), ...(result._meta ? { meta: result._meta } : {}) }, parts);
  if (!store || !(await store.keep(id, kept, ttlMs))) {
    log.warn(
      `tool ${tool.name}: a split result of ${sizeOf(result)} bytes could not be kept (too large for the cache store, or it is unreachable)`
    );
    const lost = `Result split at maxResultBytes (${maxBytes} bytes): ${part.shown}. The rest could not be kept: ask for less (narrower arguments).`;
    return {
      ...part.result,
      content: [...part.result.content, { type: 'text', text: lost }],
      ...(result._meta ? { _meta: result._meta } : {})
    };
  }
  return noted(part, tool, encode(id, 1), ttlMs, result._meta);
}

/**
 * The part a cursor points to, for its caller only: another caller's cursor reads as an unknown one, so a cursor
 * seen in a log is no way into someone else's result.
 */
export async function nextPart(
  store: ResultCache | undefined,
  tool: ContinuedTool,
  principal: Principal | undefined,
  cursor: string
): Promise<ToolResult> {
  const { argument } = tool.continuation;
  const at = decode(cursor);
  if (!at) return textResult(`${argument} is not a cursor this tool gave: pass the one from a split result's note unchanged.`, true);
  const found = await store?.kept(at.id);
  const kept = found === undefined ? undefined : unkeep(found.value, at.part, owner(principal));
  if (!kept)
    return textResult(`This ${argument} has expired or is unknown: call ${tool.name} again without it to get the result anew.`, true);
  const { header, part } = kept;
  if (header.tool !== tool.name) return textResult(`This ${argument} belongs to tool ${header.tool}: call that tool with it.`, true);
  if (!part) return textResult(`${argument} is not a cursor this tool gave: pass the one from a split result's note unchanged.`, true);
  const last = at.part === header.parts.length;
  // What is left of the time it is kept: reading a part does not extend it.
  return noted(part, tool, last ? undefined : encode(at.id, at.part + 1), found!.remainingMs, header.meta);
}
