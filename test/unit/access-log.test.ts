/**
 * The HTTP access log: one info line per request, wherever it was answered (a tools/call, a refusal), with the MCP
 * method, tool, status, duration, principal, request, session and trace ids; and the warning naming
 * transport.allowedHosts / transport.allowedOrigins when the guard refuses a Host or an Origin (once per value).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { noTelemetry, type Telemetry } from '../../runtime/core/telemetry.js';
import { createLogger } from '../../runtime/log.js';
import { createCore } from '../../runtime/serve.js';
import { MAX_WARNED_VALUES } from '../../runtime/transports/http-access.js';
import { createHttpServer, type HttpServer } from '../../runtime/transports/http.js';
import { buildToTemp } from '../helpers/artifact.js';

const KEY = 'access-log-key-5e1f9a';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${KEY}` };

type Line = Record<string, unknown>;
const lines: Line[] = [];
const waiting: { test: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
/** The next line (from now on) that passes `test`. */
function next(test: (l: Line) => boolean): Promise<Line> {
  return new Promise((resolve) => waiting.push({ test, resolve }));
}
const log = createLogger('info', (text) => {
  const line = JSON.parse(text) as Line;
  lines.push(line);
  for (const w of waiting.filter((w) => w.test(line))) {
    waiting.splice(waiting.indexOf(w), 1);
    w.resolve(line);
  }
});
/** A telemetry part that traces: the access line reads the trace id through the contract (RequestObservation.traceId). */
const traced: Telemetry = { begin: () => ({ traceId: TRACE, run: (work) => work(), end: () => {} }), kinds: noTelemetry.kinds };

let server: HttpServer;
let url: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-access-'));
  writeFileSync(
    join(dir, 'mcp-gen.yaml'),
    [
      'server: { name: logged, version: 1.0.0 }',
      'auth:',
      '  apiKeys:',
      '    - { name: ci-bot, key: "${ACCESS_LOG_KEY}" }',
      'tools:',
      '  - name: echo',
      '    description: Says it back.',
      '    template: "{{text}}"',
      '    input: { properties: { text: { type: string } }, required: [text] }'
    ].join('\n')
  );
  const loaded = await loadArtifact(await buildToTemp(join(dir, 'mcp-gen.yaml')), { ...process.env, ACCESS_LOG_KEY: KEY });
  const core = await createCore(loaded, { env: { ...process.env, ACCESS_LOG_KEY: KEY }, log, telemetry: traced });
  server = createHttpServer(core, {
    ...loaded.artifact.transport,
    host: '127.0.0.1',
    port: 0,
    allowedHosts: [],
    allowedOrigins: []
  });
  url = await server.listen();
});
afterAll(() => server.close(100));

const rpc = (id: number, method: string, params: Record<string, unknown>) => JSON.stringify({ jsonrpc: '2.0', id, method, params });
const initialize = rpc(1, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } });

async function openSession(): Promise<string> {
  const r = await fetch(url, { method: 'POST', headers: base, body: initialize });
  return r.headers.get('mcp-session-id')!;
}

