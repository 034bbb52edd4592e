import { describe, expect, it } from 'vitest';
import type { LimitsIR, RateIR } from '../../runtime/artifact/ir.js';
import type { RequestContext } from '../../runtime/core/context.js';
import { RpcError } from '../../runtime/core/errors.js';
import { notedOutcome } from '../../runtime/core/outcome.js';
import type { Call } from '../../runtime/core/pipeline.js';
import { createLogger } from '../../runtime/log.js';
import { createLimits } from '../../runtime/security/limits/limits.js';
import { MemoryStore } from '../../runtime/security/limits/memory-store.js';
import type { LimitStore } from '../../runtime/security/limits/store.js';
import { lowerRate } from '../../generators/lower/limits.js';
import { joined } from '../helpers/pattern.js';

const rate = (text: string, burst?: number): RateIR => lowerRate(burst === undefined ? text : { rate: text, burst })!;
const quiet = createLogger('error', () => {});

/** A hand-driven clock: tests move time, they never sleep. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('lowerRate', () => {
  it.each([
    ['1/second', { limit: 1, windowMs: 1000, burst: 1 }],
    ['60/minute', { limit: 60, windowMs: 60_000, burst: 60 }],
    ['5/hour', { limit: 5, windowMs: 3_600_000, burst: 5 }],
    ['1000/day', { limit: 1000, windowMs: 86_400_000, burst: 1000 }],
    [
      { rate: '10/minute', burst: 3 },
      { limit: 10, windowMs: 60_000, burst: 3 }
    ]
  ])('%j', (given, want) => expect(lowerRate(given)).toMatchObject(want));

  it.each(['0/minute', '10/week', '10 per minute', 10, {}])('%j is not a rate', (given) => expect(lowerRate(given)).toBeUndefined());
});

describe('MemoryStore token buckets (fake time)', () => {
  // given: a bucket and a sequence of (advance ms, expected admission); want: each admission as listed.
  const cases: { name: string; capacity: number; perMinute: number; steps: [number, boolean | number][] }[] = [
    {
      name: 'burst then refused',
      capacity: 3,
      perMinute: 3,
      steps: [
        [0, true],
        [0, true],
        [0, true],
        [0, 20_000]
      ]
    },
    {
      name: 'one token back after its share of the window',
      capacity: 2,
      perMinute: 2,
      steps: [
        [0, true],
        [0, true],
        [0, 30_000],
        [29_999, 1],
        [1, true],
        [0, 30_000]
      ]
    },
    {
      name: 'never more than the burst after a long pause',
      capacity: 2,
      perMinute: 60,
      steps: [
        [3_600_000, true],
        [0, true],
        [0, 1000]
      ]
    },
    {
      name: 'small burst, fast refill',
      capacity: 1,
      perMinute: 60,
      steps: [
        [0, true],
        [0, 1000],
        [1000, true],
        [500, 500]
      ]
    }
  ];
  it.each(cases)('$name', async ({ capacity, perMinute, steps }) => {
    const time = clock();
    const store = new MemoryStore(time.now);
    const bucket = { key: 'b', capacity, perMs: perMinute / 60_000 };
    for (const [advance, want] of steps) {
      time.advance(advance);
      const got = await store.admit([bucket]);
      if (want === true) expect(got).toEqual({ ok: true });
      else expect(got).toEqual({ ok: false, failed: 0, retryAfterMs: want === false ? expect.any(Number) : want });
    }
  });

  it('takes from every bucket or from none', async () => {
    const store = new MemoryStore(clock().now);
    const wide = { key: 'wide', capacity: 10, perMs: 1 / 60_000 };
    const narrow = { key: 'narrow', capacity: 1, perMs: 1 / 60_000 };
    expect(await store.admit([wide, narrow])).toEqual({ ok: true });
    expect(await store.admit([wide, narrow])).toMatchObject({ ok: false, failed: 1 });
    // the refused admission left `wide` alone: 9 tokens remain
    for (let i = 0; i < 9; i++) expect(await store.admit([wide])).toEqual({ ok: true });
    expect(await store.admit([wide])).toMatchObject({ ok: false, failed: 0 });
  });

  it('reports the first empty bucket and the longest wait', async () => {
    const store = new MemoryStore(clock().now);
    const a = { key: 'a', capacity: 1, perMs: 1 / 1000 };
    const b = { key: 'b', capacity: 1, perMs: 1 / 10_000 };
    await store.admit([a, b]);
    expect(await store.admit([a, b])).toEqual({ ok: false, failed: 0, retryAfterMs: 10_000 });
  });

  it('counts running calls per lease key and frees a slot on release', async () => {
    const store = new MemoryStore(clock().now);
    const lease = (id: string) => ({ key: 'run:t', max: 2, id, ttlMs: 30_000 });
    expect(await store.admit([], lease('1'))).toEqual({ ok: true });
    expect(await store.admit([], lease('2'))).toEqual({ ok: true });
    expect(await store.admit([], lease('3'))).toEqual({ ok: false, failed: -1, retryAfterMs: 0 });
    await store.renew();
    await store.release(lease('1'));
    expect(await store.admit([], lease('3'))).toEqual({ ok: true });
    await store.release(lease('2'));
    await store.release(lease('3'));
    await store.release(lease('9'));
    expect(await store.admit([], lease('4'))).toEqual({ ok: true });
  });

  it('a busy lease takes no token', async () => {
    const store = new MemoryStore(clock().now);
    const bucket = { key: 'b', capacity: 1, perMs: 1 / 60_000 };
    const lease = (id: string) => ({ key: 'run', max: 1, id, ttlMs: 30_000 });
    await store.admit([], lease('holder'));
    expect(await store.admit([bucket], lease('x'))).toMatchObject({ ok: false, failed: -1 });
    expect(await store.admit([bucket])).toEqual({ ok: true });
  });

  it('sweeps full buckets so per-principal keys do not pile up', async () => {
    const time = clock();
    const store = new MemoryStore(time.now);
    for (let i = 0; i < 9_999; i++) await store.admit([{ key: `p${i}`, capacity: 5, perMs: 1 / 1000 }]);
    expect(store.size).toBe(9_999);
    time.advance(10_000);
    await store.admit([{ key: 'last', capacity: 5, perMs: 1 / 1000 }]);
    expect(store.size).toBe(1);
    await store.close();
    expect(store.size).toBe(0);
  });
});

function request(principal?: string): RequestContext {
  return {
    era: 'modern',
    id: 1,
    method: 'tools/call',
    params: {},
    protocolVersion: '2026-07-28',
    clientCapabilities: {},
    logLevel: undefined,
    legacy: undefined,
    signal: new AbortController().signal,
    notify: () => {},
    ...(principal ? { principal: { name: principal, scopes: [], claims: {} } } : {})
  };
}
const toolCall = (target: string, principal?: string, ctx = request(principal)): Call => ({
  type: 'tool',
  target,
  arguments: {},
  request: ctx
});
const ok = async () => ({ content: [{ type: 'text', text: 'ran' }] });
const config = (over: Partial<LimitsIR>): LimitsIR => ({ store: 'memory', onStoreError: 'closed', tools: {}, ...over });

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    const r = (await p) as { isError?: boolean; content: { text: string }[] };
    return r.isError ? `tool error: ${r.content[0]!.text}` : 'ran';
  } catch (e) {
    if (e instanceof RpcError) return `rpc ${e.code} ${e.httpStatus} retry-after=${e.headers?.['retry-after']} ${e.message}`;
    throw e;
  }
}

describe('limits middleware', () => {
  // given: limits and a sequence of calls (tool, principal); want: what each call gets.
  const tables: { name: string; limits: Partial<LimitsIR>; calls: [string, string | undefined][]; want: RegExp[] }[] = [
    {
      name: 'global limit: 429 before the call, for everyone',
      limits: { global: rate('2/minute') },
      calls: [
        ['a', 'ann'],
        ['b', 'bob'],
        ['a', 'cid']
      ],
      want: [
        /^ran$/,
        /^ran$/,
        /^rpc -32029 429 retry-after=30 Too many requests: the limit is 2\/minute for all callers together; retry in 30 seconds$/
      ]
    },
    {
      name: 'per-principal limit: each caller has its own bucket; anonymous callers share one',
      limits: { principal: rate('1/hour') },
      calls: [
        ['a', 'ann'],
        ['a', 'bob'],
        ['a', 'ann'],
        ['a', undefined],
        ['a', undefined]
      ],
      want: [/^ran$/, /^ran$/, /^rpc -32029 429 retry-after=3600 .*1\/hour for each caller/, /^ran$/, /^rpc -32029 429/]
    },
    {
      name: 'per-tool limit: a tool error that says when to retry',
      limits: { tool: rate('1/minute') },
      calls: [
        ['a', 'ann'],
        ['b', 'ann'],
        ['a', 'bob']
      ],
      want: [
        /^ran$/,
        /^ran$/,
        joined(
          /^tool error: Rate limit reached for tool a \(1\/minute for this tool, all callers together\)\. /,
          /Retry in 60 seconds \(after \d{4}-.*Z\)/
        )
      ]
    },
    {
      name: 'per-principal-and-tool limit with a per-tool override',
      limits: { principalTool: rate('5/minute'), tools: { a: { principalTool: rate('1/minute') } } },
      calls: [
        ['a', 'ann'],
        ['a', 'bob'],
        ['a', 'ann'],
        ['b', 'ann'],
        ['b', 'ann']
      ],
      want: [/^ran$/, /^ran$/, /^tool error: .*1\/minute for this tool, for each caller/, /^ran$/, /^ran$/]
    },
    {
      name: 'global wins over a per-tool limit reached at the same time',
      limits: { global: rate('1/minute'), tool: rate('1/minute') },
      calls: [
        ['a', 'ann'],
        ['a', 'ann']
      ],
      want: [/^ran$/, /^rpc -32029/]
    }
  ];
  it.each(tables)('$name', async ({ limits, calls, want }) => {
    const time = clock();
    const { middleware } = createLimits(config(limits), new MemoryStore(time.now), { namespace: 'test', log: quiet });
    const got: string[] = [];
    for (const [tool, who] of calls) got.push(await outcome(middleware(toolCall(tool, who), ok)));
    got.forEach((g, i) => expect(g).toMatch(want[i]!));
  });

  it.each([
    { given: ['mcpgen:', 'mcpgen:'], want: ['ran', 'tool error'] },
    { given: ['deploy-a:', 'deploy-b:'], want: ['ran', 'ran'] }
  ])('keeps buckets of deployments with the same server name apart by state.prefix: $given → $want', async ({ given, want }) => {
    const store = new MemoryStore(clock().now);
    const got: string[] = [];
    for (const keyPrefix of given) {
      const { middleware } = createLimits(config({ tool: rate('1/minute') }), store, { namespace: 'same', keyPrefix, log: quiet });
      got.push((await outcome(middleware(toolCall('a'), ok))).replace(/^tool error.*/, 'tool error'));
    }
    expect(got).toEqual(want);
  });

  it('notes the outcome for the audit log', async () => {
    const { middleware } = createLimits(config({ tool: rate('1/minute') }), new MemoryStore(clock().now), { namespace: 't', log: quiet });
    await middleware(toolCall('a'), ok);
    const ctx = request();
    await middleware(toolCall('a', undefined, ctx), ok);
    expect(notedOutcome(ctx)).toBe('limited');
  });

  it('takes request-wide tokens once per request (a read tried against several templates)', async () => {
    const { middleware } = createLimits(config({ global: rate('2/minute') }), new MemoryStore(clock().now), { namespace: 't', log: quiet });
    const ctx = request();
    const read = (c: RequestContext): Call => ({ type: 'resource', target: 'docs://x', arguments: {}, request: c });
    for (let i = 0; i < 3; i++) await middleware(read(ctx), ok);
    expect(await outcome(middleware(read(request()), ok))).toBe('ran');
    expect(await outcome(middleware(read(request()), ok))).toMatch(/^rpc -32029/);
  });

  it('limits concurrency per tool and frees the slot when a call ends, even by throwing', async () => {
    const { middleware } = createLimits(config({ concurrency: 5, tools: { slow: { concurrency: 1 } } }), new MemoryStore(clock().now), {
      namespace: 't',
      log: quiet
    });
    let finish!: () => void;
    const running = middleware(toolCall('slow'), () => new Promise((r) => (finish = () => r({ content: [] }))));
    await new Promise((r) => setImmediate(r));
    expect(await outcome(middleware(toolCall('slow'), ok))).toMatch(
      /^tool error: Tool slow is busy: 1 call\(s\) of it are already running, its limit\. Retry in a few seconds/
    );
    expect(await outcome(middleware(toolCall('other'), ok))).toBe('ran');
    finish();
    await running;
    await expect(middleware(toolCall('slow'), () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await outcome(middleware(toolCall('slow'), ok))).toBe('ran');
  });

  it('lets resources and prompts through per-tool limits', async () => {
    const { middleware } = createLimits(config({ tool: rate('1/hour'), concurrency: 1 }), new MemoryStore(clock().now), {
      namespace: 't',
      log: quiet
    });
    for (let i = 0; i < 3; i++)
      expect(await outcome(middleware({ type: 'prompt', target: 'p', arguments: {}, request: request() }, ok))).toBe('ran');
  });

  describe('store failures', () => {
    const broken: LimitStore = {
      admit: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6390')),
      renew: async () => {},
      release: async () => {},
      close: async () => {}
    };
    it('closed (default): refused with a clear JSON-RPC error, 503 and Retry-After', async () => {
      const warnings: string[] = [];
      const log = createLogger('warn', (l) => warnings.push(l), 'pretty');
      const { middleware } = createLimits(config({ global: rate('9/minute') }), broken, { namespace: 't', log });
      expect(await outcome(middleware(toolCall('a'), ok))).toBe(
        'rpc -32030 503 retry-after=5 Service unavailable: rate limits cannot be checked right now; retry in 5 seconds'
      );
      expect(warnings).toEqual([
        'mcp-gen warn: rate-limit store unreachable: connect ECONNREFUSED 127.0.0.1:6390; calls are ' +
          'refused (-32030, HTTP 503) until it is back (limits.onStoreError: closed)\n'
      ]);
    });
    it('open: the call runs, unlimited, and the log says so once', async () => {
      const warnings: string[] = [];
      const log = createLogger('warn', (l) => warnings.push(l), 'pretty');
      const { middleware } = createLimits(config({ global: rate('9/minute'), onStoreError: 'open' }), broken, { namespace: 't', log });
      expect(await outcome(middleware(toolCall('a'), ok))).toBe('ran');
      expect(await outcome(middleware(toolCall('a'), ok))).toBe('ran');
      expect(warnings).toEqual([
        'mcp-gen warn: rate-limit store unreachable: connect ECONNREFUSED 127.0.0.1:6390; calls run ' +
          'without rate limits until it is back (limits.onStoreError: open)\n'
      ]);
    });
  });

  it('without any limit for the call, goes straight through', async () => {
    const store: LimitStore = {
      admit: () => Promise.reject(new Error('not called')),
      renew: async () => {},
      release: async () => {},
      close: async () => {}
    };
    const { middleware } = createLimits(config({}), store, { namespace: 't', log: quiet });
    expect(await outcome(middleware(toolCall('a'), ok))).toBe('ran');
  });
});
