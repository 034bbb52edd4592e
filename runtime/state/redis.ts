import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { APPEND, CREATE, FANOUT, SESSION, UPDATE } from './redis-scripts.js';
import { MAX_EVENTS, type Bus, type SessionRecord, type StateStore, type StoredStream } from './store.js';
import { loadRedisClient } from '../redis-client.js';

type Scripted = Redis & {
  mcpgenCreate(s: string, q: string, all: string, record: string, max: number, ttl: number, id: string): Promise<number>;
  mcpgenSession(s: string, all: string, ttl: number, id: string): Promise<string | null>;
  mcpgenUpdate(s: string, record: string, ttl: number): Promise<number>;
  mcpgenAppend(...args: (string | number)[]): Promise<number>;
  mcpgenFanout(key: string, ...args: (string | number)[]): Promise<number>;
};

/** The URL without its password, for log lines and /readyz. */
export const redactStateUrl = (url: string): string => url.replace(/^(rediss?:\/\/)[^@/]*@/, '$1***@');

/**
 * Every client option bounds a call: no offline queue (while disconnected a command fails at once instead of
 * waiting), a command timeout (a hung server fails after 2 s) and no retries per request; the connection itself
 * reconnects for ever, so recovery needs nobody.
 */
const OPTIONS = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2000,
  commandTimeout: 2000,
  autoResubscribe: false,
  retryStrategy: (attempt: number) => Math.min(attempt * 250, 2000)
} as const;

/**
 * `state.store: redis://…` (rediss:// for TLS): sessions, stream logs and subscriptions under `prefix`, with TTLs,
 * and pub/sub between instances (a second connection, as Redis requires for a subscriber).
 */
export class RedisStateStore implements StateStore {
  readonly shared = true;
  readonly instance = randomBytes(6).toString('hex');
  readonly dependency: { readonly name: string; ready(): Promise<void> };
  private key: Buffer;
  /** Whether the signing key came from MCPGEN_STATE_KEY or Redis (else a per-process one until Redis answers). */
  private keyShared: boolean;
  private readonly handlers = new Map<string, Set<(m: Bus) => void>>();
  private down: number | undefined;
  private closed = false;

