import { describe, expect, it } from 'vitest';
import { cacheKey, canonicalJson } from '../../runtime/cache/key.js';
import { MemoryCacheStore } from '../../runtime/cache/memory-store.js';
import { ResultCache } from '../../runtime/cache/result-cache.js';
import { ResultCaches } from '../../runtime/cache/index.js';
import { cacheStoreOf } from '../../runtime/cache/default-store.js';
import type { Artifact } from '../../runtime/artifact/ir.js';
import { ArtifactError, type LoadedArtifact } from '../../runtime/artifact/load.js';
import { createLogger } from '../../runtime/log.js';

/** A hand-driven clock: tests move time, they never sleep. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: { d: [1, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[1,{"y":2,"z":1}]}}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    ['text', '"text"'],
    [[3, 2, 1], '[3,2,1]']
  ])('%j → %s', (given, want) => expect(canonicalJson(given)).toBe(want));

  it('names the same entry whatever the key order', () => {
    expect(cacheKey('tool:t', null, { x: 1, y: [1, 2] })).toBe(cacheKey('tool:t', null, { y: [1, 2], x: 1 }));
  });

  it.each([
    ['another principal', cacheKey('tool:t', 'b', { x: 1 })],
    ['no principal', cacheKey('tool:t', null, { x: 1 })],
    ['another entry', cacheKey('tool:u', 'a', { x: 1 })],
    ['other arguments', cacheKey('tool:t', 'a', { x: 2 })],
    ['a name that looks like a separator', cacheKey('tool:t","a', null, { x: 1 })]
  ])('differs for %s', (_what, other) => expect(other).not.toBe(cacheKey('tool:t', 'a', { x: 1 })));
});

describe('MemoryCacheStore', () => {
  it('gives the time left, and nothing once the TTL has passed', async () => {
    const time = clock();
    const store = new MemoryCacheStore(10_000, time.now);
    await store.set('k', 'v', 60_000);
    expect(await store.get('k')).toEqual({ value: 'v', remainingMs: 60_000 });
    time.advance(59_999);
    expect(await store.get('k')).toEqual({ value: 'v', remainingMs: 1 });
    time.advance(1);
    expect(await store.get('k')).toBeUndefined();
    expect(store.bytes).toBe(0);
  });

  it('evicts the least recently used entries past its byte bound', async () => {
    // Each entry: key (1) + value (35) + overhead (64) = 100 bytes; the bound holds three.
    const store = new MemoryCacheStore(300, clock().now);
    const value = 'x'.repeat(35);
    for (const k of ['a', 'b', 'c']) await store.set(k, value, 1000);
    expect(store.bytes).toBe(300);
    await store.get('a'); // a is now the most recently used: b goes first
    await store.set('d', value, 1000);
    expect([await store.get('a'), await store.get('b'), await store.get('c'), await store.get('d')].map(Boolean)).toEqual([
      true,
      false,
      true,
      true
    ]);
    expect(store.bytes).toBeLessThanOrEqual(300);
  });

  it('drops an entry larger than its whole bound, and replaces one stored again', async () => {
    const store = new MemoryCacheStore(200, clock().now);
    await store.set('small', 'v', 1000);
    await store.set('big', 'x'.repeat(500), 1000);
    expect(await store.get('big')).toBeUndefined();
    expect(await store.get('small')).toBeDefined();
    await store.set('small', 'w', 1000);
    expect(store.size).toBe(1);
    expect((await store.get('small'))?.value).toBe('w');
  });
});

/** A run the test finishes by hand, to hold calls in flight. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ResultCache', () => {
  const policy = { ttlMs: 60_000, scope: 'principal' } as const;
  const alice = { name: 'alice', scopes: [], claims: {} };
  const bob = { name: 'bob', scopes: [], claims: {} };
  const ok = (text: string) => ({ content: [{ type: 'text', text }] });
  const notError = (r: { isError?: boolean }) => r.isError !== true;

  it('answers the second identical call from the cache', async () => {
    const cache = new ResultCache(new MemoryCacheStore(1 << 20), 'ns:');
    let runs = 0;
    const run = async () => ok(`run ${++runs}`);
    const first = await cache.through('tool:t', policy, alice, { a: 1 }, run, notError);
    const second = await cache.through('tool:t', policy, alice, { a: 1 }, run, notError);
    expect([first.hit, second.hit, second.value]).toEqual([false, true, ok('run 1')]);
  });

  it('never stores isError results', async () => {
    const cache = new ResultCache(new MemoryCacheStore(1 << 20), '');
    let runs = 0;
    const run = async () => ({ ...ok(`failed ${++runs}`), isError: true });
    await cache.through('tool:t', policy, alice, {}, run, notError);
    const again = await cache.through('tool:t', policy, alice, {}, run, notError);
    expect([again.hit, runs]).toEqual([false, 2]);
  });

  it('keeps principals apart in principal scope, and shares in shared scope', async () => {
    const cache = new ResultCache(new MemoryCacheStore(1 << 20), '');
    const run = (who: string) => async () => ok(who);
    await cache.through('tool:t', policy, alice, {}, run('alice'), notError);
    expect((await cache.through('tool:t', policy, bob, {}, run('bob'), notError)).value).toEqual(ok('bob'));
    const shared = { ttlMs: 1000, scope: 'shared' } as const;
    await cache.through('tool:s', shared, alice, {}, run('alice'), notError);
    expect((await cache.through('tool:s', shared, bob, {}, run('bob'), notError)).value).toEqual(ok('alice'));
  });

  it('runs identical concurrent misses once (single flight)', async () => {
    const cache = new ResultCache(new MemoryCacheStore(1 << 20), '');
    const gate = deferred<void>();
    let runs = 0;
    const run = async () => {
      runs++;
      await gate.promise;
      return ok('rows');
    };
    const calls = [1, 2, 3].map(() => cache.through('tool:t', policy, alice, { q: 1 }, run, notError));
    gate.resolve();
    const results = await Promise.all(calls);
    expect(runs).toBe(1);
    expect(results.map((r) => r.hit)).toEqual([false, true, true]);
    expect(results.every((r) => JSON.stringify(r.value) === JSON.stringify(ok('rows')))).toBe(true);
  });

  it('lets each waiter run its own call when the first one is not stored', async () => {
    const cache = new ResultCache(new MemoryCacheStore(1 << 20), '');
    const gate = deferred<void>();
    let runs = 0;
    const run = async () => {
      const n = ++runs;
      if (n === 1) await gate.promise;
      return { ...ok(`failed ${n}`), isError: true };
    };
    const calls = [1, 2].map(() => cache.through('tool:t', policy, alice, {}, run, notError));
    gate.resolve();
    const results = await Promise.all(calls);
    expect(runs).toBe(2);
    expect(results.map((r) => r.hit)).toEqual([false, false]);
  });

  it('forgets a flight whose run threw, and passes the error on', async () => {
    const cache = new ResultCache(new MemoryCacheStore(1 << 20), '');
    const failing = async (): Promise<{ isError?: boolean }> => {
      throw new Error('boom');
    };
    await expect(cache.through('tool:t', policy, alice, {}, failing, notError)).rejects.toThrow('boom');
    const after = await cache.through('tool:t', policy, alice, {}, async () => ok('fine'), notError);
    expect(after.hit).toBe(false);
  });
});

describe('ResultCaches (the store each served artifact gets)', () => {
  const quiet = createLogger('error', () => {});
  const loaded = (artifact: Partial<Artifact>, generation = 0) =>
    ({
      generation,
      artifact: {
        server: { name: 's' },
        tools: [],
        resources: [{ cache: { ttlMs: 1000, scope: 'shared' } }],
        resourceTemplates: [],
        ...artifact
      }
    }) as unknown as LoadedArtifact;

  it.each([
    ['no cache.store and no limits: memory', {}, 'memory'],
    ['limits.store a Redis URL: that store', { limits: { store: 'redis://r:6379' } }, 'redis://r:6379'],
    ['limits.store a ${VAR}: that store', { limits: { store: '${REDIS}' } }, '${REDIS}'],
    ['limits.store memory: memory', { limits: { store: 'memory' } }, 'memory'],
    ['cache.store wins', { cache: { store: 'memory', maxBytes: 1 }, limits: { store: 'redis://r' } }, 'memory']
  ])('default store: %s', (_name, given, want) => expect(cacheStoreOf(given as unknown as Artifact)).toBe(want));

  it('gives each artifact a fresh memory cache, and none when no entry is cached', async () => {
    const caches = new ResultCaches({});
    const first = await caches.forArtifact(loaded({ cache: { maxBytes: 4096 } }), quiet);
    const second = await caches.forArtifact(loaded({ cache: { maxBytes: 4096 } }, 1), quiet);
    expect(first?.store).toBeInstanceOf(MemoryCacheStore);
    expect(second?.store).not.toBe(first?.store);
    expect(await caches.forArtifact(loaded({ resources: [] }), quiet)).toBeUndefined();
    expect(caches.dependencies().size).toBe(0);
  });

  it.each([
    ['a variable that is not set', '${NOPE}', 'cache.store uses NOPE, which is not set: set it, or use store: memory'],
    ['a URL that is not Redis', '${URL}', 'cache.store must be memory or a redis:// URL, got "http://x"']
  ])('refuses to start with %s', async (_name, store, message) => {
    const caches = new ResultCaches({ URL: 'http://x' });
    await expect(caches.forArtifact(loaded({ cache: { store, maxBytes: 4096 } }), quiet)).rejects.toThrow(new ArtifactError(message));
  });
});
