import type { Cached, CacheStore } from './store.js';

/** What one entry costs besides its key and value (the Map slot and the record): a rough constant. */
const ENTRY_OVERHEAD = 64;

interface Slot {
  readonly value: string;
  readonly expiresAt: number;
  readonly bytes: number;
}

/**
 * A least-recently-used cache bounded in bytes: an entry costs its key's and value's length plus a small overhead
 * (JSON text is mostly ASCII, so characters stand for bytes). A Map keeps insertion order, so re-inserting on a
 * hit makes the first key the least recently used. One per served artifact (a `mcp-gen dev` reload starts empty).
 */
export class MemoryCacheStore implements CacheStore {
  private readonly slots = new Map<string, Slot>();
  private used = 0;

  constructor(
    readonly maxBytes: number,
    /** The clock (tests inject one; no sleeps). */
    private readonly now: () => number = Date.now
  ) {}

  /** Bytes held now (tests and the bound). */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.slots.size;
  }

  async get(key: string): Promise<Cached | undefined> {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    const remainingMs = slot.expiresAt - this.now();
    this.slots.delete(key);
    if (remainingMs <= 0) {
      this.used -= slot.bytes;
      return undefined;
    }
    this.slots.set(key, slot);
    return { value: slot.value, remainingMs };
  }

  async set(key: string, value: string, ttlMs: number): Promise<boolean> {
    const bytes = key.length + value.length + ENTRY_OVERHEAD;
    const old = this.slots.get(key);
    if (old) {
      this.slots.delete(key);
      this.used -= old.bytes;
    }
    // An entry larger than the whole bound would evict everything and still not fit.
    if (bytes > this.maxBytes || ttlMs <= 0) return false;
    this.slots.set(key, { value, expiresAt: this.now() + ttlMs, bytes });
    this.used += bytes;
    for (const [oldest, slot] of this.slots) {
      if (this.used <= this.maxBytes) break;
      this.slots.delete(oldest);
      this.used -= slot.bytes;
    }
    return true;
  }

  async close(): Promise<void> {
    this.slots.clear();
    this.used = 0;
  }
}
