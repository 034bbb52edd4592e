/**
 * Both state stores (runtime/state) through one suite: what one instance writes, another (a second store object on
 * the same Redis and prefix) reads. The Redis half runs against MCPGEN_TEST_REDIS under a random prefix, removed after.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/log.js';
import { MemoryStateStore } from '../../runtime/state/memory.js';
import { openStateStore, resolveStateSetting } from '../../runtime/state/index.js';
import type { Bus, SessionRecord, StateStore } from '../../runtime/state/store.js';

const redis = process.env.MCPGEN_TEST_REDIS;
const prefix = `mcpgen-unit-${randomBytes(4).toString('hex')}:`;
const log = createLogger('error');
const opened: StateStore[] = [];

afterAll(async () => {
  if (redis) {
    const { Redis } = await import('ioredis');
    const client = new Redis(redis);
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  }
  await Promise.all(opened.map((s) => s.close()));
});

const record = (quota: string, extra: Partial<SessionRecord> = {}): SessionRecord => ({
  owner: '',
  quota,
  protocolVersion: '2025-11-25',
  clientCapabilities: {},
  initialized: false,
  subscriptions: [],
  openedAt: 1,
  ...extra
});

/** Two instances over one store: memory shares the object, Redis opens two clients on the same prefix. */
const pairs: [string, () => Promise<[StateStore, StateStore]>][] = [
  [
    'memory',
    async () => {
      const store = new MemoryStateStore(true);
      return [store, store];
    }
  ]
];
if (redis) {
  const open = async () => {
    const s = await openStateStore({ url: redis, prefix }, log);
    opened.push(s);
    return s;
  };
  pairs.push(['redis', async () => [await open(), await open()]]);
}

describe.each(pairs)('%s state store', (_name, makePair) => {
  it('keeps a session for every instance, with its record updated and then ended', async () => {
    const [a, b] = await makePair();
    const id = `s-${randomBytes(4).toString('hex')}`;
    expect(await a.createSession(id, record('q1'), 5, 60_000)).toBe('ok');
    expect(await b.session(id, 60_000)).toEqual(record('q1'));
    await b.updateSession(id, record('q1', { logLevel: 'debug', initialized: true }), 60_000);
    expect((await a.session(id, 60_000))?.logLevel).toBe('debug');
    await a.deleteSession(id, { quota: 'q1', subscriptions: [] });
    expect(await b.session(id, 60_000)).toBeUndefined();
    await b.updateSession(id, record('q1'), 60_000);
    expect(await a.session(id, 60_000)).toBeUndefined();
  });

  it('counts a quota across instances and frees a slot when a session ends', async () => {
    const [a, b] = await makePair();
    const quota = `q-${randomBytes(4).toString('hex')}`;
    const cases: { given: StateStore; want: 'ok' | 'quota' }[] = [
      { given: a, want: 'ok' },
      { given: b, want: 'ok' },
      { given: a, want: 'quota' }
    ];
    for (const [i, c] of cases.entries()) expect(await c.given.createSession(`${quota}-${i}`, record(quota), 2, 60_000)).toBe(c.want);
    expect(await b.quotaHeld(quota)).toBe(2);
    await b.deleteSession(`${quota}-0`, { quota, subscriptions: [] });
    expect(await a.createSession(`${quota}-3`, record(quota), 2, 60_000)).toBe('ok');
  });

  it('logs stream events for a resumption elsewhere and publishes them to the holder', async () => {
    const [a, b] = await makePair();
    const id = `s-${randomBytes(4).toString('hex')}`;
    const heard: Bus[] = [];
    let arrived!: () => void;
    const third = new Promise<void>((r) => (arrived = r));
    const stop = await b.listen(`s:${id}`, (m) => (heard.push(m), heard.length === 3 && arrived()));
    expect(await a.append(id, 'x1', 'one', 60_000, 1)).toBe(1);
    expect(await a.append(id, 'x1', 'two', 60_000, 2, true)).toBe(2);
    expect(await a.append(id, 'g', 'numbered by the store', 60_000)).toBe(1);
    await third;
    stop();
    expect(heard.map((m) => (m.t === 'ev' ? `${m.stream}.${m.seq}${m.final ? '!' : ''}` : m.t))).toEqual(['x1.1', 'x1.2!', 'g.1']);
    expect(await b.events(id, 'x1', 1)).toEqual({ events: [{ seq: 2, data: 'two' }], done: true });
    expect(await b.events(id, 'unknown', 0)).toBeUndefined();
  });

  it('fans a change out to the standalone stream of subscribed sessions only', async () => {
    const [a, b] = await makePair();
    const [s1, s2] = [`s-${randomBytes(4).toString('hex')}`, `s-${randomBytes(4).toString('hex')}`];
    const uri = `test://${randomBytes(4).toString('hex')}`;
    for (const s of [s1, s2]) await a.createSession(s, record('fan'), 10, 60_000);
    await a.subscribe(uri, s1, true);
    expect(await b.subscribedUris()).toContain(uri);
    await b.fanOut(uri, 'updated', 60_000);
    expect((await a.events(s1, 'g', 0))?.events).toEqual([{ seq: 1, data: 'updated' }]);
    expect(await a.events(s2, 'g', 0)).toBeUndefined();
    await b.fanOut(undefined, 'list changed', 60_000);
    expect((await a.events(s2, 'g', 0))?.events).toEqual([{ seq: 1, data: 'list changed' }]);
  });

  it('gives every instance the same requestState key', async () => {
    const [a, b] = await makePair();
    expect(a.signingKey().equals(b.signingKey())).toBe(true);
  });
});

