import type { RequestContext } from './context.js';

/**
 * Why a call ended the way it did, when its answer alone does not say: a tool error may be a refused
 * argument list (`invalid`), a per-tool rate or concurrency limit (`limited`) or an authorization refusal
 * (`denied`). Whoever refuses notes it; the audit log reads it.
 */
export type NotedOutcome = 'invalid' | 'limited' | 'denied';

const notes = new WeakMap<RequestContext, NotedOutcome>();

export function noteOutcome(ctx: RequestContext, outcome: NotedOutcome): void {
  notes.set(ctx, outcome);
}

export function notedOutcome(ctx: RequestContext): NotedOutcome | undefined {
  return notes.get(ctx);
}

/** A call that went through the result cache (`cache:`): its entry (an artifact name) and whether it was a hit. */
export interface CacheNote {
  readonly entry: string;
  readonly hit: boolean;
}

const cacheNotes = new WeakMap<RequestContext, CacheNote>();

/** Metrics (hits and misses by entry) and the audit line (`cached`) read it. */
export function noteCache(ctx: RequestContext, note: CacheNote): void {
  cacheNotes.set(ctx, note);
}

export function notedCache(ctx: RequestContext): CacheNote | undefined {
  return cacheNotes.get(ctx);
}
