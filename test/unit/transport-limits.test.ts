/**
 * Transport hardening: HTTPS with a self-signed certificate made here with openssl, and every limit of
 * `transport.limits` refused with its HTTP status and JSON-RPC error, over HTTP and stdio.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadArtifact, type LoadedArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import { createLogger } from '../../runtime/log.js';
import { createHttpServer, type HttpOptions, type HttpServer } from '../../runtime/transports/http.js';
import { serveStdio } from '../../runtime/transports/stdio.js';
import { oversizedArgument, tooDeep, transportLimits } from '../../runtime/transports/limits.js';
import { tlsFiles } from '../../generators/cli/commands/run.js';
import { buildToTemp } from '../helpers/artifact.js';
import { cleanupTemp, cli, requireDist, tempDir } from '../helpers/e2e-server.js';
import { firstChunk } from '../helpers/wait.js';
import { createCore } from '../../runtime/serve.js';

const repo = join(import.meta.dirname, '..', '..');
const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const options: HttpOptions = {
  host: '127.0.0.1',
  port: 0,
  path: '/mcp',
  allowedHosts: [],
  allowedOrigins: [],
  maxBodyBytes: 256 * 1024,
  maxSessions: 10,
  sessionIdleSeconds: 60
};
let loaded: LoadedArtifact;
let core: McpCore;
const servers: HttpServer[] = [];

beforeAll(async () => {
  loaded = await loadArtifact(await buildToTemp(join(repo, 'examples', 'handler', 'mcp-gen.yaml')));
  core = await createCore(loaded, { log: createLogger('error', () => {}) });
});
afterAll(async () => {
  for (const s of servers) await s.close(100);
  cleanupTemp();
});

async function serve(extra: Partial<HttpOptions>): Promise<string> {
  const server = createHttpServer(core, { ...options, ...extra });
  servers.push(server);
  return server.listen();
}

/** Polls `condition` (a server-side state the test cannot be told about) until it holds, for at most 10 s. */
async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`condition not met: ${condition.toString()}`);
    await new Promise((r) => setImmediate(r));
  }
}

const modern = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const modernHeaders = (method: string, name: string) => ({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, 'mcp-name': name });
const call = (id: number, name: string, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args }
});
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('limits', () => {
  it('measures nesting outside strings only', () => {
    expect(tooDeep(nested(64), 64)).toBe(false);
    expect(tooDeep(nested(65), 64)).toBe(true);
    expect(tooDeep(JSON.stringify({ s: '['.repeat(500) + '\\"{{{' }), 4)).toBe(false);
    expect(tooDeep(`{"a":${nested(10)}}`, 10)).toBe(true);
  });
  it('names the first argument over the limit, and skips small messages', () => {
    expect(oversizedArgument('tools/call', { arguments: { a: 'x'.repeat(10), b: 'y'.repeat(100) } }, 1000, 50)?.data).toEqual({
      argument: 'b',
      bytes: 102,
      limit: 50
    });
    expect(oversizedArgument('tools/call', { arguments: { b: 'y'.repeat(100) } }, 40, 50)).toBeUndefined();
    expect(oversizedArgument('completion/complete', { argument: { name: 'q', value: 'z'.repeat(100) } }, 1000, 50)?.message).toMatch(
      /"q" is 102 bytes/
    );
    expect(oversizedArgument('tools/list', {}, 1000, 50)).toBeUndefined();
    expect(transportLimits({ maxJsonDepth: 8 })).toMatchObject({ maxJsonDepth: 8, maxArgumentBytes: 1048576, requestTimeoutSeconds: 300 });
  });
});