  private constructor(
    private readonly redis: Scripted,
    private readonly sub: Redis,
    readonly url: string,
    private readonly prefix: string,
    private readonly where: string,
    private readonly log: Logger,
    secret: string | undefined
  ) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
    this.keyShared = secret !== undefined;
    this.dependency = {
      name: `state store ${where}`,
      ready: async () => {
        if (this.redis.status !== 'ready') throw new Error(`${this.dependency.name} unreachable: not connected (reconnecting)`);
        await this.redis.ping();
      }
    };
  }

  /** Never throws for an unreachable Redis: the server starts, /readyz says 503 and the client keeps reconnecting. */
  static async connect(url: string, prefix: string, log: Logger, secret?: string): Promise<RedisStateStore> {
    const { Redis } = await loadRedisClient('state.store');
    const redis = new Redis(url, OPTIONS) as Scripted;
    redis.defineCommand('mcpgenCreate', { numberOfKeys: 3, lua: CREATE });
    redis.defineCommand('mcpgenSession', { numberOfKeys: 2, lua: SESSION });
    redis.defineCommand('mcpgenUpdate', { numberOfKeys: 1, lua: UPDATE });
    redis.defineCommand('mcpgenAppend', { numberOfKeys: 0, lua: APPEND });
    redis.defineCommand('mcpgenFanout', { numberOfKeys: 1, lua: FANOUT });
    const store = new RedisStateStore(redis, new Redis(url, OPTIONS), url, prefix, redactStateUrl(url), log, secret);
    store.watchHealth();
    await Promise.all([redis.connect().catch(() => {}), store.sub.connect().catch(() => {})]);
    await store.shareKey();
    return store;
  }

  signingKey(): Buffer {
    return this.key;
  }

  async createSession(id: string, record: SessionRecord, maxPerQuota: number, ttlMs: number): Promise<'ok' | 'quota'> {
    const kept = await this.redis.mcpgenCreate(
      this.k(`s:${id}`),
      this.k(`q:${record.quota}`),
      this.k('sessions'),
      JSON.stringify(record),
      maxPerQuota,
      ttlMs,
      id
    );
    return kept === 1 ? 'ok' : 'quota';
  }

  async session(id: string, ttlMs: number): Promise<SessionRecord | undefined> {
    const text = await this.redis.mcpgenSession(this.k(`s:${id}`), this.k('sessions'), ttlMs, id);
    return text ? (JSON.parse(text) as SessionRecord) : undefined;
  }

  async updateSession(id: string, record: SessionRecord, ttlMs: number): Promise<void> {
    await this.redis.mcpgenUpdate(this.k(`s:${id}`), JSON.stringify(record), ttlMs);
  }

  async deleteSession(id: string, record: Pick<SessionRecord, 'quota' | 'subscriptions'>): Promise<void> {
    const batch = this.redis
      .multi()
      .del(this.k(`s:${id}`))
      .zrem(this.k(`q:${record.quota}`), id)
      .zrem(this.k('sessions'), id);
    for (const uri of record.subscriptions) batch.srem(this.k(`sub:${uri}`), id);
    await batch.publish(this.k(`ch:s:${id}`), JSON.stringify({ t: 'end' } satisfies Bus)).exec();
  }

  async quotaHeld(quota: string): Promise<number> {
    const key = this.k(`q:${quota}`);
    const [seconds, micros] = await this.redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    return this.redis.zcount(key, now, '+inf');
  }

  append(session: string, stream: string, data: string, ttlMs: number, seq?: number, final = false): Promise<number> {
    return this.redis.mcpgenAppend(this.prefix, session, stream, data, ttlMs, seq ?? '', final ? '1' : '', MAX_EVENTS);
  }

  async events(session: string, stream: string, after: number): Promise<StoredStream | undefined> {
    const entries = await this.redis.lrange(this.k(`ev:${session}:${stream}`), 0, -1);
    if (entries.length === 0) return undefined;
    const parsed = entries.map((e) => JSON.parse(e) as { q: number; d: string; f?: 1 });
    return { events: parsed.filter((e) => e.q > after).map((e) => ({ seq: e.q, data: e.d })), done: parsed.some((e) => e.f === 1) };
  }

  async subscribe(uri: string, session: string, on: boolean): Promise<void> {
    if (on)
      await this.redis
        .multi()
        .sadd(this.k(`sub:${uri}`), session)
        .sadd(this.k('uris'), uri)
        .exec();
    else await this.redis.srem(this.k(`sub:${uri}`), session);
  }

  subscribedUris(): Promise<string[]> {
    return this.redis.smembers(this.k('uris'));
  }

  async fanOut(uri: string | undefined, data: string, ttlMs: number): Promise<void> {
    const key = uri === undefined ? this.k('sessions') : this.k(`sub:${uri}`);
    await this.redis.mcpgenFanout(key, this.prefix, data, ttlMs, MAX_EVENTS, uri === undefined ? 'z' : '');
  }

  async publish(channel: string, message: Bus): Promise<void> {
    await this.redis.publish(this.k(`ch:${channel}`), JSON.stringify(message));
  }

  async listen(channel: string, handler: (message: Bus) => void): Promise<() => void> {
    const name = this.k(`ch:${channel}`);
    let set = this.handlers.get(name);
    if (!set) {
      this.handlers.set(name, (set = new Set()));
      try {
        await this.sub.subscribe(name);
      } catch (e) {
        this.handlers.delete(name);
        throw e;
      }
    }
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size > 0 || this.handlers.get(name) !== set) return;
      this.handlers.delete(name);
      if (this.sub.status === 'ready') void this.sub.unsubscribe(name).catch(() => {});
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.redis, this.sub].map((c) => c.quit().catch(() => c.disconnect())));
  }

  private k(key: string): string {
    return `${this.prefix}${key}`;
  }

  /** One line when Redis goes, one when it is back (the client reports every failed attempt: only changes are logged). */
  private watchHealth(): void {
    const lost = (e: Error) => {
      if (this.down !== undefined || this.closed) return;
      this.down = Date.now();
      this.log.warn(
        `state store ${this.where} unreachable: ${e.message}; 2025 sessions cannot start or continue until it is back ` +
          '(2026-07-28 requests are still served); reconnecting'
      );
    };
    this.redis.on('error', lost);
    this.sub.on('error', lost);
    this.redis.on('ready', () => {
      if (this.down !== undefined)
        this.log.info(`state store ${this.where} reachable again after ${Math.round((Date.now() - this.down) / 1000)} s`);
      this.down = undefined;
      void this.shareKey();
    });
    // Channels are subscribed again by hand: those whose first SUBSCRIBE failed too (ioredis knows only the others).
    this.sub.on('ready', () => {
      if (this.handlers.size > 0) void this.sub.subscribe(...this.handlers.keys()).catch(() => {});
    });
    this.sub.on('message', (channel: string, text: string) => {
      const set = this.handlers.get(channel);
      if (!set) return;
      const message = JSON.parse(text) as Bus;
      for (const h of [...set]) h(message);
    });
  }

  /** The requestState key every instance uses: the first instance's random one, kept in Redis (SET NX). */
  private async shareKey(): Promise<void> {
    if (this.keyShared) return;
    const candidate = randomBytes(32).toString('base64');
    try {
      const [, [, value]] = (await this.redis.multi().set(this.k('secret'), candidate, 'NX').get(this.k('secret')).exec()) as [
        unknown,
        [unknown, string]
      ];
      this.key = Buffer.from(value, 'base64');
      this.keyShared = true;
    } catch {
      // Unreachable: this process's own key until the 'ready' event tries again.
    }
  }
}
