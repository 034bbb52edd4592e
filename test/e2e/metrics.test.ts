/**
 * GET /metrics of a server built and served by the real CLI (`mcp-gen run --http`): after tool calls of every
 * family (a template, an OpenAPI operation on a local upstream, a SQL query, a sandboxed handler, a cached SQL query
 * called twice), a 2025 session,
 * a refused session, an SSE stream and a refused Host, the scraped exposition names each metric with the labels
 * an operator queries by. `transport.metrics.token` asks scrapers for a bearer token; `transport.metrics: false`
 * turns the endpoint off.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifact, cleanupTemp, killAll, LEGACY, legacySession, post, postModern, startHttp, tempDir } from '../helpers/e2e-server.js';
import { parseExposition, sampleValue, type Exposition } from '../helpers/prometheus.js';

const TOKEN = 'e2e-metrics-token-7c1d';
/** A real mounted MCP server (npm @modelcontextprotocol/server-everything), for its kind's metrics. */
const everything = join(import.meta.dirname, '..', '..', 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
let upstream: Server;

/** A project with one tool of each family, and `transport` as given. */
function project(transport: string, port: number): string {
  const dir = tempDir('mcpgen-metrics-');
  mkdirSync(join(dir, 'handlers'));
  writeFileSync(join(dir, 'handlers', 'hello.ts'), "export default async () => ({ hello: 'world' });\n");
  writeFileSync(
    join(dir, 'api.yaml'),
    "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /ok: { get: { operationId: getOk, responses: { '200': { description: ok } } } }\n"
  );
  writeFileSync(
    join(dir, 'mcp-gen.yaml'),
    `server: { name: observed, version: "1" }
transport: ${transport}
sources:
  api: { openapi: ./api.yaml, baseUrl: "http://127.0.0.1:${port}" }
  db: { database: "sqlite::memory:" }
  ev: { mcp: { command: node, args: [${JSON.stringify(everything)}, stdio] } }
tools:
  - { name: echo, description: Echo., input: { properties: { text: { type: string } } }, template: "{{text}}" }
  - { operation: api.getOk, name: ok }
  - { name: one, description: One row., source: db, sql: "SELECT :n AS n", input: { properties: { n: { type: integer } } } }
  - { name: hello, description: Hello., handler: ./handlers/hello.ts }
  - { name: cached, description: One row, cached., source: db, sql: "SELECT :n AS n", input: { properties: { n: { type: integer } } }, cache: { ttl: 60 } }
`
  );
  return join(dir, 'mcp-gen.yaml');
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Exposition> {
  const r = await fetch(new URL('/metrics', url), { headers });
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await r.text());
}

/** A POST with a Host header the server does not allow (fetch cannot set Host). */
function postWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { host, 'content-type': 'application/json' }, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end('{}');
  });
}

let port: number;
beforeAll(async () => {
  upstream = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  port = (upstream.address() as AddressInfo).port;
});
afterAll(async () => {
  await killAll();
  await new Promise((r) => upstream.close(r));
  cleanupTemp();
});