describe('the state setting', () => {
  const cases: { name: string; flag?: string; env?: Record<string, string>; want: string }[] = [
    { name: 'memory by default', want: 'memory' },
    { name: 'the manifest', want: 'redis://m:6379' },
    { name: 'MCPGEN_STATE over the manifest', env: { MCPGEN_STATE: 'redis://e:6379' }, want: 'redis://e:6379' },
    { name: '--state over both', flag: 'rediss://f:6380', env: { MCPGEN_STATE: 'redis://e:6379' }, want: 'rediss://f:6380' },
    { name: '${VAR} resolved at start', flag: 'redis://:${PW}@h:6379', env: { PW: 'secret' }, want: 'redis://:secret@h:6379' }
  ];
  it.each(cases)('$name', ({ name, flag, env, want }) => {
    const manifest = name === 'the manifest' || name.includes('over') ? { store: 'redis://m:6379', prefix: 'p:' } : undefined;
    expect(resolveStateSetting(manifest, flag, env ?? {}).url).toBe(want);
  });

  it('refuses what is neither memory nor a Redis URL, and an unset variable', () => {
    expect(() => resolveStateSetting(undefined, 'postgres://x', {})).toThrow(/--state must be memory or a redis:\/\//);
    expect(() => resolveStateSetting({ store: '${NOPE}', prefix: 'p:' }, undefined, {})).toThrow(/state.store uses NOPE/);
  });
});

describe('limits.store with a shared state store', () => {
  const artifact = (limits: Record<string, unknown>) =>
    ({ server: { name: 'limited' }, limits: { onStoreError: 'closed', tools: {}, global: undefined, ...limits } }) as never;
  const cases: { name: string; limits: Record<string, unknown>; stateUrl?: string; want: string[] }[] = [
    {
      name: 'not written: follows the state store',
      limits: { store: 'memory', storeUnset: true },
      stateUrl: 'redis://127.0.0.1:1',
      want: ['rate-limit store redis://127.0.0.1:1']
    },
    { name: 'not written, memory state: memory', limits: { store: 'memory', storeUnset: true }, want: [] },
    { name: 'written: kept', limits: { store: 'memory' }, stateUrl: 'redis://127.0.0.1:1', want: [] }
  ];
  it.each(cases)('$name', async ({ limits, stateUrl, want }) => {
    const { LimitStores } = await import('../../runtime/security/limits/index.js');
    const stores = new LimitStores();
    await stores.middlewareFor(artifact(limits), log, {}, stateUrl);
    expect([...stores.dependencies().keys()]).toEqual(want);
    await stores.close();
  });
});
