/**
 * A temp manifest with a slow TypeScript handler tool (progress, cancellable) and five tools on pages of two:
 * list pagination on the wire and through the SDK client, progress notifications reaching the SDK client's
 * `onprogress` in all four transport × era combinations, and graceful shutdown on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolError, type Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import {
  buildArtifact,
  cleanupTemp,
  cli,
  connect,
  killAll,
  LEGACY,
  legacySession,
  modernMeta,
  postModern,
  post,
  startHttp,
  tempDir,
  type Connected,
  type Era,
  type HttpProcess,
  type Transport
} from '../helpers/e2e-server.js';

const manifest = `server:
  name: slow-demo
  version: 2.0.0
  pageSize: 2
tools:
  - name: slow
    description: Waits ms milliseconds in four steps, reporting progress; cancellable.
    input:
      properties:
        ms: { type: integer, minimum: 0, maximum: 60000, description: How long to wait }
      required: [ms]
    handler: ./slow.ts
  - { name: t1, description: Tool one., template: one }
  - { name: t2, description: Tool two., template: two }
  - { name: t3, description: Tool three., template: three }
  - { name: t4, description: Tool four., template: four }
`;

/** No imports: the handler compiles and type-checks from a temp directory. */
const handler = `const STEPS = 4;

export default async (args: { ms: number }, ctx: { signal: AbortSignal; progress(p: number, t?: number): void }) => {
  ctx.progress(0, STEPS);
  for (let i = 1; i <= STEPS; i++) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, args.ms / STEPS);
      ctx.signal.addEventListener('abort', () => { clearTimeout(timer); reject(new Error('cancelled')); }, { once: true });
    });
    ctx.progress(i, STEPS);
  }
  return 'done';
};
`;

let artifact: string;
let server: HttpProcess;

beforeAll(async () => {
  const project = tempDir();
  writeFileSync(join(project, 'mcp-gen.yaml'), manifest);
  writeFileSync(join(project, 'slow.ts'), handler);
  artifact = await buildArtifact(join(project, 'mcp-gen.yaml'));
  server = await startHttp(artifact);
});

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

const names = (tools: { name: string }[]) => tools.map((t) => t.name);

describe('pagination (server.pageSize: 2, five tools)', () => {
  it('pages tools/list with nextCursor on the wire (2026-07-28)', async () => {
    const pages: string[][] = [];
    const cursors: (string | undefined)[] = [];
    let cursor: string | undefined;
    do {
      const r = await postModern(server.url, pages.length + 1, 'tools/list', cursor === undefined ? {} : { cursor });
      expect(r.status).toBe(200);
      expect(r.json.result.resultType).toBe('complete');
      pages.push(names(r.json.result.tools));
      cursor = r.json.result.nextCursor;
      cursors.push(cursor);
    } while (cursor !== undefined && pages.length < 10);
    expect(pages).toEqual([['slow', 't1'], ['t2', 't3'], ['t4']]);
    expect(cursors.slice(0, 2).every((c) => typeof c === 'string' && c.length > 0)).toBe(true);
    expect(cursors[2]).toBeUndefined();
  });

  it.each([['bogus'], ['99'], ['-1'], ['1.5'], [7]])('rejects the invalid cursor %j with -32602', async (cursor) => {
    const r = await postModern(server.url, 1, 'tools/list', { cursor });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(-32602);
    expect(r.json.error.message).toMatch(/cursor/);
  });

  it('pages the same way in a 2025 session; an invalid cursor is -32602 there too', async () => {
    const { id } = await legacySession(server.url);
    const headers = { 'mcp-session-id': id, 'mcp-protocol-version': LEGACY };
    const first = await post(server.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, headers);
    expect(names(first.json.result.tools)).toEqual(['slow', 't1']);
    const second = await post(
      server.url,
      { jsonrpc: '2.0', id: 3, method: 'tools/list', params: { cursor: first.json.result.nextCursor } },
      headers
    );
    expect(names(second.json.result.tools)).toEqual(['t2', 't3']);
    const bad = await post(server.url, { jsonrpc: '2.0', id: 4, method: 'tools/list', params: { cursor: 'bogus' } }, headers);
    expect(bad.json.error.code).toBe(-32602);
  });

  it.each(['legacy', 'modern'] as Era[])('the SDK client (%s) follows the cursors to all five tools', async (era) => {
    const conn = await connect('http', era, { url: server.url });
    try {
      expect(names((await conn.client.listTools()).tools)).toEqual(['slow', 't1', 't2', 't3', 't4']);
      const second = await conn.client.listTools({ cursor: '1' });
      expect(names(second.tools)).toEqual(['t2', 't3']);
      const e = await conn.client.listTools({ cursor: 'bogus' }).then(
        () => undefined,
        (err: unknown) => err
      );
      expect(e).toBeInstanceOf(ProtocolError);
      expect((e as ProtocolError).code).toBe(-32602);
    } finally {
      await conn.close();
    }
  });
});

