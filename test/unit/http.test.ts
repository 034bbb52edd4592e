import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { createLogger } from '../../runtime/log.js';
import { createHttpServer, type HttpServer } from '../../runtime/transports/http.js';
import { SessionStore } from '../../runtime/transports/sessions.js';
import { buildToTemp } from '../helpers/artifact.js';
import { firstChunk } from '../helpers/wait.js';
import { createCore } from '../../runtime/serve.js';

const repo = join(import.meta.dirname, '..', '..');
let server: HttpServer;
let url: string;
const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const modernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

beforeAll(async () => {
  const dir = await buildToTemp(join(repo, 'examples', 'handler', 'mcp-gen.yaml'));
  const core = await createCore(await loadArtifact(dir), { log: createLogger('error', () => {}) });
  server = createHttpServer(core, {
    host: '127.0.0.1',
    port: 0,
    path: '/mcp',
    allowedHosts: [],
    allowedOrigins: [],
    maxBodyBytes: 64 * 1024,
    maxSessions: 50,
    sessionIdleSeconds: 60
  });
  url = await server.listen();
});
afterAll(() => server.close(100));

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { ...base, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function session(): Promise<string> {
  const r = await post({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } }
  });
  const id = r.headers.get('mcp-session-id')!;
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': id });
  return id;
}

function events(text: string): { id?: string; data: any }[] {
  return text
    .split('\n\n')
    .filter((b) => /^data: .+$/m.test(b))
    .map((b) => ({ id: /^id: (.*)$/m.exec(b)?.[1], data: JSON.parse(/^data: (.*)$/m.exec(b)![1]!) }));
}

describe('Streamable HTTP, 2025 sessions', () => {
  it('answers plain JSON when nothing streams, SSE once a notification comes', async () => {
    const sid = await session();
    const list = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': sid });
    expect(list.headers.get('content-type')).toBe('application/json');
    const call = await post(
      {
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'slow_count', arguments: { to: 2, delayMs: 1 }, _meta: { progressToken: 'p' } }
      },
      { 'mcp-session-id': sid }
    );
    expect(call.headers.get('content-type')).toBe('text/event-stream');
    const evs = events(await call.text());
    expect(evs.map((e) => e.data.method ?? 'result')).toEqual([
      'notifications/message',
      'notifications/progress',
      'notifications/progress',
      'result'
    ]);
    expect(new Set(evs.map((e) => e.id)).size).toBe(4);
  });

  it('resumes a dropped stream with Last-Event-ID and replays only what was missed', async () => {
    const sid = await session();
    const controller = new AbortController();
    const r = await fetch(url, {
      method: 'POST',
      headers: { ...base, 'mcp-session-id': sid },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/call',
        params: { name: 'slow_count', arguments: { to: 3, delayMs: 80 }, _meta: { progressToken: 'p' } }
      }),
      signal: controller.signal
    });
    const reader = r.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const seen = events(first);
    controller.abort();
    const lastId = seen.at(-1)!.id!;
    const resumed = await fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sid, 'last-event-id': lastId } });
    const rest = events(await resumed.text());
    expect(rest.at(-1)!.data).toMatchObject({ id: 9, result: { structuredContent: { counted: 3 } } });
    expect(rest.map((e) => e.id)).not.toContain(lastId);
  });

  it('DELETE ends a session; unknown sessions get 404; GET needs a session', async () => {
    const sid = await session();
    expect((await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': sid } })).status).toBe(200);
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-session-id': sid })).status).toBe(404);
    expect((await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': 'nope' } })).status).toBe(404);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(url, { headers: { 'mcp-session-id': 'nope', accept: 'text/event-stream' } })).status).toBe(404);
    expect((await fetch(url, { method: 'PUT' })).status).toBe(405);
  });

  it('opens a standalone GET stream for a session', async () => {
    const sid = await session();
    expect((await fetch(url, { headers: { 'mcp-session-id': sid, accept: 'application/json' } })).status).toBe(406);
    const controller = new AbortController();
    const r = await fetch(url, { headers: { 'mcp-session-id': sid, accept: 'text/event-stream' }, signal: controller.signal });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    controller.abort();
  });

  it('refuses an unknown MCP-Protocol-Version in a session', async () => {
    const id = await session();
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-session-id': id })).status).toBe(200);
    expect(
      (await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-session-id': id, 'mcp-protocol-version': '1999-01-01' })).status
    ).toBe(400);
  });

  it('cancels an in-flight call on notifications/cancelled', async () => {
    const sid = await session();
    const response = await post(
      {
        jsonrpc: '2.0',
        id: 5,
        method: 'tools/call',
        params: { name: 'slow_count', arguments: { to: 50, delayMs: 100 }, _meta: { progressToken: 'p' } }
      },
      { 'mcp-session-id': sid }
    );
    const running = await firstChunk(response);
    expect(
      (await post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5 } }, { 'mcp-session-id': sid })).status
    ).toBe(202);
    const result = events(running.first + (await running.rest())).at(-1)!.data.result;
    expect(result.isError).toBe(true);
  });
});

