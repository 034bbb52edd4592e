import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { Cached, CacheStore } from './store.js';
import { loadRedisClient } from '../redis-client.js';

/** The URL without its password, for log lines and readiness names. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/)[^@/]*@/, '$1***@');
}

/**
 * Cached results in Redis, shared by every instance serving the same artifact: keys are `prefix` + the SHA-256 of
 * the cache key (bounded length, arguments never readable in Redis), each with its TTL (PX), so Redis expires
 * them and reports the time left (PTTL). A store that cannot be reached is a miss, never an error: the call runs
 * as if nothing were cached (logged once per outage). ioredis is loaded only when a Redis store is configured.
 */
export class RedisCacheStore implements CacheStore {
  private down = false;
  private closed = false;
  readonly dependency: { readonly name: string; ready(): Promise<void> };

  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
    where: string
  ) {
    this.dependency = {
      name: `cache store ${where}`,
      ready: async () => {
        if (this.redis.status !== 'ready') throw new Error(`${this.dependency.name} unreachable: not connected (reconnecting)`);
        await this.redis.ping().catch((e: Error) => {
          throw new Error(`${this.dependency.name} unreachable: ${e.message}`);
        });
      }
    };
  }

  /** `keyPrefix`: what every key starts with (default `mcpgen:cache:`; tests use a random one). */
  static async connect(url: string, log: Logger, options: { keyPrefix?: string } = {}): Promise<RedisCacheStore> {
    const prefix = options.keyPrefix ?? 'mcpgen:cache:';
    const { Redis } = await loadRedisClient('cache.store');
    const redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      commandTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 250, 2000)
    });
    const store = new RedisCacheStore(redis, prefix, log, redactRedisUrl(url));
    redis.on('error', (e: Error) => store.unreachable(e.message));
    redis.on('ready', () => store.reachable());
    // Down at start: the server still starts; every call is a miss until the client reconnects.
    await redis.connect().catch(() => {});
    return store;
  }

  async get(key: string): Promise<Cached | undefined> {
    try {
      // One round trip: the value and its time left.
      const replies = await this.redis.multi().get(this.keyOf(key)).pttl(this.keyOf(key)).exec();
      const value = replies?.[0]?.[1];
      const remainingMs = Number(replies?.[1]?.[1]);
      if (typeof value !== 'string' || !(remainingMs > 0)) return undefined;
      return { value, remainingMs };
    } catch (e) {
      this.unreachable((e as Error).message);
      return undefined;
    }
  }

  async set(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.closed) return false;
    return this.redis.set(this.keyOf(key), value, 'PX', ttlMs).then(
      () => true,
      (e: Error) => {
        this.unreachable(e.message);
        return false;
      }
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private keyOf(key: string): string {
    return `${this.prefix}${createHash('sha256').update(key).digest('base64url')}`;
  }

  private unreachable(reason: string): void {
    if (this.down || this.closed) return;
    this.down = true;
    this.log.warn(`${this.dependency.name} unreachable: ${reason}; calls run uncached until it is back`);
  }

  private reachable(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info(`${this.dependency.name} reachable again`);
  }
}
