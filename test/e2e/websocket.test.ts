/**
 * The WebSocket transport (`transport.websocket: true`) served by the real CLI: the SDK v1 WebSocketClientTransport
 * connects on the MCP endpoint's path, lists, calls and answers an elicitation (a 2025-11-25 session per connection);
 * a raw socket sends a stateless 2026-07-28 request; refused upgrades are plain HTTP answers naming the reason (no
 * subprotocol, another path, a Host not allowed, a missing key); frames are bounded (binary, invalid JSON, too large);
 * requests over WebSocket are counted in the metrics with network_transport tcp.
 */
import { appendFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { buildArtifact, cleanupTemp, copyExample, killAll, startHttp, type HttpProcess } from '../helpers/e2e-server.js';

// Node 20 has no global WebSocket (22 has): the SDK's transport uses the global one.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

let open: HttpProcess;
let secured: HttpProcess;
const wsUrl = (p: HttpProcess) => p.url.replace(/^http/, 'ws');

beforeAll(async () => {
  const dir = copyExample('conformance');
  appendFileSync(join(dir, 'mcp-gen.yaml'), '\ntransport: { websocket: true, maxBodyBytes: 65536 }\n');
  const locked = copyExample('conformance');
  appendFileSync(join(locked, 'mcp-gen.yaml'), '\ntransport: { websocket: true }\nauth: { apiKeys: [ { name: ci, key: "${WS_KEY}" } ] }\n');
  const env = { ...process.env, WS_KEY: 'ws-key-123456' };
  const [a, b] = await Promise.all([buildArtifact(join(dir, 'mcp-gen.yaml')), buildArtifact(join(locked, 'mcp-gen.yaml'))]);
  [open, secured] = await Promise.all([startHttp(a), startHttp(b, [], env)]);
}, 90_000);

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

/** A raw socket with the mcp subprotocol: resolves once open, with the messages it receives. */
async function rawSocket(
  url: string,
  headers: Record<string, string> = {}
): Promise<{ ws: WebSocket; next(): Promise<string>; closed: Promise<number> }> {
  const ws = new WebSocket(url, 'mcp', { headers });
  const queue: string[] = [];
  const waiting: ((m: string) => void)[] = [];
  ws.on('message', (d) => {
    const m = String(d);
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
  return { ws, closed, next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => waiting.push(r))) };
}

/** An upgrade request as a client would send it; resolves with the HTTP status the server answered. */
function upgrade(url: string, headers: Record<string, string>, path?: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: u.hostname,
      port: u.port,
      path: path ?? u.pathname,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers
      }
    });
    req.on('upgrade', (res, socket) => (socket.destroy(), resolve({ status: res.statusCode ?? 0, body: '' })));
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('WebSocket transport', () => {
  it('SDK v1 client: connects, lists, calls, and answers an elicitation over one socket', async () => {
    const client = new Client({ name: 'ws-test', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (req) => ({
      action: 'accept',
      content: Object.fromEntries(Object.keys(req.params.requestedSchema.properties).map((p) => [p, `ws-${p}`]))
    }));
    await client.connect(new WebSocketClientTransport(new URL(wsUrl(open))));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('test_simple_text');
    expect(JSON.stringify((await client.callTool({ name: 'test_simple_text', arguments: {} })).content)).toContain('simple text response');
    expect(JSON.stringify((await client.callTool({ name: 'test_elicitation', arguments: { message: 'Who?' } })).content)).toContain(
      'ws-username'
    );
    await client.close();
  });

  it('serves a stateless 2026-07-28 request on a socket', async () => {
    const s = await rawSocket(wsUrl(open));
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    s.ws.send(
      JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'test_simple_text', arguments: {}, _meta: meta } })
    );
    const reply = JSON.parse(await s.next());
    expect(reply.id).toBe(7);
    expect(JSON.stringify(reply.result.content)).toContain('simple text response');
    s.ws.close();
  });

  it.each([
    { name: 'no subprotocol', headers: {}, path: undefined, want: [400, /needs the subprotocol "mcp"/] },
    { name: 'another path', headers: { 'sec-websocket-protocol': 'mcp' }, path: '/other', want: [404, /the MCP endpoint is \/mcp/] },
    {
      name: 'a Host not allowed',
      headers: { 'sec-websocket-protocol': 'mcp', host: 'evil.example' },
      path: undefined,
      want: [403, /Forbidden/]
    }
  ])('refuses an upgrade with $name', async ({ headers, path, want }) => {
    const r = await upgrade(open.url, headers, path);
    expect(r.status).toBe(want[0]);
    expect(JSON.parse(r.body).error.message).toMatch(want[1] as RegExp);
  });

  it('asks for the key on the upgrade (401 with a challenge) and accepts it', async () => {
    expect((await upgrade(secured.url, { 'sec-websocket-protocol': 'mcp' })).status).toBe(401);
    expect((await upgrade(secured.url, { 'sec-websocket-protocol': 'mcp', authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await upgrade(secured.url, { 'sec-websocket-protocol': 'mcp', authorization: 'Bearer ws-key-123456' })).status).toBe(101);
  });

  it('answers a binary frame and invalid JSON with errors, and closes on a frame over maxBodyBytes (1009)', async () => {
    const s = await rawSocket(wsUrl(open));
    s.ws.send(Buffer.from('{"jsonrpc":"2.0"}'), { binary: true });
    expect(JSON.parse(await s.next()).error.message).toMatch(/binary frames are not MCP messages/);
    s.ws.send('{not json');
    expect(JSON.parse(await s.next()).error.code).toBe(-32700);
    s.ws.send('x'.repeat(70_000));
    expect(await s.closed).toBe(1009);
  });

  it('counts WebSocket requests in the metrics (network_transport tcp)', async () => {
    const text = await (await fetch(new URL('/metrics', open.url))).text();
    expect(text).toMatch(/mcp_server_operation_duration_seconds_count\{[^}]*mcp_method_name="tools\/call"[^}]*network_transport="tcp"/);
  });
});