describe('HTTP limits', () => {
  let url: string;
  beforeAll(async () => {
    url = await serve({
      limits: { maxJsonDepth: 16, maxArgumentBytes: 1024, maxStreamsPerSession: 2, bodyTimeoutSeconds: 0.5, requestTimeoutSeconds: 0.6 }
    });
  });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { ...base, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  async function session(): Promise<string> {
    const r = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } }
    });
    return r.headers.get('mcp-session-id')!;
  }

  it('refuses JSON nested deeper than maxJsonDepth with 400 -32600', async () => {
    const r = await post(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow_count","arguments":{"to":${nested(20)}}}}`);
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ id: null, error: { code: -32600, message: expect.stringMatching(/deeper than 16/) } });
  });

  it('refuses an argument over maxArgumentBytes with 413 -32602 naming it', async () => {
    const r = await post(call(7, 'slow_count', { to: 1, note: 'n'.repeat(2000) }));
    expect(r.status).toBe(413);
    expect(await r.json()).toMatchObject({ id: 7, error: { code: -32602, data: { argument: 'note', limit: 1024 } } });
  });

  it('refuses a stream past maxStreamsPerSession with 429 -32031 and Retry-After', async () => {
    // A server of its own, without this suite's 0.6 s request timeout: its two streams stay open until cancelled.
    const own = await serve({ limits: { maxStreamsPerSession: 2 } });
    const postOwn = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(own, { method: 'POST', headers: { ...base, ...headers }, body: JSON.stringify(body) });
    const init = await postOwn({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } }
    });
    const h = { 'mcp-session-id': init.headers.get('mcp-session-id')! };
    const endless = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'slow_count', arguments: { to: 100, delayMs: 1000 }, _meta: { progressToken: id } }
    });
    // Both streams are open once each has sent its first event.
    const slow = await Promise.all([postOwn(endless(2), h), postOwn(endless(3), h)].map(async (p) => firstChunk(await p)));
    const third = await postOwn(call(4, 'slow_count', { to: 1, delayMs: 0 }), h);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(await third.json()).toMatchObject({ id: 4, error: { code: -32031 } });
    const get = await fetch(own, { headers: { ...h, accept: 'text/event-stream' } });
    expect(get.status).toBe(429);
    for (const requestId of [2, 3])
      expect((await postOwn({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId } }, h)).status).toBe(202);
    await Promise.all(slow.map((s) => s.rest()));
    // Finished streams are released.
    expect((await postOwn(call(5, 'slow_count', { to: 1, delayMs: 0 }), h)).status).toBe(200);
  });

  it('cancels work past requestTimeoutSeconds: 504 -32032 stateless, 200 in a session', async () => {
    const modern = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const headers = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'slow_count' };
    const r = await post(
      {
        ...call(8, 'slow_count', { to: 20, delayMs: 100 }),
        params: { name: 'slow_count', arguments: { to: 20, delayMs: 100 }, _meta: modern }
      },
      headers
    );
    expect(r.status).toBe(504);
    expect(await r.json()).toMatchObject({ id: 8, error: { code: -32032, data: { timeoutSeconds: 0.6 } } });
    const legacy = await post(call(9, 'slow_count', { to: 20, delayMs: 100 }), { 'mcp-session-id': await session() });
    expect(legacy.status).toBe(200);
    expect(await legacy.text()).toMatch(/-32032/);
  });

  it('answers 408 to a body that does not arrive in time (slowloris)', async () => {
    const { port } = new URL(url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"jsonrpc"`);
      });
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toMatch(/"code":-32600/);
  });
});

describe('server-wide bounds', () => {
  /** Opens a connection that sends headers and `sent` bytes of a `declared`-byte body, then stalls. */
  const stall = (port: number, declared: number, sent: number) =>
    new Promise<{ socket: ReturnType<typeof connect>; answer: Promise<string> }>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`);
        socket.write('x'.repeat(sent), () => resolve({ socket, answer }));
      });
      let text = '';
      socket.on('error', () => {});
      const answer = new Promise<string>((done) => {
        socket.on('data', (d) => (text += d.toString()));
        socket.on('close', () => done(text));
      });
    });

  it('refuses a body past maxBufferedBodyBytes with 503 and Retry-After while others are being received, then recovers', async () => {
    const port = Number(new URL(await serve({ maxBodyBytes: 64 * 1024, limits: { maxBufferedBodyBytes: 128 * 1024 } })).port);
    const server = servers.at(-1)!;
    // Two stalled uploads of 60 KiB each hold 120 KiB of the 128 KiB budget, once the server has read them.
    const stalled = [await stall(port, 64 * 1024, 60 * 1024), await stall(port, 64 * 1024, 60 * 1024)];
    await until(() => server.bodyBytesHeld === 120 * 1024);
    const third = await stall(port, 64 * 1024, 64 * 1024);
    const answer = await third.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect(answer).toMatch(/retry-after: 1/i);
    expect(answer).toMatch(/"code":-32034.*transport\.limits\.maxBufferedBodyBytes/);
    for (const s of stalled) s.socket.destroy();
    await Promise.all(stalled.map((s) => s.answer));
    // The budget came back with the aborted uploads, the refused one, and each answered request.
    await until(() => server.bodyBytesHeld === 0);
    const big = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { ...modern, pad: 'p'.repeat(60 * 1024) } } };
    const r = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      headers: { ...base, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
      body: JSON.stringify(big)
    });
    expect(r.status).toBe(200);
    const tooLarge = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: base, body: 'x'.repeat(65 * 1024) });
    expect(tooLarge.status).toBe(413);
    expect(server.bodyBytesHeld).toBe(0);
  });

  it('holds a received body in the budget until its request is answered', async () => {
    const port = Number(new URL(await serve({ maxBodyBytes: 64 * 1024, limits: { maxBufferedBodyBytes: 128 * 1024 } })).port);
    const server = servers.at(-1)!;
    const body = JSON.stringify({
      ...call(1, 'slow_count', { to: 3, delayMs: 200 }),
      params: { name: 'slow_count', arguments: { to: 3, delayMs: 200 }, _meta: modern }
    });
    const slow = fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      headers: { ...base, ...modernHeaders('tools/call', 'slow_count') },
      body
    });
    await until(() => server.bodyBytesHeld === Buffer.byteLength(body));
    await (await slow).text();
    await until(() => server.bodyBytesHeld === 0);
  });

  it('cuts headers sent one byte at a time at bodyTimeoutSeconds, not up to 30 s later', async () => {
    const port = Number(new URL(await serve({ limits: { bodyTimeoutSeconds: 1 } })).port);
    const started = Date.now();
    const closed = await new Promise<number>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const head = 'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(1000);
      let i = 0;
      const drip = setInterval(() => socket.writable && socket.write(head[i++ % head.length]!), 100);
      socket.on('error', () => {});
      socket.on('close', () => (clearInterval(drip), resolve(Date.now() - started)));
    });
    // Node's default check interval (30 s) cut it between 30 and 60 s; a 15 s bound separates the two behaviours.
    expect(closed).toBeLessThan(15_000);
  }, 60_000);
});

