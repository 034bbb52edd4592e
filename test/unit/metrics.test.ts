/**
 * Prometheus metrics (runtime/observe/metrics*.ts): label values come only from fixed sets or the artifact, whatever
 * the requests send; the kinds' instruments are one per definition; GET /metrics answers with the exposition, behind
 * a bearer token when one is set. Each server instance has its own registry.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../runtime/core/context.js';
import { RpcError, rpcErrors, type RpcErrorName } from '../../runtime/core/errors.js';
import type { RequestOutcome } from '../../runtime/core/telemetry.js';
import { MAX_SERIES } from '../../runtime/observe/metric-series.js';
import { createMetricsEndpoint } from '../../runtime/observe/metrics-endpoint.js';
import { createMetricsTelemetry, type MetricsTelemetry } from '../../runtime/observe/metrics.js';
import { LEGACY_VERSIONS, MODERN_VERSIONS } from '../../runtime/sdk.js';
import { parseExposition, sampleValue, type Exposition } from '../helpers/prometheus.js';

const OPERATION = 'mcp_server_operation_duration_seconds';
const knownMethods = ['initialize', 'ping', 'tools/list', 'tools/call', 'resources/read', 'prompts/get', 'server/discover'];
const declaredTools = ['echo', 'greet'];
const versions: string[] = [...MODERN_VERSIONS, ...LEGACY_VERSIONS];
const errorNames = Object.keys(rpcErrors) as RpcErrorName[];

const channels: Record<string, Channel> = {
  stdio: { transport: 'stdio', legacy: undefined, notify: () => {} },
  http: { transport: 'http', legacy: undefined, notify: () => {} },
  embedded: { legacy: undefined, notify: () => {} }
};

function observe(metrics: MetricsTelemetry, method: string, target: string | undefined, channel: Channel, outcome: RequestOutcome): void {
  metrics.begin({ id: 1, method, params: {}, era: 'modern', channel, target }).end(outcome);
}

async function scrape(metrics: MetricsTelemetry): Promise<Exposition> {
  return parseExposition(await metrics.registry.metrics());
}

describe('request metrics', () => {
  it('labels only with known methods, declared tools, RPC error names and served versions, whatever is sent', async () => {
    const metrics = createMetricsTelemetry({ processMetrics: false });
    const request = fc.record({
      method: fc.oneof(fc.constantFrom(...knownMethods), fc.string({ maxLength: 40 })),
      // The core gives a target only for a declared tool or prompt (see McpCore.declaredTarget).
      target: fc.option(fc.constantFrom(...declaredTools), { nil: undefined }),
      channel: fc.constantFrom(...Object.values(channels)),
      version: fc.option(fc.oneof(fc.constantFrom(...versions), fc.string({ maxLength: 20 })), { nil: undefined }),
      error: fc.option(fc.oneof(fc.constantFrom(...errorNames), fc.string({ maxLength: 20 })), { nil: undefined }),
      toolError: fc.boolean()
    });
    fc.assert(
      fc.property(request, (r) => {
        // An error name outside the table cannot be constructed: the shape alone stands for a future one.
        const error = r.error === undefined ? undefined : ({ name: r.error, message: 'x' } as unknown as RpcError);
        observe(metrics, r.method, r.target, r.channel, {
          ...(error ? { error } : {}),
          toolError: r.toolError,
          ...(r.version !== undefined ? { protocolVersion: r.version } : {})
        });
      }),
      { numRuns: 500 }
    );
    const allowed: Record<string, Set<string>> = {
      mcp_method_name: new Set([...knownMethods, 'resources/list', 'resources/templates/list', 'completion/complete', '_OTHER']),
      gen_ai_tool_name: new Set(['', ...declaredTools, '_unknown']),
      error_type: new Set(['', 'tool_error', '_OTHER', ...errorNames.map((n) => String(rpcErrors[n].code))]),
      network_transport: new Set(['', 'pipe', 'tcp']),
      mcp_protocol_version: new Set(['', '_OTHER', ...versions])
    };
    const samples = (await scrape(metrics)).samples.filter((s) => s.name === `${OPERATION}_count`);
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) for (const [label, values] of Object.entries(allowed)) expect(values).toContain(s.labels[label]);
  });

  interface Case {
    readonly name: string;
    readonly method: string;
    readonly target?: string;
    readonly channel: Channel;
    readonly outcome: RequestOutcome;
    readonly want: Record<string, string>;
    readonly rateLimited?: string;
  }
  const cases: Case[] = [
    {
      name: 'a tool call over HTTP',
      method: 'tools/call',
      target: 'echo',
      channel: channels.http!,
      outcome: { protocolVersion: '2026-07-28' },
      want: {
        mcp_method_name: 'tools/call',
        gen_ai_tool_name: 'echo',
        error_type: '',
        network_transport: 'tcp',
        mcp_protocol_version: '2026-07-28'
      }
    },
    {
      name: 'an undeclared tool',
      method: 'tools/call',
      channel: channels.stdio!,
      outcome: { error: new RpcError('invalidParams', 'no such tool'), protocolVersion: '2025-11-25' },
      want: { gen_ai_tool_name: '_unknown', error_type: '-32602', network_transport: 'pipe' }
    },
    {
      name: 'a tool error',
      method: 'tools/call',
      target: 'greet',
      channel: channels.stdio!,
      outcome: { toolError: true, protocolVersion: '2025-06-18' },
      want: { gen_ai_tool_name: 'greet', error_type: 'tool_error', mcp_protocol_version: '2025-06-18' }
    },
    {
      name: 'an unknown method and version',
      method: 'evil/../method',
      channel: channels.http!,
      outcome: { error: new RpcError('methodNotFound', 'x'), protocolVersion: '1999-01-01' },
      want: { mcp_method_name: '_OTHER', gen_ai_tool_name: '', error_type: '-32601', mcp_protocol_version: '_OTHER' }
    },
    {
      name: 'a prompt (no tool label)',
      method: 'prompts/get',
      target: 'review',
      channel: channels.embedded!,
      outcome: {},
      want: { mcp_method_name: 'prompts/get', gen_ai_tool_name: '', network_transport: '', mcp_protocol_version: '' }
    },
    {
      name: 'a per-principal rate limit',
      method: 'tools/call',
      target: 'echo',
      channel: channels.http!,
      outcome: { error: new RpcError('rateLimited', 'x', { limit: 'principal' }) },
      want: { error_type: '-32029' },
      rateLimited: 'principal'
    },
    {
      name: 'a per-tool rate limit',
      method: 'tools/call',
      target: 'echo',
      channel: channels.http!,
      outcome: { toolError: true, limited: true },
      want: { error_type: 'tool_error' },
      rateLimited: 'tool'
    }
  ];
  it.each(cases)('$name', async (c) => {
    const metrics = createMetricsTelemetry({ processMetrics: false });
    observe(metrics, c.method, c.target, c.channel, c.outcome);
    const scraped = await scrape(metrics);
    expect(sampleValue(scraped, `${OPERATION}_count`, c.want)).toBe(1);
    expect(sampleValue(scraped, 'mcpgen_rate_limited_total')).toBe(c.rateLimited ? 1 : undefined);
    if (c.rateLimited) expect(sampleValue(scraped, 'mcpgen_rate_limited_total', { scope: c.rateLimited })).toBe(1);
  });

  it('counts requests in flight until they end, and puts durations in the right buckets', async () => {
    const metrics = createMetricsTelemetry({ processMetrics: false });
    const running = metrics.begin({ id: 1, method: 'ping', params: {}, era: 'legacy', channel: channels.stdio!, target: undefined });
    expect(sampleValue(await scrape(metrics), 'mcpgen_requests_in_flight')).toBe(1);
    running.end({});
    const scraped = await scrape(metrics);
    expect(sampleValue(scraped, 'mcpgen_requests_in_flight')).toBe(0);
    expect(scraped.types.get(OPERATION)).toBe('histogram');
    expect(sampleValue(scraped, `${OPERATION}_bucket`, { mcp_method_name: 'ping', le: '+Inf' })).toBe(1);
    expect(sampleValue(scraped, `${OPERATION}_bucket`, { mcp_method_name: 'ping', le: '300' })).toBe(1);
  });

  it('keeps each server apart: two telemetries, two registries', async () => {
    const [a, b] = [createMetricsTelemetry({ processMetrics: false }), createMetricsTelemetry({ processMetrics: false })];
    observe(a, 'ping', undefined, channels.stdio!, {});
    expect(sampleValue(await scrape(a), `${OPERATION}_count`)).toBe(1);
    expect(sampleValue(await scrape(b), `${OPERATION}_count`)).toBeUndefined();
  });

  it("includes Node's process metrics unless asked not to", async () => {
    expect(await createMetricsTelemetry().registry.metrics()).toContain('process_cpu_seconds_total');
    expect(await createMetricsTelemetry({ processMetrics: false }).registry.metrics()).not.toContain('process_cpu_seconds_total');
  });
});

describe("the kinds' instruments", () => {
  const definition = { name: 'mcpgen_test_seconds', help: 'Test', labelNames: ['source'] as const, buckets: [0.1, 1] };

  it('gives the same metric for the same definition (an artifact swap asks again), and refuses a clash', async () => {
    const metrics = createMetricsTelemetry({ processMetrics: false });
    const first = metrics.kinds.histogram(definition);
    expect(metrics.kinds.histogram(definition)).toBe(first);
    expect(() => metrics.kinds.counter({ name: definition.name, help: 'x', labelNames: ['source'] })).toThrow(/already defined/);
    first({ source: 'db' }, 0.5);
    const scraped = await scrape(metrics);
    expect(sampleValue(scraped, 'mcpgen_test_seconds_bucket', { source: 'db', le: '0.1' })).toBe(0);
    expect(sampleValue(scraped, 'mcpgen_test_seconds_bucket', { source: 'db', le: '1' })).toBe(1);
    expect(sampleValue(scraped, 'mcpgen_test_seconds_sum', { source: 'db' })).toBe(0.5);
  });

  it('counts', async () => {
    const metrics = createMetricsTelemetry({ processMetrics: false });
    const add = metrics.kinds.counter({ name: 'mcpgen_test_total', help: 'Test', labelNames: ['source'] });
    add({ source: 'a' });
    add({ source: 'a' }, 2);
    expect(sampleValue(await scrape(metrics), 'mcpgen_test_total', { source: 'a' })).toBe(3);
  });

  it('sums the readers of a gauge at scrape time until each stops', async () => {
    const metrics = createMetricsTelemetry({ processMetrics: false });
    const gauge = { name: 'mcpgen_test_pool', help: 'Test', labelNames: ['source', 'state'] as const };
    let used = 2;
    const stopOld = metrics.kinds.gauge(gauge, () => [[{ source: 'db', state: 'used' }, used]]);
    const stopNew = metrics.kinds.gauge(gauge, () => [[{ source: 'db', state: 'used' }, 1]]);
    metrics.kinds.gauge(gauge, () => {
      throw new Error('a source being disposed');
    });
    expect(sampleValue(await scrape(metrics), 'mcpgen_test_pool', { source: 'db', state: 'used' })).toBe(3);
    used = 5;
    stopNew();
    expect(sampleValue(await scrape(metrics), 'mcpgen_test_pool', { source: 'db', state: 'used' })).toBe(5);
    stopOld();
    expect(sampleValue(await scrape(metrics), 'mcpgen_test_pool')).toBeUndefined();
  });

  it('folds label sets past the bound into one series', async () => {
    const metrics = createMetricsTelemetry({ processMetrics: false });
    const add = metrics.kinds.counter({ name: 'mcpgen_many_total', help: 'Test', labelNames: ['source', 'outcome'] });
    for (let i = 0; i < MAX_SERIES + 50; i++) add({ source: `s${i}`, outcome: 'ok' });
    const series = (await scrape(metrics)).samples.filter((s) => s.name === 'mcpgen_many_total');
    expect(series.length).toBe(MAX_SERIES + 1);
    expect(sampleValue(await scrape(metrics), 'mcpgen_many_total', { source: '_OTHER', outcome: '_OTHER' })).toBe(50);
  });

  it('runs spans as plain work and injects nothing (tracing is another part)', async () => {
    const metrics = createMetricsTelemetry({ processMetrics: false });
    const headers = {};
    expect(
      await metrics.kinds.span(undefined, 'x', {}, async (span) => {
        span.inject(headers);
        return span.context ?? 42;
      })
    ).toBe(42);
    expect(headers).toEqual({});
  });
});

describe('transport metrics', () => {
  it('counts sessions, refusals, streams and rejected callers', async () => {
    const metrics = createMetricsTelemetry({ processMetrics: false });
    const t = metrics.transport;
    t.sessionOpened();
    t.sessionOpened();
    t.sessionEnded(42, '2025-11-25');
    t.sessionRefused('quota');
    t.streamOpened();
    t.streamOpened();
    t.streamClosed();
    t.authRejected('invalid_credentials');
    t.authRejected('not a reason' as never);
    const scraped = await scrape(metrics);
    const given: [string, Record<string, string>, number][] = [
      ['mcpgen_sessions_active', {}, 1],
      ['mcp_server_session_duration_seconds_count', { network_transport: 'tcp', mcp_protocol_version: '2025-11-25' }, 1],
      ['mcp_server_session_duration_seconds_bucket', { le: '30' }, 0],
      ['mcp_server_session_duration_seconds_bucket', { le: '60' }, 1],
      ['mcpgen_sessions_refused_total', { reason: 'quota' }, 1],
      ['mcpgen_sse_streams_open', {}, 1],
      ['mcpgen_auth_rejections_total', { reason: 'invalid_credentials' }, 1],
      ['mcpgen_auth_rejections_total', { reason: '_OTHER' }, 1]
    ];
    for (const [name, labels, want] of given) expect(sampleValue(scraped, name, labels), `${name} ${JSON.stringify(labels)}`).toBe(want);
  });
});

describe('GET /metrics', () => {
  const servers: Server[] = [];
  const origins: Record<'open' | 'protected', string> = { open: '', protected: '' };

  beforeAll(async () => {
    const metrics = createMetricsTelemetry({ processMetrics: false });
    observe(metrics, 'ping', undefined, channels.http!, {});
    for (const [name, token] of [
      ['open', undefined],
      ['protected', 's3cret-token']
    ] as const) {
      const server = createServer(createMetricsEndpoint(metrics.registry, token ? { token } : {}));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      servers.push(server);
      origins[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
  });

  const cases: { name: string; server: 'open' | 'protected'; method?: string; authorization?: string; status: number; body?: RegExp }[] = [
    { name: 'GET', server: 'open', status: 200, body: /mcp_server_operation_duration_seconds_count/ },
    { name: 'HEAD', server: 'open', method: 'HEAD', status: 200, body: /^$/ },
    { name: 'POST', server: 'open', method: 'POST', status: 405 },
    { name: 'no token', server: 'protected', status: 401 },
    { name: 'a wrong token', server: 'protected', authorization: 'Bearer s3cret-tokeN', status: 401 },
    { name: 'a token of another length', server: 'protected', authorization: 'Bearer s3', status: 401 },
    { name: 'Basic', server: 'protected', authorization: 'Basic czNjcmV0LXRva2Vu', status: 401 },
    {
      name: 'the token',
      server: 'protected',
      authorization: 'Bearer s3cret-token',
      status: 200,
      body: /# TYPE mcpgen_requests_in_flight gauge/
    },
    { name: 'the token, lower-case scheme', server: 'protected', authorization: 'bearer s3cret-token', status: 200 }
  ];
  it.each(cases)('$server: $name → $status', async (c) => {
    const r = await fetch(`${origins[c.server]}/metrics`, {
      method: c.method ?? 'GET',
      headers: c.authorization ? { authorization: c.authorization } : {}
    });
    expect(r.status).toBe(c.status);
    const text = await r.text();
    if (c.body) expect(text).toMatch(c.body);
    if (c.status === 200) expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    if (c.status === 401) expect(r.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    if (c.status === 405) expect(r.headers.get('allow')).toBe('GET, HEAD');
  });
});
