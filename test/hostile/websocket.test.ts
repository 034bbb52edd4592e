/**
 * Hostile input (WebSocket): no single upgrade or frame ends the server or stalls other clients. The hostile
 * fixture (auth, limits, every kind) is served in this process with `websocket: true`; generated upgrade requests
 * (paths, Host, Origin, subprotocols, credentials) go over raw sockets, and generated frames (JSON-RPC from the
 * shared arbitraries, garbage text, binary, deep nesting, floods) over an authenticated socket. After each case a
 * second, well-behaved client must still get its answer promptly.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { cleanupTemp } from '../helpers/e2e-server.js';
import { credentials, headerValue, hosts, rpc, text } from './arbitraries.js';
import { buildHostile, KEYS, rawHttp, rawRequest, startHostileInProcess } from './full-server.js';
import { report, sample } from './hostile.js';

let server: Awaited<ReturnType<typeof startHostileInProcess>>;
let port: number;
const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
/** How long a well-behaved client may wait for tools/list after a hostile case (generous: a loaded CI machine). */
const PROMPT_MS = 3000;

beforeAll(async () => {
  server = await startHostileInProcess(await buildHostile(), { websocket: true, maxBodyBytes: 256 * 1024 });
  port = Number(new URL(server.url).port);
}, 90_000);
afterAll(async () => {
  await server?.close();
  cleanupTemp();
});

function connect(): Promise<WebSocket> {
  const ws = new WebSocket(server.url.replace(/^http/, 'ws'), 'mcp', { headers: { authorization: `Bearer ${KEYS.READER_KEY}` } });
  ws.on('error', () => {});
  return new Promise(
    (resolve, reject) => (ws.once('open', () => resolve(ws)), ws.once('close', () => reject(new Error('closed before open'))))
  );
}

/** A fresh client's tools/list is answered within PROMPT_MS; else why not. */
async function stillPrompt(): Promise<string | undefined> {
  const ws = await connect().catch((e: Error) => e);
  if (ws instanceof Error) return `a fresh client could not connect: ${ws.message}`;
  try {
    const answered = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta } }));
    const reply = await Promise.race([answered, new Promise<undefined>((r) => setTimeout(r, PROMPT_MS))]);
    if (reply === undefined) return `tools/list took over ${PROMPT_MS} ms`;
    return JSON.parse(reply).result ? undefined : `tools/list answered ${reply.slice(0, 200)}`;
  } finally {
    ws.terminate();
  }
}

const frame = fc.oneof(
  rpc.map((m) => JSON.stringify({ jsonrpc: '2.0', id: 1, ...m, params: { ...m.params, _meta: meta } })),
  rpc.map((m) => JSON.stringify({ jsonrpc: '2.0', id: 1, ...m })),
  text,
  fc.nat({ max: 5000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.constant(
    '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}'
  ),
  fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b))
);

describe('WebSocket hostile input', () => {
  it('survives generated upgrade requests', async () => {
    let cases = 0;
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/mcp', '/', '/mcp?x=1', '/metrics', '//mcp'),
        hosts,
        fc.option(headerValue),
        fc.option(fc.oneof(fc.constant('mcp'), headerValue)),
        credentials,
        fc.constantFrom('13', '8', 'x', ''),
        async (path, host, origin, protocol, authorization, version) => {
          cases++;
          const headers: Record<string, string> = {
            Host: host,
            Upgrade: 'websocket',
            'Sec-WebSocket-Version': version,
            'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ=='
          };
          if (origin !== null) headers.Origin = origin;
          if (protocol !== null) headers['Sec-WebSocket-Protocol'] = protocol;
          if (authorization !== undefined) headers.Authorization = authorization;
          const raw = rawRequest('GET', path, headers).replace('Connection: close', 'Connection: Upgrade');
          const r = await rawHttp(port, raw, 5000).catch(() => ({ status: -1, body: '' }));
          // Refused with a 4xx/503, switched (101: the raw socket then closes), or cut: never a 500.
          if (r.status >= 500 && r.status !== 503)
            failures.push(`${path} ${JSON.stringify(headers)}: HTTP ${r.status} ${r.body.slice(0, 120)}`);
          const slow = await stillPrompt();
          if (slow) throw new Error(slow);
        }
      ),
      { seed: 0x3e6, numRuns: 150 }
    );
    report('websocket-upgrades', cases, failures);
    expect(failures, sample(failures)).toEqual([]);
  }, 240_000);

  it('survives generated frames, one after another on one socket, and a flood', async () => {
    let cases = 0;
    const ws = await connect();
    const closedEarly: string[] = [];
    ws.once('close', (code) => closedEarly.push(`socket closed with ${code}`));
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), async (frames) => {
        cases++;
        for (const f of frames) if (ws.readyState === WebSocket.OPEN) ws.send(f);
        const slow = await stillPrompt();
        if (slow) throw new Error(slow);
      }),
      { seed: 0x3e7, numRuns: 150 }
    );
    // A flood: many requests at once on one connection are answered or refused (in-flight bound), never a stall.
    if (ws.readyState === WebSocket.OPEN)
      for (let i = 0; i < 2000; i++) ws.send(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/list', params: { _meta: meta } }));
    expect(await stillPrompt()).toBeUndefined();
    report('websocket-frames', cases, closedEarly, 'early closes');
    ws.terminate();
  }, 240_000);
});