describe('stdio limits', () => {
  it('refuses deep JSON, oversized arguments and slow requests, and keeps serving', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: any[] = [];
    let buffered = '';
    output.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
        lines.push(JSON.parse(buffered.slice(0, nl)));
        buffered = buffered.slice(nl + 1);
      }
    });
    const stdio = serveStdio(core, input, output, {}, { maxJsonDepth: 8, maxArgumentBytes: 100, requestTimeoutSeconds: 0.3 });
    const modern = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    input.write(`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"x":${nested(9)}}}\n`);
    input.write(JSON.stringify({ ...call(2, 'slow_count', { note: 'x'.repeat(200) }) }) + '\n');
    input.write(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'slow_count', arguments: { to: 20, delayMs: 100 }, _meta: modern }
      }) + '\n'
    );
    input.write(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/list', params: { _meta: modern } }) + '\n');
    input.end();
    await stdio.closed;
    const byId = new Map(lines.map((l) => [l.id, l]));
    expect(byId.get(null).error.code).toBe(-32600);
    expect(byId.get(2).error).toMatchObject({ code: -32602, data: { argument: 'note' } });
    expect(byId.get(3).error).toMatchObject({ code: -32032 });
    expect(byId.get(4).result.tools).toHaveLength(1);
  });
});

describe('HTTPS', () => {
  let cert: Buffer;
  let key: Buffer;
  beforeAll(() => {
    const dir = tempDir('mcpgen-tls-');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem')
      ],
      { stdio: 'ignore' }
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    key = readFileSync(join(dir, 'key.pem'));
  });

  it('serves MCP over TLS to a client trusting the certificate, and refuses one that does not', async () => {
    const url = await serve({ tls: { cert, key } });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const send = (ca?: Buffer) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(url, { method: 'POST', headers: base, ...(ca ? { ca } : {}) }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'initialize',
            params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } }
          })
        );
      });
    const ok = await send(cert);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).result.serverInfo.name).toBe('handler-demo');
    await expect(send()).rejects.toThrow(/self[- ]signed/i);
  });

  it('reads --tls-cert/--tls-key, or transport.tls relative to the manifest, and names a missing file', () => {
    const dir = tempDir('mcpgen-tls-');
    writeFileSync(join(dir, 'c.pem'), cert);
    writeFileSync(join(dir, 'k.pem'), key);
    const withTls = {
      ...loaded,
      root: dir,
      artifact: { ...loaded.artifact, transport: { ...loaded.artifact.transport, tls: { cert: 'c.pem', key: 'k.pem' } } }
    } as LoadedArtifact;
    expect(tlsFiles({}, loaded)).toBeUndefined();
    expect(tlsFiles({}, withTls)).toEqual({ cert, key });
    expect(tlsFiles({ 'tls-cert': join(dir, 'c.pem'), 'tls-key': join(dir, 'k.pem') }, loaded)).toEqual({ cert, key });
    expect(() => tlsFiles({ 'tls-cert': join(dir, 'c.pem') }, loaded)).toThrow(/go together/);
    expect(() => tlsFiles({ 'tls-cert': join(dir, 'c.pem'), 'tls-key': join(dir, 'missing.pem') }, loaded)).toThrow(
      /cannot read the TLS key .*missing\.pem \(ENOENT\)/
    );
  });

  it('mcp-gen run refuses a malformed PEM file in one line, exit code 2', () => {
    requireDist();
    const dir = tempDir('mcpgen-tls-');
    writeFileSync(join(dir, 'bad.pem'), 'not a certificate');
    const run = spawnSync(
      process.execPath,
      [cli, 'run', '-o', loaded.dir, '--http', '--port', '0', '--tls-cert', join(dir, 'bad.pem'), '--tls-key', join(dir, 'bad.pem')],
      { encoding: 'utf8', timeout: 15_000 }
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(/^mcp-gen: invalid TLS certificate or key: /);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('withTimeout', () => {
  it('long deadlines share the coarse sweep and still fire; settled work cancels its deadline', async () => {
    const { withTimeout } = await import('../../runtime/transports/limits.js');
    vi.useFakeTimers();
    try {
      let fired = 0;
      const never = new Promise<string>(() => {});
      const late = withTimeout(never, 6_000, () => fired++);
      const quick = withTimeout(Promise.resolve('done'), 6_000, () => fired++);
      expect(await quick).toBe('done');
      await vi.advanceTimersByTimeAsync(5_000);
      expect(fired).toBe(0);
      await vi.advanceTimersByTimeAsync(1_600);
      expect(await late).toBe('timeout');
      expect(fired).toBe(1);
      await expect(withTimeout(Promise.reject(new Error('boom')), 6_000, () => fired++)).rejects.toThrow('boom');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(fired).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
