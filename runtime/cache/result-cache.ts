import type { CacheIR } from '../artifact/ir.js';
import type { Principal } from '../core/context.js';
import { cacheKey } from './key.js';
import type { Cached, CacheStore } from './store.js';

/** An entry's `cache:` as the artifact stores it. */
export type CachePolicy = CacheIR;

/** What a call through the cache got: the result, whether it came from the cache, and how long it stays fresh. */
export interface Through<T> {
  readonly value: T;
  readonly hit: boolean;
  readonly remainingMs: number;
}

/**
 * The result cache of one served artifact. It sits inside the per-call pipeline, around the kind's work only:
 * authorization, rate limits and argument validation have run before, so a hit is refused exactly as a miss is.
 * Only results `cacheable` accepts are stored (never errors or `isError` results). Identical misses that arrive
 * while the first is still running wait for it (single flight) rather than all running the query; if the first
 * one's result is not stored (an error), each runs its own.
 */
export class ResultCache {
  private readonly flights = new Map<string, Promise<string | undefined>>();

  constructor(
    readonly store: CacheStore,
    /** Keeps artifacts apart in a shared store: the server, what it serves, and the dev reload generation. */
    private readonly namespace: string
  ) {}

  /** A split result kept whole for the calls that read its next parts (runtime/core/continuation.ts); false: not kept. */
  keep(id: string, value: string, ttlMs: number): Promise<boolean> {
    return this.store.set(`${this.namespace}part:${id}`, value, ttlMs);
  }

  kept(id: string): Promise<Cached | undefined> {
    return this.store.get(`${this.namespace}part:${id}`);
  }

  async through<T>(
    entry: string,
    policy: CachePolicy,
    principal: Principal | undefined,
    args: unknown,
    run: () => Promise<T>,
    cacheable: (result: T) => boolean
  ): Promise<Through<T>> {
    const key = `${this.namespace}${cacheKey(entry, policy.scope === 'principal' ? (principal?.name ?? null) : null, args)}`;
    const cached = await this.store.get(key);
    if (cached) return { value: JSON.parse(cached.value) as T, hit: true, remainingMs: cached.remainingMs };
    const flight = this.flights.get(key);
    if (flight) {
      const value = await flight;
      if (value !== undefined) return { value: JSON.parse(value) as T, hit: true, remainingMs: policy.ttlMs };
      return { value: await run(), hit: false, remainingMs: policy.ttlMs };
    }
    let settle!: (value: string | undefined) => void;
    this.flights.set(key, new Promise((resolve) => (settle = resolve)));
    let stored: string | undefined;
    try {
      const value = await run();
      if (cacheable(value)) {
        stored = JSON.stringify(value);
        await this.store.set(key, stored, policy.ttlMs);
      }
      return { value, hit: false, remainingMs: policy.ttlMs };
    } finally {
      this.flights.delete(key);
      settle(stored);
    }
  }
}
