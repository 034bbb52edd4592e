/**
 * Per-kind figures come from the kinds through services.telemetry (never kind names in generic code): each OpenAPI
 * upstream call and each SQL query is one CLIENT span and one histogram observation, labelled only with names from
 * the artifact and fixed sets; the OpenAPI kind sends the trace context on to the upstream.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { Channel } from '../../runtime/core/context.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { KindTelemetry, Telemetry, TraceParent } from '../../runtime/core/telemetry.js';
import { noTelemetry } from '../../runtime/core/telemetry.js';
import { createLogger } from '../../runtime/log.js';
import { createCore } from '../../runtime/serve.js';
import { buildToTemp } from '../helpers/artifact.js';

interface Observed {
  readonly metric: string;
  readonly labels: Record<string, string | number>;
}
interface Spanned {
  readonly parent: TraceParent | undefined;
  readonly name: string;
  readonly kind: string | undefined;
  readonly attributes: Record<string, unknown>;
  failed?: string;
}

const observations: Observed[] = [];
const spans: Spanned[] = [];
const upstreamTraceparents: (string | undefined)[] = [];

/** The trace context every request is given: each kind's span must name it as its parent. */
const REQUEST_SPAN = { request: 'span' } as unknown as TraceParent;

/** Records what kinds report; a span's `inject` writes a fixed traceparent, so the test can see it reach the upstream. */
const recording: KindTelemetry = {
  ...noTelemetry.kinds,
  histogram: (definition) => (labels) => void observations.push({ metric: definition.name, labels: { ...labels } }),
  span: async (parent, name, attributes, work, kind) => {
    const span: Spanned = { parent, name, kind, attributes: { ...attributes } };
    spans.push(span);
    return work({
      setAttributes: (a) => Object.assign(span.attributes, a),
      fail: (type) => void (span.failed = type),
      context: undefined,
      inject: (headers) => void (headers.traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')
    });
  }
};
const telemetry: Telemetry = { ...noTelemetry, begin: () => ({ parent: REQUEST_SPAN, end: () => {} }), kinds: recording };

let upstream: Server;
let core: McpCore;
const channel: Channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };

beforeAll(async () => {
  upstream = createServer((req, res) => {
    upstreamTraceparents.push(req.headers.traceparent as string | undefined);
    if (req.url === '/fail') return void res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  const port = (upstream.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-kt-'));
  const operation = (id: string) => `get: { operationId: ${id}, responses: { '200': { description: ok } } }`;
  writeFileSync(
    join(dir, 'api.yaml'),
    `openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /ok: { ${operation('getOk')} }\n  /fail: { ${operation('getFail')} }\n`
  );
  writeFileSync(
    join(dir, 'mcp-gen.yaml'),
    `server: { name: kt, version: "1" }
sources:
  api: { openapi: ./api.yaml, baseUrl: "http://127.0.0.1:${port}" }
  closed: { openapi: ./api.yaml, baseUrl: "http://127.0.0.1:9" }
  db: { database: "sqlite::memory:" }
tools:
  - { operation: api.getOk, name: ok }
  - { operation: api.getFail, name: failing }
  - { operation: closed.getOk, name: unreachable }
  - { name: one, description: One row., source: db, sql: "SELECT :n AS n", input: { properties: { n: { type: integer } } } }
  - { name: parse, description: Parses JSON., source: db, sql: "SELECT json(:t) AS j", input: { properties: { t: { type: string } } } }
resources:
  - { name: row, description: One row., uriTemplate: "rows://{n}", source: db, sql: "SELECT :n AS n" }
`
  );
  core = await createCore(await loadArtifact(await buildToTemp(join(dir, 'mcp-gen.yaml'))), {
    log: createLogger('error', () => {}),
    telemetry
  });
});
afterAll(async () => {
  upstream.close();
  await core?.close();
});

async function call(name: string, args: Record<string, unknown> = {}) {
  observations.length = 0;
  spans.length = 0;
  upstreamTraceparents.length = 0;
  await core.request(1, 'tools/call', { name, arguments: args }, channel, new AbortController().signal);
}

async function read(uri: string) {
  spans.length = 0;
  const reply = await core.request(2, 'resources/read', { uri }, channel, new AbortController().signal);
  expect(reply === 'timeout' ? '' : String(reply.body)).toContain('contents');
}

describe('kinds report through services.telemetry', () => {
  const cases: {
    tool: string;
    args?: Record<string, unknown>;
    metric: string;
    labels: Record<string, string>;
    span: string;
    failed?: string;
  }[] = [
    {
      tool: 'ok',
      metric: 'mcpgen_upstream_request_duration_seconds',
      labels: { source: 'api', http_request_method: 'GET', status_class: '2xx' },
      span: 'GET /ok'
    },
    {
      tool: 'failing',
      metric: 'mcpgen_upstream_request_duration_seconds',
      labels: { source: 'api', http_request_method: 'GET', status_class: '5xx' },
      span: 'GET /fail',
      failed: '503'
    },
    {
      tool: 'unreachable',
      metric: 'mcpgen_upstream_request_duration_seconds',
      labels: { source: 'closed', http_request_method: 'GET', status_class: 'error' },
      span: 'GET /ok',
      failed: 'upstream_error'
    },
    {
      tool: 'one',
      args: { n: 1 },
      metric: 'mcpgen_sql_statement_duration_seconds',
      labels: { source: 'db', outcome: 'ok' },
      span: 'sqlite db'
    },
    {
      tool: 'parse',
      args: { t: '{not json' },
      metric: 'mcpgen_sql_statement_duration_seconds',
      labels: { source: 'db', outcome: 'refused' },
      span: 'sqlite db',
      failed: 'sql_refused'
    }
  ];
  it.each(cases)('$tool: one $metric observation and one client span', async ({ tool, args, metric, labels, span, failed }) => {
    await call(tool, args);
    expect(observations).toEqual([{ metric, labels }]);
    expect(spans.map((s) => ({ name: s.name, kind: s.kind, failed: s.failed }))).toEqual([{ name: span, kind: 'client', failed }]);
    expect(spans[0]!.parent).toBe(REQUEST_SPAN);
  });

  it("a resource read's query span is a child of the read's request span", async () => {
    await read('rows://7');
    expect(spans.map((s) => ({ name: s.name, parent: s.parent }))).toEqual([{ name: 'sqlite db', parent: REQUEST_SPAN }]);
  });

  it('sends the trace context on to the upstream, and never a label from the request', async () => {
    await call('ok');
    expect(upstreamTraceparents).toEqual(['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01']);
    expect(spans[0]!.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.template': '/ok', 'http.response.status_code': 200 });
  });
});
