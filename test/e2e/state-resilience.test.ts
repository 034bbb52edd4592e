/**
 * A Redis state store that goes away and comes back, with a redis-server this test starts and stops itself (never
 * the machine's shared one): down at start, /readyz is 503 with a log line saying why and 2026-07-28 requests are
 * served; back, /readyz is 200 without a restart; lost with its data mid-run, a 2025 session is unknown (404) and the
 * client starts a new one; nothing waits longer than the store's bounded timeouts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtifact,
  cleanupTemp,
  copyExample,
  killAll,
  LEGACY,
  legacySession,
  post,
  postModern,
  startHttp,
  type HttpProcess
} from '../helpers/e2e-server.js';
import { freePort } from '../helpers/upstreams.js';

let port: number;
let redis: ChildProcess | undefined;
let server: HttpProcess;

/** redis-server on `port`, without persistence (a restart loses every key, as a lost Redis would); resolves once it accepts. */
function startRedis(): Promise<void> {
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'inherit']
  });
  redis = child;
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
}

async function stopRedis(): Promise<void> {
  const child = redis;
  redis = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

const base = () => new URL(server.url).origin;
const readyz = async () => (await fetch(`${base()}/readyz`)).status;

/** Waits for /readyz to answer `want` (the store's reconnection is an event outside the test: it is observed, bounded). */
async function readyzBecomes(want: number, withinMs = 15_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while ((await readyz()) !== want) {
    if (Date.now() > deadline) throw new Error(`/readyz never answered ${want}; log:\n${server.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  port = await freePort();
  const dir = copyExample('conformance');
  const out = await buildArtifact(join(dir, 'mcp-gen.yaml'));
  // Down at start: the server starts all the same.
  server = await startHttp(out, ['--state', `redis://127.0.0.1:${port}`]);
}, 60_000);

afterAll(async () => {
  await killAll();
  await stopRedis();
  cleanupTemp();
});

const call = (id: string, n: number) =>
  post(
    server.url,
    { jsonrpc: '2.0', id: n, method: 'tools/call', params: { name: 'test_simple_text', arguments: {} } },
    {
      'mcp-session-id': id,
      'mcp-protocol-version': LEGACY
    }
  );

describe('a Redis state store that goes and comes back', () => {
  it('down at start: /readyz 503 naming the store, stateless requests served, 2025 sessions refused with 503', async () => {
    expect(await readyz()).toBe(503);
    expect(await (await fetch(`${base()}/readyz`)).text()).toContain(`state store redis://127.0.0.1:${port}`);
    expect(server.stderr()).toMatch(/state store redis:\/\/127\.0\.0\.1:\d+ unreachable/);
    const modern = await postModern(server.url, 1, 'tools/call', { name: 'test_simple_text', arguments: {} });
    expect(modern.status).toBe(200);
    const init = await post(server.url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'raw', version: '1' } }
    });
    expect(init.status).toBe(503);
  });

  it('back: ready again without a restart; lost with its keys: the session is unknown (404) and a new one works', async () => {
    await startRedis();
    await readyzBecomes(200);
    const { id } = await legacySession(server.url);
    expect((await call(id, 2)).status).toBe(200);
    await stopRedis();
    // While it is away this instance's copy still serves its session; nothing hangs past the client's timeouts.
    expect((await call(id, 3)).status).toBe(200);
    await readyzBecomes(503);
    await startRedis();
    await readyzBecomes(200);
    expect((await call(id, 4)).status).toBe(404);
    const again = await legacySession(server.url);
    expect((await call(again.id, 5)).status).toBe(200);
  });
});
