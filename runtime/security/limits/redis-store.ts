import type { Redis } from 'ioredis';
import type { Logger } from '../../log.js';
import { StoreHealth, type StoreErrorPolicy } from './store-health.js';
import type { Admission, Bucket, Lease, LimitStore } from './store.js';
import { loadRedisClient } from '../../redis-client.js';

/**
 * Takes a token from every bucket and the lease, or nothing: one script, so two instances can never both
 * take the last token. Time comes from Redis (TIME), so instances with skewed clocks still agree.
 * KEYS: the buckets, then the lease set (if any). ARGV: bucket count, capacity and rate of each bucket,
 * then the lease's max, ttl and id.
 */
const ADMIT = `
local n = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tokens = {}
local failed, wait = 0, 0
for i = 1, n do
  local cap, rate = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local s = redis.call('HMGET', KEYS[i], 't', 'at')
  local have, at = tonumber(s[1]), tonumber(s[2])
  if have == nil or at == nil then have, at = cap, now end
  have = math.min(cap, have + math.max(0, now - at) * rate)
  tokens[i] = have
  if have < 1 then
    if failed == 0 then failed = i end
    local w = math.ceil((1 - have) / rate - 1e-6)
    if w > wait then wait = w end
  end
end
if failed > 0 then return {failed, wait} end
local lease = KEYS[n + 1]
if lease then
  local max, ttl, id = tonumber(ARGV[2 * n + 2]), tonumber(ARGV[2 * n + 3]), ARGV[2 * n + 4]
  redis.call('ZREMRANGEBYSCORE', lease, '-inf', now)
  if redis.call('ZCARD', lease) >= max then return {-1, 0} end
  redis.call('ZADD', lease, now + ttl, id)
  redis.call('PEXPIRE', lease, ttl)
end
for i = 1, n do
  local cap, rate = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  redis.call('HSET', KEYS[i], 't', tostring(tokens[i] - 1), 'at', now)
  redis.call('PEXPIRE', KEYS[i], math.ceil(cap / rate) + 1000)
end
return {0, 0}
`;

/** Pushes a running call's lease expiry forward (only if it is still held). */
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1
`;

type Scripted = Redis & {
  mcpgenAdmit(...args: (string | number)[]): Promise<[number, number]>;
  mcpgenRenew(key: string, ttlMs: number, id: string): Promise<number>;
};

/** The URL without its password, for log lines. */
export function redactUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/)[^@/]*@/, '$1***@');
}

/**
 * Buckets in Redis, shared by every instance that names the same server and store. Commands fail fast while
 * Redis is down (no offline queue), so the caller can apply `onStoreError`; the client reconnects by itself.
 */
export class RedisStore implements LimitStore {
  private closed = false;

  readonly dependency: { readonly name: string; ready(): Promise<void> };

  private constructor(
    private readonly redis: Scripted,
    readonly health: StoreHealth,
    where: string
  ) {
    // No offline queue: while the client is disconnected PING fails at once; a hung server fails at commandTimeout.
    this.dependency = {
      name: `rate-limit store ${where}`,
      ready: async () => {
        // The client's own message for this case ("Stream isn't writeable…") says nothing to an operator.
        if (this.redis.status !== 'ready') throw new Error(`${this.dependency.name} unreachable: not connected (reconnecting)`);
        await this.redis.ping().catch((e: Error) => {
          throw new Error(`${this.dependency.name} unreachable: ${e.message}`);
        });
      }
    };
  }

  /** `outageReportMs`: how often an outage's summary is logged (tests shorten it). */
  static async connect(
    url: string,
    log: Logger,
    options: { onStoreError?: StoreErrorPolicy; outageReportMs?: number } = {}
  ): Promise<RedisStore> {
    const { Redis } = await loadRedisClient('limits.store');
    const redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      commandTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 250, 2000)
    }) as Scripted;
    redis.defineCommand('mcpgenAdmit', { lua: ADMIT });
    redis.defineCommand('mcpgenRenew', { numberOfKeys: 1, lua: RENEW });
    const health = new StoreHealth(redactUrl(url), log, options.onStoreError, options.outageReportMs);
    // The client reports every failed reconnection attempt: the health logs only the change.
    redis.on('error', (e: Error) => health.unreachable(e.message));
    redis.on('ready', () => health.reachable());
    // Down at start: the server still starts; calls follow onStoreError until the client reconnects.
    await redis.connect().catch(() => {});
    return new RedisStore(redis, health, redactUrl(url));
  }

  async admit(buckets: readonly Bucket[], lease?: Lease): Promise<Admission> {
    const keys = [...buckets.map((b) => b.key), ...(lease ? [lease.key] : [])];
    const args = [buckets.length, ...buckets.flatMap((b) => [b.capacity, b.perMs]), ...(lease ? [lease.max, lease.ttlMs, lease.id] : [])];
    const [failed, wait] = await this.redis.mcpgenAdmit(keys.length, ...keys, ...args);
    if (failed === 0) return { ok: true };
    return { ok: false, failed: failed === -1 ? -1 : failed - 1, retryAfterMs: wait };
  }

  async renew(lease: Lease): Promise<void> {
    await this.redis.mcpgenRenew(lease.key, lease.ttlMs, lease.id);
  }

  async release(lease: Lease): Promise<void> {
    // After close (shutdown while calls finish), the lease's expiry frees the slot.
    if (this.closed) return;
    await this.redis.zrem(lease.key, lease.id);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.health.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
