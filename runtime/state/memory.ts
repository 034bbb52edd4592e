import { randomBytes } from 'node:crypto';
import { MAX_EVENTS, type Bus, type SessionRecord, type StateStore, type StoredEvent, type StoredStream } from './store.js';

interface Expiring<T> {
  value: T;
  until: number;
}

/**
 * `state.store: memory`: one process. Not `shared`, so the HTTP transport keeps its sessions itself and never calls
 * it on a request's path; it implements the whole interface all the same (the store suite, in-process tests of two
 * transports over one store). Expiry is checked when read, from `now` (tests pass a clock).
 */
export class MemoryStateStore implements StateStore {
  readonly instance = randomBytes(6).toString('hex');
  private readonly key: Buffer;
  private readonly sessions = new Map<string, Expiring<SessionRecord>>();
  private readonly quotas = new Map<string, Map<string, number>>();
  private readonly streams = new Map<string, Expiring<{ events: StoredEvent[]; done: boolean; next: number }>>();
  private readonly subscribers = new Map<string, Set<string>>();
  private readonly channels = new Map<string, Set<(m: Bus) => void>>();

  constructor(
    readonly shared = false,
    secret?: string,
    private readonly now: () => number = Date.now
  ) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  signingKey(): Buffer {
    return this.key;
  }

  async createSession(id: string, record: SessionRecord, maxPerQuota: number, ttlMs: number): Promise<'ok' | 'quota'> {
    if ((await this.quotaHeld(record.quota)) >= maxPerQuota) return 'quota';
    const until = this.now() + ttlMs;
    this.sessions.set(id, { value: record, until });
    this.quotaOf(record.quota).set(id, until);
    return 'ok';
  }

  async session(id: string, ttlMs: number): Promise<SessionRecord | undefined> {
    const entry = this.live(this.sessions, id);
    if (!entry) return undefined;
    entry.until = this.now() + ttlMs;
    this.quotas.get(entry.value.quota)?.set(id, entry.until);
    return entry.value;
  }

  async updateSession(id: string, record: SessionRecord, ttlMs: number): Promise<void> {
    const entry = this.live(this.sessions, id);
    if (entry) Object.assign(entry, { value: record, until: this.now() + ttlMs });
  }

  async deleteSession(id: string, record: Pick<SessionRecord, 'quota' | 'subscriptions'>): Promise<void> {
    this.sessions.delete(id);
    this.quotas.get(record.quota)?.delete(id);
    for (const uri of record.subscriptions) this.subscribers.get(uri)?.delete(id);
    await this.publish(`s:${id}`, { t: 'end' });
  }

  async quotaHeld(quota: string): Promise<number> {
    const slots = this.quotas.get(quota);
    if (!slots) return 0;
    const now = this.now();
    for (const [id, until] of slots) if (until <= now) slots.delete(id);
    return slots.size;
  }

  async append(session: string, stream: string, data: string, ttlMs: number, seq?: number, final = false): Promise<number> {
    const key = `${session}:${stream}`;
    let entry = this.live(this.streams, key);
    if (!entry) this.streams.set(key, (entry = { value: { events: [], done: false, next: 0 }, until: 0 }));
    const log = entry.value;
    const n = seq ?? log.next + 1;
    log.next = Math.max(log.next, n);
    log.events.push({ seq: n, data });
    if (log.events.length > MAX_EVENTS) log.events.shift();
    log.done ||= final;
    entry.until = this.now() + ttlMs;
    await this.publish(`s:${session}`, { t: 'ev', stream, seq: n, data, ...(final ? { final } : {}) });
    return n;
  }

  async events(session: string, stream: string, after: number): Promise<StoredStream | undefined> {
    const log = this.live(this.streams, `${session}:${stream}`)?.value;
    return log && { events: log.events.filter((e) => e.seq > after), done: log.done };
  }

  async subscribe(uri: string, session: string, on: boolean): Promise<void> {
    const set = this.subscribers.get(uri) ?? new Set<string>();
    if (on) this.subscribers.set(uri, set.add(session));
    else set.delete(session);
  }

  async subscribedUris(): Promise<string[]> {
    return [...this.subscribers].filter(([, s]) => s.size > 0).map(([uri]) => uri);
  }

  async fanOut(uri: string | undefined, data: string, ttlMs: number): Promise<void> {
    const targets = uri === undefined ? [...this.sessions.keys()] : [...(this.subscribers.get(uri) ?? [])];
    for (const id of targets) if (this.live(this.sessions, id)) await this.append(id, 'g', data, ttlMs);
  }

  async publish(channel: string, message: Bus): Promise<void> {
    for (const handler of [...(this.channels.get(channel) ?? [])]) handler(message);
  }

  async listen(channel: string, handler: (message: Bus) => void): Promise<() => void> {
    const set = this.channels.get(channel) ?? new Set();
    this.channels.set(channel, set.add(handler));
    return () => {
      set.delete(handler);
      if (set.size === 0) this.channels.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
  }

  private quotaOf(quota: string): Map<string, number> {
    let slots = this.quotas.get(quota);
    if (!slots) this.quotas.set(quota, (slots = new Map()));
    return slots;
  }

  private live<T>(map: Map<string, Expiring<T>>, key: string): Expiring<T> | undefined {
    const entry = map.get(key);
    if (entry && entry.until <= this.now() && entry.until !== 0) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }
}
