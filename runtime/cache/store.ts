/** A cached answer and how long it has left (the result's caching hint counts down from the entry's ttl). */
export interface Cached {
  readonly value: string;
  readonly remainingMs: number;
}

/**
 * Where cached results live: this process (a byte-bounded LRU) or a store shared by every instance (Redis).
 * Values are serialised results; keys are already scoped (entry, principal, arguments).
 */
export interface CacheStore {
  get(key: string): Promise<Cached | undefined>;
  /** Stores a value for `ttlMs`; a store may drop it (too large for its bound, unreachable): then false. */
  set(key: string, value: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
  /** Shared stores: where it is (a URL without its password) and a readiness probe (/readyz); absent for memory. */
  readonly dependency?: { readonly name: string; ready(): Promise<void> };
}
