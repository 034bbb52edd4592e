import { noTelemetry } from '../../runtime/core/telemetry.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync, deflateRawSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiSourceIR, OpenApiToolExec } from '../../runtime/kinds/openapi/ir.js';
import type { Services, ToolContext, ToolResult } from '../../runtime/kinds/kind.js';
import { openapiKind } from '../../runtime/kinds/openapi/index.js';
import { OpenApiSource } from '../../runtime/kinds/openapi/source.js';
import { createLogger } from '../../runtime/log.js';

/**
 * The OpenAPI kind's HTTP client, against a real node:http upstream whose behaviour each test sets:
 * connection reuse, resets and retries, cancellation and the deadline while the upstream hangs, the
 * response cap, compression, binary bodies and redirects.
 */
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler;
let upstream: Server;
let base: string;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string; socket: Socket }[] = [];
const closed: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, socket: req.socket });
      res.on('close', () => !res.writableFinished && closed.push(req.url!));
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api`;
});
afterAll(() => {
  upstream.closeAllConnections();
  upstream.close();
});
afterEach(() => {
  seen.length = 0;
  closed.length = 0;
});

const json = (res: ServerResponse, value: unknown, status = 200) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));

const opened: OpenApiSource[] = [];
afterAll(() => Promise.all(opened.map((o) => o.dispose())));

function tool(exec: Partial<OpenApiToolExec> = {}, source: Partial<OpenApiSourceIR> = {}) {
  const api: OpenApiSourceIR = {
    kind: 'openapi',
    baseUrl: base,
    auth: {},
    schemes: {},
    timeoutMs: 5_000,
    maxResponseBytes: 1_048_576,
    ...source
  };
  const handle = new OpenApiSource('api', api);
  opened.push(handle);
  const services = {
    root: '/',
    artifactDir: '/',
    importModule: () => Promise.reject(new Error('unused')),
    templates: {},
    log: createLogger('error', () => {}),
    sources: { api },
    source: () => handle,
    telemetry: noTelemetry.kinds
  } as unknown as Services;
  const run = openapiKind.tool(
    {
      kind: 'openapi',
      source: 'api',
      operationId: 'op',
      method: 'GET',
      path: '/items/{id}',
      params: [{ name: 'id', in: 'path', argument: 'id' }],
      security: [],
      ...exec
    },
    services,
    { name: 'op' }
  );
  return (args: Record<string, unknown>, signal = new AbortController().signal) =>
    Promise.resolve(run).then((execute) => execute(args, { signal } as ToolContext)) as Promise<ToolResult>;
}

const text = (r: ToolResult) => String(r.content[0]?.text);

describe('OpenAPI client: connections', () => {
  it('reuses keep-alive connections for calls in a row', async () => {
    handler = (req, res) => json(res, { url: req.url });
    const call = tool();
    for (const id of ['1', '2', '3', '4', '5']) expect((await call({ id })).structuredContent).toEqual({ url: `/api/items/${id}` });
    // undici's pool opens a spare connection while its first is busy: two at most, whatever the number of calls.
    expect(new Set(seen.map((s) => s.socket)).size).toBeLessThanOrEqual(2);
    expect(seen[0]!.headers).toMatchObject({
      connection: 'keep-alive',
      'user-agent': 'mcp-gen',
      'accept-encoding': 'gzip, deflate',
      accept: 'application/json, */*;q=0.8'
    });
  });
  it('retries a GET whose connection was reset, and not a POST', async () => {
    let resets = 1;
    handler = (req, res) => (resets-- > 0 ? req.socket.destroy() : json(res, { ok: true }));
    expect((await tool()({ id: 'r' })).structuredContent).toEqual({ ok: true });
    expect(seen.map((s) => s.url)).toEqual(['/api/items/r', '/api/items/r']);
    seen.length = 0;
    resets = 1;
    const post = await tool({ method: 'POST' })({ id: 'p' });
    expect(post.isError).toBe(true);
    expect(text(post)).toMatch(/^op failed: POST http:\/\/127\.0\.0\.1:\d+\/api\/items\/p: socket hang up/);
    expect(seen).toHaveLength(1);
  });
  it('a pooled connection the upstream closed is replaced without a failed call', async () => {
    handler = (_req, res) => json(res, { ok: true });
    const call = tool();
    await call({ id: 'a' });
    // The upstream drops its idle connection; the next call must not fail for it.
    upstream.closeIdleConnections();
    expect((await call({ id: 'b' })).isError).toBeUndefined();
    expect(seen.map((s) => s.url)).toEqual(['/api/items/a', '/api/items/b']);
  });
  it('a header parameter cannot set the framing headers', async () => {
    handler = (_req, res) => json(res, { ok: true });
    const params = [
      { name: 'id', in: 'path', argument: 'id' },
      { name: 'Content-Length', in: 'header', argument: 'len' },
      { name: 'X-Trace', in: 'header', argument: 'trace' }
    ] as const;
    await tool({ params })({ id: '1', len: '99', trace: 't' });
    expect(seen[0]!.headers['content-length']).toBeUndefined();
    expect(seen[0]!.headers['x-trace']).toBe('t');
  });
});

describe('OpenAPI client: cancellation and the deadline', () => {
  it('cancelling the tool call aborts the upstream request while the upstream hangs', async () => {
    handler = () => {};
    const controller = new AbortController();
    const pending = tool()({ id: 'hang' }, controller.signal);
    await until(() => seen.length === 1);
    controller.abort();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^op failed: GET http:\/\/127\.0\.0\.1:\d+\/api\/items\/hang: the call was cancelled$/);
    await until(() => closed.length === 1);
    expect(closed).toEqual(['/api/items/hang']);
  });
  it('a call already cancelled sends nothing', async () => {
    handler = (_req, res) => json(res, {});
    const result = await tool()({ id: 'x' }, AbortSignal.abort());
    expect(text(result)).toContain('the call was cancelled');
    expect(seen).toHaveLength(0);
  });
  it('timeoutMs covers the whole call, the body included', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    };
    const result = await tool({}, { timeoutMs: 150 })({ id: 'slow' });
    expect(text(result)).toMatch(/: timed out after 150 ms$/);
    await until(() => closed.length === 1);
  });
  it('cancelling during a retry wait stops the waiting', async () => {
    handler = (_req, res) => res.writeHead(503, { 'retry-after': '5' }).end();
    const controller = new AbortController();
    const pending = tool()({ id: 'busy' }, controller.signal);
    await until(() => seen.length === 1);
    controller.abort();
    expect(text(await pending)).toContain('the call was cancelled');
    expect(seen).toHaveLength(1);
  });
});

describe('OpenAPI client: bodies', () => {
  it('cuts a body at maxResponseBytes, with the notice', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('y'.repeat(10_000));
    const result = await tool({}, { maxResponseBytes: 100 })({ id: 'big' });
    expect(text(result)).toBe(
      `${'y'.repeat(100)}\n\n[Response truncated at 100 bytes; ask for less (filters, pagination) to see everything.]`
    );
  });
  it('decodes gzip and deflate, the cap applying to the decoded bytes', async () => {
    const value = { words: 'z'.repeat(5000) };
    handler = (req, res) => {
      const raw = Buffer.from(JSON.stringify(value));
      const gzip = req.url!.includes('gzip');
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': gzip ? 'gzip' : 'deflate' })
        .end(gzip ? gzipSync(raw) : deflateRawSync(raw));
    };
    expect((await tool()({ id: 'gzip' })).structuredContent).toEqual(value);
    expect((await tool()({ id: 'deflate' })).structuredContent).toEqual(value);
    const cut = await tool({}, { maxResponseBytes: 1000 })({ id: 'gzip' });
    expect(text(cut)).toMatch(/^\{"words":"z{990}\n\n\[Response truncated at 1000 bytes/);
  });
  it('an empty 204 with a Content-Encoding is an empty success', async () => {
    handler = (_req, res) => res.writeHead(204, { 'content-encoding': 'gzip' }).end();
    expect(await tool({ method: 'DELETE' })({ id: '1' })).toEqual({ content: [{ type: 'text', text: '' }] });
  });
  it('a body that is not what its Content-Encoding says is a tool error', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end('{"not":"gzip"}');
    expect(text(await tool()({ id: '1' }))).toMatch(/could not decode the gzip response/);
  });
  it('binary: an image as image content, other bytes as a blob named by the final URL', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    handler = (req, res) => res.writeHead(200, { 'content-type': req.url!.includes('png') ? 'image/png' : 'application/zip' }).end(bytes);
    expect((await tool()({ id: 'png' })).content).toEqual([{ type: 'image', data: bytes.toString('base64'), mimeType: 'image/png' }]);
    expect((await tool()({ id: 'zip' })).content).toEqual([
      { type: 'resource', resource: { uri: `${base}/items/zip`, mimeType: 'application/zip', blob: bytes.toString('base64') } }
    ]);
  });
  it('a connection dropped in the middle of the body is a tool error, not a short answer', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"partial":');
      setTimeout(() => req.socket.destroy(), 20);
    };
    const result = await tool({ method: 'POST' })({ id: 'cut' });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^op failed: POST .*\/api\/items\/cut: /);
  });
});

describe('OpenAPI client: redirects', () => {
  it('307 repeats the method and body; 303 turns into a GET without one', async () => {
    handler = (req, res, body) => {
      if (req.url === '/api/items/307') return void res.writeHead(307, { location: '/api/items/after' }).end();
      if (req.url === '/api/items/303') return void res.writeHead(303, { location: 'after' }).end('see other');
      json(res, { method: req.method, body, type: req.headers['content-type'] ?? null });
    };
    const exec = { method: 'POST', body: { argument: 'body', mediaType: 'application/json' } };
    expect((await tool(exec)({ id: '307', body: { a: 1 } })).structuredContent).toEqual({
      method: 'POST',
      body: '{"a":1}',
      type: 'application/json'
    });
    expect((await tool(exec)({ id: '303', body: { a: 1 } })).structuredContent).toEqual({ method: 'GET', body: '', type: null });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /api/items/307',
      'POST /api/items/after',
      'POST /api/items/303',
      'GET /api/items/after'
    ]);
  });
});

async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const t0 = Date.now();
  while (!condition()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