describe('Streamable HTTP, request checks', () => {
  it.each([
    [{ 'content-type': 'text/plain' }, '{}', 415],
    [{ accept: 'text/html' }, '{}', 406],
    [{}, 'x'.repeat(70 * 1024), 413],
    [{}, '{bad', 400],
    [{}, '[]', 400],
    [{ origin: 'https://evil.example' }, '{}', 403]
  ])('%j → %i', async (headers, body, status) => {
    expect((await post(body, headers)).status).toBe(status);
  });
  it('refuses a non-loopback Host (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { ...base, host: 'evil.example' } }, (res) => resolve(res.statusCode!));
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });
  it('answers notifications with 202 and unknown paths with 404', async () => {
    expect((await post({ jsonrpc: '2.0', method: 'notifications/whatever' })).status).toBe(202);
    expect((await fetch(url.replace('/mcp', '/other'), { method: 'POST' })).status).toBe(404);
  });
  it('streams modern progress on the request stream and aborts when it closes', async () => {
    const headers = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'slow_count' };
    const r = await post(
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'slow_count', arguments: { to: 2, delayMs: 1 }, _meta: { ...modernMeta, progressToken: 1 } }
      },
      headers
    );
    const evs = events(await r.text());
    expect(evs.map((e) => e.data.method ?? 'result')).toEqual(['notifications/progress', 'notifications/progress', 'result']);
    expect(evs.at(-1)!.data.result.resultType).toBe('complete');
  });
});

describe('SessionStore', () => {
  it('sweeps idle sessions', () => {
    const store = new SessionStore(10, 1000);
    const s = store.create({ protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, '', 'address:x');
    if (typeof s === 'string') throw new Error(s);
    store.sweep(Date.now() + 500);
    expect(store.get(s.id)).toBeDefined();
    store.sweep(Date.now() + 5000);
    expect(store.get(s.id)).toBeUndefined();
    store.closeAll();
  });

  it('refuses past the per-quota and the global cap, never evicting, and frees a place when a session ends', () => {
    const store = new SessionStore(3, 60_000, () => {}, 2);
    const state = () => ({ protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true });
    const open = (quota: string) => store.create(state(), quota, quota);
    const a1 = open('a');
    const a2 = open('a');
    expect(open('a')).toBe('quota');
    const b1 = open('b');
    expect(open('c')).toBe('full');
    for (const s of [a1, a2, b1]) expect(typeof s === 'string' ? undefined : store.get(s.id)).toBe(s);
    expect(store.held('a')).toBe(2);
    store.delete((a1 as { id: string }).id);
    expect(store.held('a')).toBe(1);
    expect(typeof open('c')).toBe('object');
    store.closeAll();
    expect(store.held('a')).toBe(0);
  });
});
