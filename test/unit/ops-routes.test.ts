/**
 * /healthz, /readyz and /metrics (runtime/observe/health.ts) on a real side listener (runtime/observe/ops-server.ts),
 * with a core whose readiness the test decides; the probes' time bound (runtime/core/readiness.ts); and the build
 * error for a `transport.path` the endpoints reserve.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { NotReadyError, probeAll } from '../../runtime/core/readiness.js';
import { createOpsRoutes, type MetricsHandler } from '../../runtime/observe/health.js';
import { listenOps, type OpsServer } from '../../runtime/observe/ops-server.js';

const servers: OpsServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Given {
  ready?: () => Promise<void>;
  draining?: boolean;
  metrics?: MetricsHandler;
}

/** Requests the routes were handed so far, per served listener (the test waits for them to arrive). */
let handled = 0;

async function serveOps(given: Given, reuseMs = 0): Promise<string> {
  const core = { ready: given.ready ?? (() => Promise.resolve()) };
  const metrics = given.metrics ? { metrics: given.metrics } : {};
  const routes = createOpsRoutes({ core, draining: () => given.draining === true, reuseMs, ...metrics });
  const counted = { handle: (...a: Parameters<typeof routes.handle>) => (handled++, routes.handle(...a)) };
  const server = await listenOps(counted, '127.0.0.1', 0);
  servers.push(server);
  return server.url;
}

const notReady = () =>
  Promise.reject(
    new NotReadyError([
      { dependency: 'source "pg"', reason: 'cannot connect to source "pg" (postgres://db:5432/app): ECONNREFUSED' },
      { dependency: 'rate-limit store redis://***@cache:6379', reason: 'unreachable' }
    ])
  );
const metrics: MetricsHandler = (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('# metrics\n');

describe('operational endpoints', () => {
  it.each<[string, Given, { method?: string; path: string }, { status: number; body: unknown }]>([
    ['liveness', {}, { path: '/healthz' }, { status: 200, body: { status: 'ok' } }],
    ['liveness while draining', { draining: true }, { path: '/healthz' }, { status: 200, body: { status: 'draining' } }],
    ['liveness even when a dependency is down', { ready: notReady }, { path: '/healthz?x=1' }, { status: 200, body: { status: 'ok' } }],
    ['ready', {}, { path: '/readyz' }, { status: 200, body: { status: 'ready' } }],
    [
      'not ready: every failing dependency named',
      { ready: notReady },
      { path: '/readyz' },
      {
        status: 503,
        body: {
          status: 'not ready',
          failing: [
            { dependency: 'source "pg"', reason: 'cannot connect to source "pg" (postgres://db:5432/app): ECONNREFUSED' },
            { dependency: 'rate-limit store redis://***@cache:6379', reason: 'unreachable' }
          ]
        }
      }
    ],
    [
      'draining: 503 without probing',
      { draining: true, ready: () => Promise.reject(new Error('must not be probed')) },
      { path: '/readyz' },
      { status: 503, body: { status: 'shutting down' } }
    ],
    [
      'a failure that is no NotReadyError',
      { ready: () => Promise.reject(new Error('artifact gone')) },
      { path: '/readyz' },
      { status: 503, body: { status: 'not ready', failing: [{ dependency: 'server', reason: 'artifact gone' }] } }
    ],
    ['metrics off', {}, { path: '/metrics' }, { status: 404, body: { error: 'Not found: metrics are off on this server' } }],
    ['metrics on', { metrics }, { path: '/metrics' }, { status: 200, body: '# metrics\n' }],
    ['POST', {}, { method: 'POST', path: '/readyz' }, { status: 405, body: { error: 'Method not allowed: use GET' } }],
    [
      'another path on the side listener',
      {},
      { path: '/mcp' },
      { status: 404, body: { error: 'Not found: this listener serves /healthz, /readyz and /metrics' } }
    ]
  ])('%s', async (_name, given, request, want) => {
    const url = await serveOps(given);
    const r = await fetch(url + request.path, { method: request.method ?? 'GET' });
    const text = await r.text();
    expect({ status: r.status, body: r.headers.get('content-type') === 'application/json' ? JSON.parse(text) : text }).toEqual(want);
  });

  it('concurrent /readyz share one probe', async () => {
    let probes = 0;
    let answer!: () => void;
    const url = await serveOps({
      ready: () => {
        probes++;
        return new Promise<void>((resolve) => (answer = resolve));
      }
    });
    handled = 0;
    const pending = Array.from({ length: 6 }, () => fetch(`${url}/readyz`));
    // Every request has reached the routes while the one probe is still out.
    await expect.poll(() => handled).toBe(6);
    answer();
    const statuses = (await Promise.all(pending)).map((r) => r.status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(probes).toBe(1);
    // Once answered, the next request probes afresh.
    const again = fetch(`${url}/readyz`);
    await expect.poll(() => probes).toBe(2);
    answer();
    expect((await again).status).toBe(200);
  });

  it("reuses a finished probe's answer for reuseMs: a client looping on /readyz cannot keep the databases busy", async () => {
    let probes = 0;
    const url = await serveOps({ ready: () => (probes++, Promise.resolve()) }, 60_000);
    for (let i = 0; i < 5; i++) expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(probes).toBe(1);
  });
});

describe('probeAll', () => {
  it('bounds each probe in time and names what failed', async () => {
    const failures = await probeAll(
      new Map([
        ['hung', () => new Promise<void>(() => {})],
        ['fine', () => Promise.resolve()],
        ['refused', () => Promise.reject(new Error('ECONNREFUSED'))],
        ['throws', () => Promise.reject('plain text')]
      ]),
      20
    );
    expect(failures).toEqual([
      { dependency: 'hung', reason: 'did not answer within 0.02 s' },
      { dependency: 'refused', reason: 'ECONNREFUSED' },
      { dependency: 'throws', reason: 'plain text' }
    ]);
  });
});

describe('transport.path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-ops-path-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['/healthz', true],
    ['/readyz', true],
    ['/metrics', true],
    ['/mcp', false],
    ['/metrics/mcp', false]
  ])('%s reserved: %s', async (path, reserved) => {
    const manifest = join(dir, 'mcp-gen.yaml');
    writeFileSync(
      manifest,
      `server: { name: s, version: 1.0.0 }\ntransport: { path: ${path} }\ntools:\n  - { name: t, description: t, template: ok }\n`
    );
    const result = await build({ manifest, outDir: join(dir, '.mcp-gen') });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (!reserved) return void expect(errors).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'MCPGEN_INVALID_VALUE',
      message: `transport.path ${path} is reserved for the operational endpoints (/healthz, /readyz, /metrics)`,
      hint: 'choose another endpoint path, e.g. transport.path: /mcp'
    });
  });
});