describe('access lines', () => {
  it('a tools/call over HTTP: method, tool, status, duration, principal, request, session and trace ids', async () => {
    const session = await openSession();
    const line = next((l) => l.mcp_method === 'tools/call');
    const r = await fetch(url, {
      method: 'POST',
      headers: { ...base, 'mcp-session-id': session },
      body: rpc(7, 'tools/call', { name: 'echo', arguments: { text: 'hi' } })
    });
    expect(r.status).toBe(200);
    await r.text();
    const { time, duration_ms, ...rest } = await line;
    expect(typeof time).toBe('string');
    expect(duration_ms).toBeTypeOf('number');
    expect(duration_ms as number).toBeGreaterThanOrEqual(0);
    expect(rest).toEqual({
      level: 'info',
      msg: 'request completed',
      http_method: 'POST',
      mcp_method: 'tools/call',
      tool: 'echo',
      status: 200,
      principal: 'ci-bot',
      request_id: 7,
      session_id: session,
      trace_id: TRACE
    });
  });

  it('initialize: the line carries the session it opened', async () => {
    const line = next((l) => l.mcp_method === 'initialize');
    const session = await openSession();
    expect(await line).toMatchObject({ status: 200, request_id: 1, session_id: session, principal: 'ci-bot' });
  });

  const refusals: { name: string; init: RequestInit & { path?: string }; want: Line }[] = [
    {
      name: 'no credentials: 401, before the body is read (no MCP method)',
      init: { method: 'POST', headers: { ...base, authorization: '' }, body: rpc(2, 'tools/list', {}) },
      want: { http_method: 'POST', status: 401 }
    },
    {
      name: 'another path: 404, with the path',
      init: { method: 'GET', headers: base, path: '/elsewhere?x=1' },
      want: { http_method: 'GET', path: '/elsewhere', status: 404 }
    },
    {
      name: 'an unknown session: 404, with the session id sent',
      init: { method: 'POST', headers: { ...base, 'mcp-session-id': 'gone' }, body: rpc(3, 'tools/list', {}) },
      want: { http_method: 'POST', mcp_method: 'tools/list', request_id: 3, status: 404, principal: 'ci-bot', session_id: 'gone' }
    },
    {
      name: 'a body over transport.maxBodyBytes: 413',
      init: { method: 'POST', headers: base, body: rpc(4, 'tools/call', { name: 'echo', arguments: { text: 'x'.repeat(5_000_000) } }) },
      want: { http_method: 'POST', status: 413, principal: 'ci-bot' }
    }
  ];
  it.each(refusals)('$name', async ({ init, want }) => {
    const { path, ...request } = init;
    const line = next((l) => l.msg === 'request completed' && l.status === want.status && l.http_method === want.http_method);
    const r = await fetch(path ? new URL(path, url) : url, request);
    expect(r.status).toBe(want.status);
    await r.text();
    const { time: _t, duration_ms: _d, level, ...rest } = await line;
    expect(level).toBe('info');
    expect(rest).toEqual({ msg: 'request completed', ...want });
  });
});

describe('Host and Origin refusals', () => {
  it('warn once per value, naming the setting to change and what to add', async () => {
    const { request } = await import('node:http');
    // fetch sets Host itself: a raw request sends another one.
    const post = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(url, { method: 'POST', headers: { ...base, ...headers } }, (res) => {
          res.resume().on('end', () => resolve(res.statusCode!));
        });
        req.on('error', reject).end(rpc(5, 'tools/list', {}));
      });
    const warning = next((l) => l.level === 'warn' && l.setting === 'transport.allowedHosts');
    const access = next((l) => l.status === 403);
    expect(await post({ host: 'mcp.example.com:8443' })).toBe(403);
    const { time: _t, ...w } = await warning;
    expect(w).toEqual({
      level: 'warn',
      msg:
        'refused a request (403): its Host "mcp.example.com:8443" is not allowed by transport.allowedHosts; if clients reach ' +
        'this server by that name, add "mcp.example.com" to transport.allowedHosts in the manifest (further requests with it ' +
        'are refused without a warning)',
      setting: 'transport.allowedHosts',
      host: 'mcp.example.com:8443'
    });
    expect(await access).toMatchObject({ level: 'info', http_method: 'POST', status: 403 });

    const origin = next((l) => l.setting === 'transport.allowedOrigins');
    expect(await post({ origin: 'https://app.example.org' })).toBe(403);
    expect((await origin).msg).toContain(
      'its Origin "https://app.example.org" is not allowed by transport.allowedOrigins; if web pages from that origin may call ' +
        'this server, add "https://app.example.org" to transport.allowedOrigins'
    );

    // The same Host again, then a flood of others: one more warning each up to the bound, then one that says so.
    const before = lines.filter((l) => l.level === 'warn').length;
    const flood = MAX_WARNED_VALUES + 5;
    const last = next((l) => l.status === 403 && lines.filter((x) => x.status === 403).length === 3 + flood);
    expect(await post({ host: 'mcp.example.com:8443' })).toBe(403);
    for (let i = 0; i < flood; i++) expect(await post({ host: `h${i}.example.com` })).toBe(403);
    await last;
    const warned = lines.filter((l) => l.level === 'warn').slice(before);
    expect(warned).toHaveLength(MAX_WARNED_VALUES - 2 + 1);
    expect(warned.at(-1)!.msg).toBe(
      `more requests refused (403) for their Host or Origin: not logged any more (the first ${MAX_WARNED_VALUES} were)`
    );
  });
});
