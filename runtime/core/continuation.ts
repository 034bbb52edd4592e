import { randomBytes } from 'node:crypto';
import type { ContinuationIR } from '../artifact/ir.js';
import type { ResultCache } from '../cache/result-cache.js';
import type { ToolResult } from '../kinds/kind.js';
import { textResult } from '../kinds/kind.js';
import type { Logger } from '../log.js';
import type { Principal } from './context.js';
import { partOf, sizeOf, type Part } from './split.js';

/** What a split result is kept as: whose it is, which tool made it, and the whole result. */
interface Kept {
  readonly tool: string;
  readonly principal: string | null;
  readonly result: ToolResult;
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

/** The part at `offset`, or undefined when there is no clean cut (a value too deeply nested to walk counts as none). */
function safePart(result: ToolResult, offset: number, maxBytes: number): Part | undefined {
  try {
    return partOf(result, offset, maxBytes);
  } catch {
    return undefined;
  }
}

/** A cursor names the kept result (a random id: it cannot be guessed) and where the next part starts. */
const encode = (id: string, offset: number): string => Buffer.from(JSON.stringify({ r: id, o: offset })).toString('base64url');

function decode(cursor: string): { id: string; offset: number } | undefined {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { r?: unknown; o?: unknown };
    if (typeof c.r === 'string' && /^[\w-]{16}$/.test(c.r) && Number.isSafeInteger(c.o) && (c.o as number) > 0)
      return { id: c.r, offset: c.o as number };
  } catch {
    /* not a cursor: said below */
  }
  return undefined;
}

/** The part with the note the model reads after it: what it holds and, unless it is the last, how to get the next. */
function noted(part: Part, tool: ContinuedTool, cursor: string | undefined, leftMs: number, whole: ToolResult): ToolResult {
  const { argument, maxBytes } = tool.continuation;
  const note = cursor
    ? `Result split at maxResultBytes (${maxBytes} bytes): ${part.shown}. For the next part call ${tool.name} again with ` +
      `${argument}: "${cursor}" (other arguments are then ignored; kept for ${minutes(leftMs)} more).`
    : `Last part of a split result: ${part.shown}.`;
  const meta = { ...(whole._meta ?? {}), 'io.mcp-gen/part': { shown: part.shown, ...(cursor ? { [argument]: cursor } : {}) } };
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
  const part = safePart(result, 0, maxBytes);
  if (!part) {
    log.warn(
      `tool ${tool.name}: a result of ${sizeOf(result)} bytes has no clean place to split at (no array): sent whole; a select: can trim it`
    );
    const note = `This result is over maxResultBytes (${maxBytes} bytes) and could not be split at a clean boundary: it is whole.`;
    return { ...result, content: [...result.content, { type: 'text', text: note }] };
  }
  if (part.next === undefined) return { ...part.result, ...(result._meta ? { _meta: result._meta } : {}) };
  const id = randomBytes(12).toString('base64url');
  const kept: Kept = { tool: tool.name, principal: owner(principal), result };
  if (!store || !(await store.keep(id, JSON.stringify(kept), ttlMs))) {
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
  return noted(part, tool, encode(id, part.next), ttlMs, result);
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
  const { argument, maxBytes } = tool.continuation;
  const at = decode(cursor);
  if (!at) return textResult(`${argument} is not a cursor this tool gave: pass the one from a split result's note unchanged.`, true);
  const found = await store?.kept(at.id);
  const kept = found === undefined ? undefined : (JSON.parse(found.value) as Kept);
  if (!kept || kept.principal !== owner(principal))
    return textResult(`This ${argument} has expired or is unknown: call ${tool.name} again without it to get the result anew.`, true);
  if (kept.tool !== tool.name) return textResult(`This ${argument} belongs to tool ${kept.tool}: call that tool with it.`, true);
  const part = safePart(kept.result, at.offset, maxBytes);
  if (!part) return textResult(`${argument} is not a cursor this tool gave: pass the one from a split result's note unchanged.`, true);
  // What is left of the time it is kept: reading a part does not extend it.
  return noted(part, tool, part.next === undefined ? undefined : encode(at.id, part.next), found!.remainingMs, kept.result);
}
