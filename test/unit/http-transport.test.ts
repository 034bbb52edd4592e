/** Streamable HTTP edge cases: raw requests without the headers fetch always adds, IPv6, a second standalone stream, draining on close. */
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import { createLogger } from '../../runtime/log.js';
import { createHttpServer, type HttpServer } from '../../runtime/transports/http.js';
import { buildToTemp } from '../helpers/artifact.js';
import { firstChunk } from '../helpers/wait.js';
import { createCore } from '../../runtime/serve.js';

const repo = join(import.meta.dirname, '..', '..');
const options = {
  host: '127.0.0.1',
  port: 0,
  path: '/mcp',
  allowedHosts: [],
  allowedOrigins: [],
  maxBodyBytes: 64 * 1024,
  maxSessions: 3,
  sessionIdleSeconds: 60
};
const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
let dir: string;
let core: McpCore;
let server: HttpServer;
let url: string;

beforeAll(async () => {
  dir = await buildToTemp(join(repo, 'examples', 'handler', 'mcp-gen.yaml'));
  core = await createCore(await loadArtifact(dir), { log: createLogger('error', () => {}) });
  server = createHttpServer(core, options);
  url = await server.listen();
});
afterAll(() => server.close(100));

/** A request with exactly these headers (fetch would add accept and content-type). */
function raw(
  method: string,
  headers: Record<string, string>,
  body?: string
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => (text += c))
        .on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function session(): Promise<string> {
  const r = await fetch(url, {
    method: 'POST',
    headers: base,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } }
    })
  });
  const id = r.headers.get('mcp-session-id')!;
  await fetch(url, {
    method: 'POST',
    headers: { ...base, 'mcp-session-id': id },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })
  });
  return id;
}

describe('Streamable HTTP: requests it refuses', () => {
  it.each([
    ['a POST without Content-Type', 'POST', {}, '{}', 415, 'Unsupported Media Type', undefined],
    ['an unknown method without a session', 'PUT', {}, undefined, 405, 'Method not allowed', 'POST'],
    ['an unknown method within a session', 'PATCH', { 'mcp-session-id': 'any' }, undefined, 405, 'Method not allowed', 'GET, POST, DELETE']
  ])('%s', async (_label, method, headers, body, status, message, allow) => {
    const r = await raw(method, headers as Record<string, string>, body);
    expect(r.status).toBe(status);
    expect(JSON.parse(r.body).error.message).toContain(message);
    expect(r.headers.allow).toBe(allow);
  });

  it('a GET in a session without Accept is not acceptable', async () => {
    const sid = await session();
    const r = await raw('GET', { 'mcp-session-id': sid });
    expect(r.status).toBe(406);
    expect(JSON.parse(r.body).error.message).toBe('Not Acceptable: GET needs Accept: text/event-stream');
  });
});

describe('Streamable HTTP: standalone streams', () => {
  it('a second standalone GET stream ends the first', async () => {
    const sid = await session();
    const headers = { accept: 'text/event-stream', 'mcp-session-id': sid };
    const first = await fetch(url, { headers });
    expect(first.status).toBe(200);
    const second = await fetch(url, { headers });
    expect(second.status).toBe(200);
    // The first stream is closed by the server: reading it to the end finishes.
    expect(await first.text()).toBe('');
    await second.body?.cancel();
  });
});

describe('Streamable HTTP: listening and closing', () => {
  it('an IPv6 address is written in brackets', async (t) => {
    const v6 = createHttpServer(core, { ...options, host: '::1' });
    let listening: string;
    try {
      listening = await v6.listen();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL' || (e as NodeJS.ErrnoException).code === 'EAFNOSUPPORT') return t.skip();
      throw e;
    }
    try {
      expect(listening).toMatch(/^http:\/\/\[::1\]:\d+\/mcp$/);
      const r = await fetch(listening, { method: 'POST', headers: base, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
      expect(r.status).not.toBe(404);
    } finally {
      await v6.close(100);
    }
  });

  it('close waits for a request in flight to finish', async () => {
    const own = createHttpServer(core, options);
    const at = await own.listen();
    const sid = await (async () => {
      const r = await fetch(at, {
        method: 'POST',
        headers: base,
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } }
        })
      });
      return r.headers.get('mcp-session-id')!;
    })();
    await fetch(at, {
      method: 'POST',
      headers: { ...base, 'mcp-session-id': sid },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })
    });
    const response = await fetch(at, {
      method: 'POST',
      headers: { ...base, 'mcp-session-id': sid },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'slow_count', arguments: { to: 2, delayMs: 150 }, _meta: { progressToken: 'p' } }
      })
    });
    const running = await firstChunk(response);
    await own.close(10_000);
    const text = running.first + (await running.rest());
    expect(text).toContain('"counted":2');
  });
});
