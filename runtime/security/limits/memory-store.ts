import { refill, waitMs, type Admission, type Bucket, type Lease, type LimitStore } from './store.js';

interface State {
  tokens: number;
  at: number;
  /** When the bucket is full again; past that, the entry says nothing a fresh one would not. */
  fullAt: number;
}

/** How many admissions between sweeps of full buckets (keeps per-principal keys from piling up). */
const SWEEP_EVERY = 10_000;

/** Buckets and running-call counts of this process; `now` is injectable so tests drive time by hand. */
export class MemoryStore implements LimitStore {
  private readonly buckets = new Map<string, State>();
  private readonly running = new Map<string, Set<string>>();
  private admissions = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async admit(buckets: readonly Bucket[], lease?: Lease): Promise<Admission> {
    const now = this.now();
    if (++this.admissions % SWEEP_EVERY === 0) this.sweep(now);
    const tokens = buckets.map((b) => {
      const s = this.buckets.get(b.key);
      return s ? refill(s.tokens, now - s.at, b) : b.capacity;
    });
    let failed = -1;
    let retryAfterMs = 0;
    tokens.forEach((t, i) => {
      if (t >= 1) return;
      if (failed === -1) failed = i;
      retryAfterMs = Math.max(retryAfterMs, waitMs(t, buckets[i]!));
    });
    if (failed !== -1) return { ok: false, failed, retryAfterMs };
    if (lease) {
      const set = this.running.get(lease.key) ?? new Set<string>();
      if (set.size >= lease.max) return { ok: false, failed: -1, retryAfterMs: 0 };
      set.add(lease.id);
      this.running.set(lease.key, set);
    }
    buckets.forEach((b, i) => {
      const left = tokens[i]! - 1;
      this.buckets.set(b.key, { tokens: left, at: now, fullAt: now + (b.capacity - left) / b.perMs });
    });
    return { ok: true };
  }

  async renew(): Promise<void> {
    // A process's own leases cannot outlive it: nothing to keep alive.
  }

  async release(lease: Lease): Promise<void> {
    const set = this.running.get(lease.key);
    if (!set) return;
    set.delete(lease.id);
    if (set.size === 0) this.running.delete(lease.key);
  }

  async close(): Promise<void> {
    this.buckets.clear();
    this.running.clear();
  }

  /** Number of buckets held (for tests of the sweep). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    for (const [key, s] of this.buckets) if (s.fullAt <= now) this.buckets.delete(key);
  }
}
