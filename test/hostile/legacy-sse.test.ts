/**
 * Hostile input (HTTP+SSE, 2024-11-05): no single request to /sse or /messages ends the server or stalls others.
 * The hostile fixture is served in this process with `legacySse: true`; generated bodies (JSON-RPC from the shared
 * arbitraries, batches, garbage, deep nesting) are POSTed to a real stream's endpoint and to made-up ones, and
 * generated headers open streams. After each case a well-behaved Streamable HTTP call must still be answered
 * promptly, and the stream must still be open.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp } from '../helpers/e2e-server.js';
import { credentials, headerValue, hosts, rpc, text } from './arbitraries.js';
import { buildHostile, KEYS, rawHttp, rawRequest, startHostileInProcess } from './full-server.js';
import { report, sample } from './hostile.js';

let server: Awaited<ReturnType<typeof startHostileInProcess>>;
let port: number;
const auth = { authorization: `Bearer ${KEYS.READER_KEY}` };
const PROMPT_MS = 3000;

beforeAll(async () => {
  server = await startHostileInProcess(await buildHostile(), { legacySse: true, maxBodyBytes: 256 * 1024 });
  port = Number(new URL(server.url).port);
}, 90_000);
afterAll(async () => {
  await server?.close();
  cleanupTemp();
});

const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

async function stillPrompt(): Promise<string | undefined> {
  const answer = fetch(server.url, {
    method: 'POST',
    headers: {
      ...auth,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/list'
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta } })
  }).then((r) => r.status);
  const status = await Promise.race([answer, new Promise<undefined>((r) => setTimeout(r, PROMPT_MS))]);
  return status === 200 ? undefined : status === undefined ? `tools/list took over ${PROMPT_MS} ms` : `tools/list got ${status}`;
}

const body = fc.oneof(
  rpc.map((m) => JSON.stringify({ jsonrpc: '2.0', id: 1, ...m })),
  fc.array(rpc, { maxLength: 5 }).map((ms) => JSON.stringify(ms.map((m, i) => ({ jsonrpc: '2.0', id: i, ...m })))),
  text,
  fc.nat({ max: 5000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`)
);

describe('HTTP+SSE hostile input', () => {
  it('survives generated bodies posted to a stream, and made-up stream ids', async () => {
    const stream = await fetch(new URL('/sse', server.url), { headers: { ...auth, accept: 'text/event-stream' } });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    const first = (await reader.read()).value ?? '';
    const endpoint = /data: (\S+)/.exec(first)?.[1];
    expect(endpoint).toMatch(/^\/messages\?sessionId=/);
    // Keep reading the stream (as a client does), so answers never pile up unread.
    let ended = false;
    void (async () => {
      while (!(await reader.read()).done);
      ended = true;
    })().catch(() => (ended = true));
    let cases = 0;
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom(endpoint!, '/messages?sessionId=nope', '/messages', '/messages?sessionId='),
        async (b, path) => {
          cases++;
          const r = await rawHttp(
            port,
            rawRequest(
              'POST',
              path,
              { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json', Authorization: auth.authorization },
              b
            )
          );
          if (r.status >= 500 && r.status !== 503) failures.push(`${path} ${JSON.stringify(b).slice(0, 100)}: HTTP ${r.status}`);
          const slow = await stillPrompt();
          if (slow) throw new Error(slow);
        }
      ),
      { seed: 0x55e, numRuns: 150 }
    );
    expect(ended, 'the stream stayed open').toBe(false);
    await reader.cancel();
    report('legacy-sse-bodies', cases, failures);
    expect(failures, sample(failures)).toEqual([]);
  }, 240_000);

  it('survives generated headers opening streams', async () => {
    let cases = 0;
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        hosts,
        fc.option(headerValue),
        credentials,
        fc.constantFrom('GET', 'POST', 'DELETE'),
        async (host, origin, authorization, method) => {
          cases++;
          const headers: Record<string, string> = { Host: host, Accept: 'text/event-stream' };
          if (origin !== null) headers.Origin = origin;
          if (authorization !== undefined) headers.Authorization = authorization;
          // A stream that opens stays open: read its head, then close the connection.
          const r = await rawHttp(port, rawRequest(method, '/sse', headers), 2000).catch(() => ({ status: 200, body: '' }));
          if (r.status >= 500 && r.status !== 503) failures.push(`${method} ${JSON.stringify(headers)}: HTTP ${r.status}`);
          const slow = await stillPrompt();
          if (slow) throw new Error(slow);
        }
      ),
      { seed: 0x55f, numRuns: 100 }
    );
    report('legacy-sse-headers', cases, failures);
    expect(failures, sample(failures)).toEqual([]);
  }, 240_000);
});
