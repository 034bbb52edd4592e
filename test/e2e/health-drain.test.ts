/**
 * /healthz and /readyz of a real `mcp-gen run` (dist/), and its graceful shutdown: a call waiting on a gate the test
 * holds is still running when SIGTERM comes; while it runs /readyz is 503 and a new request gets 503 shuttingDown;
 * once the gate opens the call gets its answer and the process exits 0. A second signal exits at once.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtifact,
  cleanupTemp,
  cli,
  killAll,
  legacySession,
  LEGACY,
  modernMeta,
  postModern,
  repo,
  requireDist,
  startHttp,
  tempDir
} from '../helpers/e2e-server.js';
import { freePort } from '../helpers/upstreams.js';

/** An HTTP server that holds every request until `release()`; `arrived` settles when the first one came in. */
async function gate(): Promise<{ url: string; arrived: Promise<void>; release(): void; close(): void }> {
  const held: ServerResponse[] = [];
  let released = false;
  let arrive!: () => void;
  const arrived = new Promise<void>((r) => (arrive = r));
  const server = createServer((_req, res) => {
    if (released) return void res.end('released');
    held.push(res);
    arrive();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    arrived,
    release: () => {
      released = true;
      for (const res of held.splice(0)) res.end('released');
    },
    close: () => {
      server.close();
      server.closeAllConnections();
    }
  };
}

const SHUTTING_DOWN = -32035;
const postgres = process.env.MCPGEN_TEST_POSTGRES;
const redis = process.env.MCPGEN_TEST_REDIS;
/** A port nothing listens on: the databases of the not-ready cases. */
const dead = await freePort();
/** A database that accepts connections and never answers (a hung server): /readyz must not wait for it. */
const mute = createNetServer(() => {});
await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
const mutePort = (mute.address() as { port: number }).port;
let waiting: string;

beforeAll(async () => {
  requireDist();
  const dir = tempDir('mcpgen-drain-gate-');
  writeFileSync(
    join(dir, 'wait.js'),
    `export default async ({ url }, ctx) => ({ text: await (await fetch(url, { signal: ctx.signal })).text() });\n`
  );
  writeFileSync(
    join(dir, 'mcp-gen.yaml'),
    `server: { name: gated, version: 1.0.0 }
tools:
  - name: wait
    description: Answers once the URL answers.
    input: { properties: { url: { type: string } }, required: [url] }
    handler: ./wait.js
`
  );
  waiting = await buildArtifact(join(dir, 'mcp-gen.yaml'));
});
afterAll(async () => {
  mute.close();
  await killAll();
  cleanupTemp();
});

const origin = (url: string) => new URL(url).origin;

/** A request with the Host header given (fetch always sends the URL's own). */
function withHost(url: string, host: string, method = 'GET', body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { host, ...(body ? { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } : {}) };
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject).end(body);
  });
}
const getJson = async (url: string, headers: Record<string, string> = {}) => {
  const r = await fetch(url, { headers });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

describe('readiness', () => {
  it('examples/sqlite-shop: /healthz and /readyz answer 200, whatever the Host (the MCP endpoint still checks it)', async () => {
    const root = tempDir('mcpgen-ready-shop-');
    const example = join(root, 'examples', 'sqlite-shop');
    mkdirSync(join(root, 'specs'), { recursive: true });
    cpSync(join(repo, 'specs', 'shop.sql'), join(root, 'specs', 'shop.sql'));
    cpSync(join(repo, 'examples', 'sqlite-shop'), example, { recursive: true, filter: (src) => !/[/\\](\.mcp-gen|data)$/.test(src) });
    execFileSync(process.execPath, [cli, 'build', '-m', join(example, 'mcp-gen.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = await startHttp(join(example, '.mcp-gen'));
    const base = origin(server.url);
    expect(await withHost(`${base}/healthz`, 'probe.internal')).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect(await withHost(`${base}/readyz`, '10.0.0.7:3000')).toEqual({ status: 200, body: '{"status":"ready"}' });
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernMeta } });
    expect((await withHost(server.url, 'probe.internal', 'POST', list)).status).toBe(403);
  });

  it.each<[string, string | undefined, string, { status: number; failing?: string; reason?: string }]>([
    ['PostgreSQL', postgres, 'sources:\n  pg: { database: "URL" }\n', { status: 200 }],
    [
      'PostgreSQL on a closed port',
      `postgres://app:pg-s3cret-pw@127.0.0.1:${dead}/test`,
      'sources:\n  pg: { database: "URL" }\n',
      { status: 503, failing: 'source "pg"' }
    ],
    [
      'PostgreSQL that never answers: 503 within the probe bound',
      `postgres://app:pg-s3cret-pw@127.0.0.1:${mutePort}/test`,
      'sources:\n  pg: { database: "URL" }\n',
      { status: 503, failing: 'source "pg"', reason: 'did not answer within 2 s' }
    ],
    ['a Redis limits store that answers', redis, 'limits:\n  store: "URL"\n  tool: 60/minute\n', { status: 200 }],
    [
      'a Redis limits store where nothing listens',
      `redis://:redis-s3cret-pw@127.0.0.1:${dead}`,
      'limits:\n  store: "URL"\n  tool: 60/minute\n',
      { status: 503, failing: `rate-limit store redis://***@127.0.0.1:${dead}` }
    ]
  ])('%s', async (name, url, section, want) => {
    if (!url) return void console.warn(`health-drain: "${name}" skipped; set MCPGEN_TEST_POSTGRES or MCPGEN_TEST_REDIS`);
    const dir = tempDir('mcpgen-ready-');
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: deps, version: 1.0.0 }\n${section.replace('URL', url)}tools:\n  - { name: t, description: t, template: ok }\n`
    );
    const server = await startHttp(await buildArtifact(join(dir, 'mcp-gen.yaml')));
    const started = Date.now();
    const r = await fetch(`${origin(server.url)}/readyz`);
    const text = await r.text();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.status, text).toBe(want.status);
    expect(text).not.toContain('s3cret');
    if (want.failing)
      expect((JSON.parse(text) as { failing: { dependency: string }[] }).failing.map((f) => f.dependency)).toEqual([want.failing]);
  });
});

describe('SIGTERM drains (HTTP)', () => {
  it('the running call finishes while /readyz and new requests get 503; SSE streams end with retry:; exit 0', async () => {
    const held = await gate();
    try {
      const server = await startHttp(waiting, ['--log-level', 'info', '--drain-timeout', '60']);
      const base = origin(server.url);
      // A 2025 session's standalone stream, open when the signal comes.
      const { id } = await legacySession(server.url);
      const stream = await fetch(server.url, {
        headers: { accept: 'text/event-stream', 'mcp-session-id': id, 'mcp-protocol-version': LEGACY }
      });
      const events = stream.text();
      const call = postModern(server.url, 1, 'tools/call', { name: 'wait', arguments: { url: held.url } });
      await held.arrived;
      server.child.kill('SIGTERM');
      await expect.poll(() => server.stderr()).toContain('shutting down');

      expect(await getJson(`${base}/readyz`)).toEqual({ status: 503, body: { status: 'shutting down' } });
      expect(await getJson(`${base}/healthz`)).toEqual({ status: 200, body: { status: 'draining' } });
      const refused = await postModern(server.url, 2, 'tools/list');
      expect(refused.status).toBe(503);
      expect(refused.json).toMatchObject({ id: 2, error: { code: SHUTTING_DOWN } });

      held.release();
      const answered = await call;
      expect(answered.status, answered.text).toBe(200);
      expect(answered.json.result.content[0].text).toContain('released');
      expect(await events).toMatch(/^retry: 2000$/m);
      expect(await server.exited, server.stderr()).toEqual({ code: 0, signal: null });
    } finally {
      held.close();
    }
  });

  it('a second SIGTERM exits at once with 143', async () => {
    const held = await gate();
    try {
      const server = await startHttp(waiting, ['--log-level', 'info']);
      const call = postModern(server.url, 1, 'tools/call', { name: 'wait', arguments: { url: held.url } }).catch((e: Error) => e);
      await held.arrived;
      server.child.kill('SIGTERM');
      await expect.poll(() => server.stderr()).toContain('shutting down');
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 143, signal: null });
      expect(server.stderr()).toContain('SIGTERM again: exiting now');
      await call;
    } finally {
      held.close();
    }
  });
});

describe('stdio with --metrics-port', () => {
  it('serves /healthz and /readyz on the side listener, and drains on SIGTERM like HTTP', async () => {
    const held = await gate();
    const child = spawn(process.execPath, [cli, 'run', '-o', waiting, '--metrics-port', '0', '--log-level', 'info'], {
      stdio: ['pipe', 'pipe', 'pipe']
    });
    try {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      await expect.poll(() => err).toMatch(/health and metrics at http:\/\/127\.0\.0\.1:\d+/);
      const side = /health and metrics at (http:\/\/127\.0\.0\.1:\d+)/.exec(err)![1]!;
      expect(await getJson(`${side}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await getJson(`${side}/readyz`)).toEqual({ status: 200, body: { status: 'ready' } });

      const line = (id: number, method: string, params: Record<string, unknown>) =>
        `${JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: modernMeta } })}\n`;
      child.stdin.write(line(1, 'tools/call', { name: 'wait', arguments: { url: held.url } }));
      await held.arrived;
      child.kill('SIGTERM');
      await expect.poll(() => err).toContain('shutting down');
      expect(await getJson(`${side}/readyz`)).toEqual({ status: 503, body: { status: 'shutting down' } });
      child.stdin.write(line(2, 'tools/list', {}));
      await expect.poll(() => out).toContain('"id":2');
      held.release();
      expect(await exited, err).toBe(0);
      const answers = out
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { id: number; result?: { content: { text: string }[] }; error?: { code: number } });
      expect(answers.find((a) => a.id === 2)?.error?.code).toBe(SHUTTING_DOWN);
      expect(answers.find((a) => a.id === 1)?.result?.content[0]?.text).toContain('released');
    } finally {
      held.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
