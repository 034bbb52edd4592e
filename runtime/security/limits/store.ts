import type { StoreHealth } from './store-health.js';

/** One token bucket to take a token from: at most `capacity` tokens, refilled at `perMs` tokens per millisecond. */
export interface Bucket {
  readonly key: string;
  readonly capacity: number;
  readonly perMs: number;
}

/** A slot among at most `max` calls running at once; held until released, or until `ttlMs` passes without renewal. */
export interface Lease {
  readonly key: string;
  readonly max: number;
  readonly id: string;
  readonly ttlMs: number;
}

/**
 * All or nothing: either every bucket gave a token and the lease (if any) was taken, or nothing changed.
 * `failed` is the index of the first bucket that had no token, or -1 when only the lease was refused;
 * `retryAfterMs` is when every empty bucket will have a token again.
 */
export type Admission = { readonly ok: true } | { readonly ok: false; readonly failed: number; readonly retryAfterMs: number };

export interface LimitStore {
  /** Shared stores: reports outages in the log (the middleware tells it about calls decided without the store). */
  readonly health?: StoreHealth;
  admit(buckets: readonly Bucket[], lease?: Lease): Promise<Admission>;
  /** Keeps a lease alive while its call runs (shared stores expire leases of crashed instances). */
  renew(lease: Lease): Promise<void>;
  release(lease: Lease): Promise<void>;
  close(): Promise<void>;
  /** Shared stores: where it is (a URL without its password) and a readiness probe (/readyz); absent for memory. */
  readonly dependency?: { readonly name: string; ready(): Promise<void> };
}

/** Tokens in a bucket `elapsed` ms after it held `tokens`. */
export function refill(tokens: number, elapsed: number, bucket: Bucket): number {
  return Math.min(bucket.capacity, tokens + Math.max(0, elapsed) * bucket.perMs);
}

/** Milliseconds until a bucket holding `tokens` has one; the epsilon keeps float noise (3600000.0000000005) from adding a millisecond. */
export function waitMs(tokens: number, bucket: Bucket): number {
  return Math.ceil((1 - tokens) / bucket.perMs - 1e-6);
}