describe('GET /metrics of a served artifact', () => {
  let url: string;
  let scraped: Exposition;
  let during: Exposition;
  beforeAll(async () => {
    url = (await startHttp(await buildArtifact(project('{ maxSessionsPerPrincipal: 1 }', port)))).url;
    const calls: [string, Record<string, unknown>][] = [
      ['echo', { text: 'hi' }],
      ['ok', {}],
      ['one', { n: 1 }],
      ['hello', {}],
      ['cached', { n: 2 }],
      ['cached', { n: 2 }],
      ['no_such_tool', {}]
    ];
    for (const [i, [name, args]] of calls.entries()) await postModern(url, i + 1, 'tools/call', { name, arguments: args });
    const session = await legacySession(url);
    const headers = { 'mcp-session-id': session.id, 'mcp-protocol-version': LEGACY };
    await post(url, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }, headers);
    // The same client address is at its quota (1): a second session is refused.
    expect((await legacySession(url).catch((e: Error) => e)) instanceof Error).toBe(true);
    const stream = new AbortController();
    const opened = await fetch(url, { headers: { ...headers, accept: 'text/event-stream' }, signal: stream.signal });
    expect(opened.status).toBe(200);
    expect(await postWithHost(url, 'evil.example')).toBe(403);
    during = await scrape(url);
    stream.abort();
    await opened.body?.cancel().catch(() => {});
    expect((await fetch(url, { method: 'DELETE', headers })).status).toBe(200);
    scraped = await scrape(url);
  });

  const op = 'mcp_server_operation_duration_seconds_count';
  const tcp = { network_transport: 'tcp' };
  const cases: { name: string; labels: Record<string, string>; want: number; when?: 'during' }[] = [
    {
      name: op,
      labels: { mcp_method_name: 'tools/call', gen_ai_tool_name: 'echo', error_type: '', ...tcp, mcp_protocol_version: '2026-07-28' },
      want: 1
    },
    { name: op, labels: { gen_ai_tool_name: 'ok', error_type: '' }, want: 1 },
    { name: op, labels: { gen_ai_tool_name: 'one', error_type: '' }, want: 1 },
    { name: op, labels: { gen_ai_tool_name: 'hello', error_type: '' }, want: 1 },
    { name: op, labels: { gen_ai_tool_name: '_unknown' }, want: 1 },
    { name: op, labels: { mcp_method_name: 'initialize', gen_ai_tool_name: '', ...tcp, mcp_protocol_version: LEGACY }, want: 2 },
    { name: op, labels: { mcp_method_name: 'tools/list', mcp_protocol_version: LEGACY }, want: 1 },
    { name: 'mcpgen_requests_in_flight', labels: {}, want: 0 },
    { name: 'mcpgen_sessions_active', labels: {}, want: 1, when: 'during' },
    { name: 'mcpgen_sse_streams_open', labels: {}, want: 1, when: 'during' },
    { name: 'mcpgen_sessions_active', labels: {}, want: 0 },
    { name: 'mcp_server_session_duration_seconds_count', labels: { ...tcp, mcp_protocol_version: LEGACY }, want: 1 },
    { name: 'mcpgen_sessions_refused_total', labels: { reason: 'quota' }, want: 1 },
    { name: 'mcpgen_auth_rejections_total', labels: { reason: 'host_not_allowed' }, want: 1 },
    {
      name: 'mcpgen_upstream_request_duration_seconds_count',
      labels: { source: 'api', http_request_method: 'GET', status_class: '2xx' },
      want: 1
    },
    // `one`, and `cached` once: its second call is a hit.
    { name: 'mcpgen_sql_statement_duration_seconds_count', labels: { source: 'db', outcome: 'ok' }, want: 2 },
    { name: 'mcpgen_cache_requests_total', labels: { entry: 'cached', result: 'miss' }, want: 1 },
    { name: 'mcpgen_cache_requests_total', labels: { entry: 'cached', result: 'hit' }, want: 1 },
    { name: 'mcpgen_sql_pool_connections', labels: { source: 'db', state: 'used' }, want: 0 },
    { name: 'mcpgen_sql_pool_connections', labels: { source: 'db', state: 'free' }, want: 1 },
    { name: 'mcpgen_sandbox_workers', labels: { mode: 'worker', state: 'busy' }, want: 0 },
    { name: 'mcpgen_sandbox_workers', labels: { mode: 'worker', state: 'idle' }, want: 1 }
  ];
  it.each(cases)('$name $labels = $want', ({ name, labels, want, when }) => {
    expect(sampleValue(when === 'during' ? during : scraped, name, labels)).toBe(want);
  });

  it('declares each metric with its type, and includes the process metrics', () => {
    const types: [string, string][] = [
      ['mcp_server_operation_duration_seconds', 'histogram'],
      ['mcp_server_session_duration_seconds', 'histogram'],
      ['mcpgen_upstream_request_duration_seconds', 'histogram'],
      ['mcpgen_sql_statement_duration_seconds', 'histogram'],
      ['mcpgen_requests_in_flight', 'gauge'],
      ['mcpgen_sql_pool_connections', 'gauge'],
      ['mcpgen_rate_limited_total', 'counter'],
      ['mcpgen_cache_requests_total', 'counter'],
      ['process_cpu_seconds_total', 'counter']
    ];
    for (const [name, type] of types) expect(scraped.types.get(name), name).toBe(type);
  });

  it("docs/operations.md lists exactly the server's own metrics, with their types", () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
    const documented = new Map<string, string>();
    for (const line of doc.split('\n')) {
      const row = /^\| `(mcp(?:gen)?_[a-z_]+)` \| ([a-z]+) \|/.exec(line);
      // Rows marked "`run --workers` only" are the primary's own; test/e2e/workers.test.ts scrapes them.
      if (row && !line.includes('`run --workers` only')) documented.set(row[1]!, row[2]!);
    }
    const served = new Map([...scraped.types].filter(([name]) => name.startsWith('mcp_') || name.startsWith('mcpgen_')));
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(served));
  });

  it('answers only GET and HEAD', async () => {
    const r = await fetch(new URL('/metrics', url), { method: 'POST' });
    expect([r.status, r.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });
});

describe('transport.metrics', () => {
  it('with a token: a bearer of it reads the metrics, others get 401; the artifact keeps the reference only', async () => {
    const artifact = await buildArtifact(project('{ metrics: { token: "${METRICS_TOKEN}" } }', port));
    expect(readFileSync(join(artifact, 'artifact.json'), 'utf8')).toContain('${METRICS_TOKEN}');
    const { url } = await startHttp(artifact, [], { ...process.env, METRICS_TOKEN: TOKEN });
    const given: [Record<string, string>, number][] = [
      [{}, 401],
      [{ authorization: 'Bearer wrong' }, 401],
      [{ authorization: `Bearer ${TOKEN}` }, 200]
    ];
    for (const [headers, status] of given) {
      const r = await fetch(new URL('/metrics', url), { headers });
      expect(r.status, JSON.stringify(headers)).toBe(status);
      if (status === 401) expect(r.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    }
  });

  it('false: /metrics is not found', async () => {
    const { url } = await startHttp(await buildArtifact(project('{ metrics: false }', port)));
    expect((await fetch(new URL('/metrics', url))).status).toBe(404);
    expect((await postModern(url, 1, 'tools/call', { name: 'echo', arguments: { text: 'x' } })).status).toBe(200);
  });
});