describe.each([
  ['stdio', 'legacy'],
  ['stdio', 'modern'],
  ['http', 'legacy'],
  ['http', 'modern']
] as [Transport, Era][])('slow handler over %s, %s era', (transport, era) => {
  let conn: Connected;
  let client: Client;
  beforeAll(async () => {
    conn = await connect(transport, era, transport === 'stdio' ? { dir: artifact } : { url: server.url });
    client = conn.client;
  });
  afterAll(() => conn?.close());

  it('delivers progress notifications to onprogress, in order, then the result', async () => {
    const seen: { progress: number; total?: number }[] = [];
    const r = await client.callTool(
      { name: 'slow', arguments: { ms: 400 } },
      { onprogress: (p) => void seen.push({ progress: p.progress, total: p.total }) }
    );
    expect(r.content).toEqual([{ type: 'text', text: 'done' }]);
    // The SDK client dispatches notifications a microtask late but responses at once, so the final progress,
    // written just before the result, can arrive in the same chunk and be dropped (modelcontextprotocol/
    // typescript-sdk#2580; servers cannot avoid it). The wire-level tests below check all five are sent first.
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([0, 1, 2, 3, 4].slice(0, seen.length).map((progress) => ({ progress, total: 4 })));
  });

  it('sends no progress without onprogress, and validates handler arguments', async () => {
    expect((await client.callTool({ name: 'slow', arguments: { ms: 0 } })).content).toEqual([{ type: 'text', text: 'done' }]);
    const bad = await client.callTool({ name: 'slow', arguments: { ms: -5 } });
    expect(bad.isError).toBe(true);
    expect((bad.content[0] as { text: string }).text).toMatch(/ms.*>= 0/);
  });
});

/** JSON-RPC messages of an SSE body, in order. */
const sseMessages = (text: string): any[] => [...text.matchAll(/^data: (.+)$/gm)].map((m) => JSON.parse(m[1]!));

/** What the server wrote for one call: progress values before the result, and the result. */
function progressThenResult(messages: any[], id: number) {
  const end = messages.findIndex((m) => m.id === id);
  expect(end, JSON.stringify(messages)).toBeGreaterThanOrEqual(0);
  const progress = messages.slice(0, end).filter((m) => m.method === 'notifications/progress');
  for (const p of progress) expect(p.params).toMatchObject({ progressToken: 'tok', total: 4 });
  expect(messages.slice(end + 1).filter((m) => m.method === 'notifications/progress')).toEqual([]);
  return { progress: progress.map((p) => p.params.progress), result: messages[end].result };
}

describe('progress on the wire: every notification is sent before the result', () => {
  it.each(['legacy', 'modern'] as Era[])('stdio, %s; ending stdin mid-call still answers it, then exits 0', async (era) => {
    const child = spawn(process.execPath, [cli, 'run', '-o', artifact, '--log-level', 'warn'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const send = (m: unknown) => child.stdin.write(JSON.stringify(m) + '\n');
    const meta = era === 'modern' ? { ...modernMeta, progressToken: 'tok' } : { progressToken: 'tok' };
    if (era === 'legacy') {
      send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'raw', version: '1' } }
      });
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    }
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'slow', arguments: { ms: 200 }, _meta: meta } });
    child.stdin.end();
    expect(await exited, err).toBe(0);
    const messages = out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l));
    const { progress, result } = progressThenResult(messages, 2);
    expect(progress).toEqual([0, 1, 2, 3, 4]);
    expect(result.content).toEqual([{ type: 'text', text: 'done' }]);
  });

  it('HTTP, 2026-07-28: an SSE stream of progress, then the result', async () => {
    const r = await postModern(server.url, 3, 'tools/call', { name: 'slow', arguments: { ms: 200 }, _meta: { progressToken: 'tok' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    const { progress, result } = progressThenResult(sseMessages(r.text), 3);
    expect(progress).toEqual([0, 1, 2, 3, 4]);
    expect(result).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'done' }] });
  });

  it('HTTP, 2025 session: an SSE stream of progress with event ids, then the result', async () => {
    const { id } = await legacySession(server.url);
    const r = await post(
      server.url,
      { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'slow', arguments: { ms: 200 }, _meta: { progressToken: 'tok' } } },
      { 'mcp-session-id': id, 'mcp-protocol-version': LEGACY }
    );
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    // Five progress events and the result, plus the priming event (an id and empty data, SEP-1699).
    expect([...r.text.matchAll(/^id: (.+)$/gm)].length).toBe(7);
    const { progress, result } = progressThenResult(sseMessages(r.text), 4);
    expect(progress).toEqual([0, 1, 2, 3, 4]);
    expect(result.content).toEqual([{ type: 'text', text: 'done' }]);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM: refuses new requests (503), finishes in-flight calls of both eras, exits 0', async () => {
    const own = await startHttp(artifact);
    const clients = [await connect('http', 'legacy', { url: own.url }), await connect('http', 'modern', { url: own.url })];
    try {
      const started = clients.map(() => {
        let resolve!: () => void;
        return { promise: new Promise<void>((r) => (resolve = r)), resolve: () => resolve() };
      });
      const calls = clients.map((c, i) =>
        c.client.callTool({ name: 'slow', arguments: { ms: 1500 } }, { onprogress: () => started[i]!.resolve(), timeout: 10_000 })
      );
      await Promise.all(started.map((s) => s.promise));
      const signalledAt = Date.now();
      own.child.kill('SIGTERM');

      // The listener stays open while draining (probes get /readyz 503): a new request is answered 503 at once.
      const list = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: { _meta: modernMeta } });
      const attempt = () =>
        new Promise<string>((resolve) => {
          const req = request(
            own.url,
            { method: 'POST', agent: false, headers: { 'content-type': 'application/json', accept: 'application/json' } },
            (res) => {
              res.resume();
              resolve(`HTTP ${res.statusCode}`);
            }
          );
          req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
          req.end(list);
        });
      let refused = '';
      await waitFor(async () => (refused = await attempt()) === 'HTTP 503', 1000, 'new requests to be refused').catch(() => undefined);
      expect(refused).toBe('HTTP 503');

      const results = await Promise.all(calls);
      for (const r of results) expect(r.content).toEqual([{ type: 'text', text: 'done' }]);
      const exit = await own.exited;
      expect(exit, own.stderr()).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(8000);
    } finally {
      for (const c of clients) await c.close();
    }
  });
});
