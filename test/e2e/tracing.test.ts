/**
 * OpenTelemetry tracing end to end (issue 13, point 3): the real `mcp-gen run` with the standard OTEL_* variables
 * exports to an OTLP/HTTP receiver written here. Over HTTP (http/json, decoded): the SERVER span of each call,
 * its parent from `_meta.traceparent` or the `traceparent` header, the child spans of an OpenAPI upstream call,
 * a SQLite query and a sandboxed handler run, and the upstream (a loopback server) receiving the child span's
 * traceparent. Over stdio (http/protobuf): the spans queued at shutdown are flushed; OTEL_SERVICE_NAME and
 * OTEL_TRACES_SAMPLER are honoured. Without any OTEL_* variable, no module of OpenTelemetry is loaded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtifact,
  cleanupTemp,
  cli,
  killAll,
  LEGACY,
  legacySession,
  post,
  postModern,
  requireDist,
  startHttp,
  tempDir
} from '../helpers/e2e-server.js';

interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
  readonly status: { code?: number; message?: string };
  readonly service: unknown;
}
const SERVER = 2;
const CLIENT = 3;
const INTERNAL = 1;
const ERROR = 2;

/** An OTLP/HTTP receiver: decodes http/json exports; keeps http/protobuf ones as bytes. Emits 'export' on each. */
class Receiver extends EventEmitter {
  readonly spans: OtlpSpan[] = [];
  readonly protobuf: { contentType: string | undefined; body: Buffer }[] = [];
  readonly paths = new Set<string>();
  private readonly server: Server = createServer((req, res) => void this.receive(req).then(() => res.writeHead(200).end()));
  url = '';

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async receive(req: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    this.paths.add(req.url ?? '');
    if (req.headers['content-type'] === 'application/json') this.spans.push(...decode(JSON.parse(body.toString('utf8'))));
    else this.protobuf.push({ contentType: req.headers['content-type'], body });
    this.emit('export');
  }

  /** Resolves once `found` returns something for what arrived (checked on each export, never by sleeping). */
  until<T>(found: () => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const check = () => {
        const value = found();
        if (value === undefined) return;
        this.off('export', check);
        resolve(value);
      };
      this.on('export', check);
      check();
    });
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
const anyValue = (v: AnyValue) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue));
const attributesOf = (list: { key: string; value: AnyValue }[] = []) => Object.fromEntries(list.map((a) => [a.key, anyValue(a.value)]));

function decode(request: any): OtlpSpan[] {
  return request.resourceSpans.flatMap((rs: any) =>
    rs.scopeSpans.flatMap((ss: any) =>
      ss.spans.map((s: any) => ({ ...s, attributes: attributesOf(s.attributes), service: attributesOf(rs.resource.attributes) }))
    )
  );
}

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const HEADER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const traceparent = (trace: string, span: string) => `00-${trace}-${span}-01`;

let project: string;
let artifact: string;
let upstream: Server;
const upstreamTraceparents: string[] = [];
const receiver = new Receiver();
let url: string;

function otel(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('OTEL_')) delete env[k];
  return { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...extra };
}

beforeAll(async () => {
  requireDist();
  project = tempDir('mcpgen-tracing-');
  upstream = createServer((req, res) => {
    upstreamTraceparents.push(String(req.headers.traceparent));
    res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":1,"name":"Rex"}]');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  await receiver.listen();
  writeFileSync(
    join(project, 'pets.yaml'),
    `openapi: 3.0.3
info: { title: pets, version: '1' }
servers: [{ url: 'http://127.0.0.1:${(upstream.address() as AddressInfo).port}' }]
paths:
  /pets:
    get:
      operationId: listPets
      summary: Lists pets.
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: array, items: { type: object } } } } }
`
  );
  writeFileSync(join(project, 'twice.ts'), 'export default async ({ n }: { n: number }) => ({ twice: n * 2 });\n');
  const db = new Database(join(project, 'shop.db'));
  db.exec("CREATE TABLE items (name TEXT); INSERT INTO items VALUES ('a'), ('b');");
  db.close();
  writeFileSync(
    join(project, 'mcp-gen.yaml'),
    `server: { name: traced-e2e, version: 2.0.0 }
sources:
  pets: { openapi: ./pets.yaml }
  shop: { database: 'sqlite:./shop.db', readOnly: true }
tools:
  - name: greet
    description: Greet.
    input: { properties: { name: { type: string } }, required: [name] }
    template: "Hello, {{name}}"
  - name: count_items
    description: Counts items.
    source: shop
    sql: SELECT COUNT(*) AS n FROM items
  - name: twice
    description: Doubles a number, in a sandboxed worker.
    input: { properties: { n: { type: integer } }, required: [n] }
    handler: ./twice.ts
`
  );
  artifact = await buildArtifact(join(project, 'mcp-gen.yaml'));
  const env = otel({
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '20',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=e2e'
  });
  url = (await startHttp(artifact, [], env)).url;
});

afterAll(async () => {
  await killAll();
  await receiver.close();
  await new Promise((r) => upstream.close(r));
  cleanupTemp();
});

const serverSpanOf = (requestId: string) => () =>
  receiver.spans.find(
    (s) => s.kind === SERVER && s.attributes['jsonrpc.request.id'] === requestId && s.attributes['network.transport'] === 'tcp'
  );
const childrenOf = (parent: OtlpSpan) => receiver.spans.filter((s) => s.parentSpanId === parent.spanId);

describe('over HTTP (OTLP http/json)', () => {
  it('a tool call with _meta.traceparent: one SERVER span in the caller’s trace', async () => {
    const r = await postModern(url, 101, 'tools/call', {
      name: 'greet',
      arguments: { name: 'Ada' },
      _meta: { traceparent: traceparent(TRACE, '00f067aa0ba902b7'), tracestate: 'rojo=1' }
    });
    expect(r.status).toBe(200);
    const span = await receiver.until(serverSpanOf('101'));
    expect({ name: span.name, traceId: span.traceId, parent: span.parentSpanId, status: span.status.code ?? 0 }).toEqual({
      name: 'tools/call greet',
      traceId: TRACE,
      parent: '00f067aa0ba902b7',
      status: 0
    });
    expect(span.attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'greet',
      'gen_ai.operation.name': 'execute_tool',
      'jsonrpc.request.id': '101',
      'network.transport': 'tcp',
      'network.protocol.name': 'http',
      'mcp.protocol.version': '2026-07-28'
    });
    expect(span.service).toMatchObject({ 'service.name': 'traced-e2e', 'service.version': '2.0.0', 'deployment.environment.name': 'e2e' });
    expect(receiver.paths).toEqual(new Set(['/v1/traces']));
  });

  it('an OpenAPI call with a traceparent header: the upstream call is a CLIENT child whose context reaches the upstream', async () => {
    const r = await postModern(
      url,
      102,
      'tools/call',
      { name: 'listPets', arguments: {} },
      { traceparent: traceparent(HEADER_TRACE, 'b7ad6b7169203331') }
    );
    expect(r.status).toBe(200);
    const span = await receiver.until(serverSpanOf('102'));
    expect({ name: span.name, traceId: span.traceId, parent: span.parentSpanId }).toEqual({
      name: 'tools/call listPets',
      traceId: HEADER_TRACE,
      parent: 'b7ad6b7169203331'
    });
    const child = await receiver.until(() => childrenOf(span)[0]);
    expect({ name: child.name, kind: child.kind, traceId: child.traceId }).toEqual({
      name: 'GET /pets',
      kind: CLIENT,
      traceId: HEADER_TRACE
    });
    expect(child.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'mcpgen.source': 'pets' });
    expect(upstreamTraceparents).toContain(traceparent(HEADER_TRACE, child.spanId));
  });

  it('a SQL tool call: the query is a CLIENT child of the SERVER span', async () => {
    const r = await postModern(url, 103, 'tools/call', {
      name: 'count_items',
      arguments: {},
      _meta: { traceparent: traceparent(TRACE, '1111111111111111') }
    });
    expect(r.status).toBe(200);
    const span = await receiver.until(serverSpanOf('103'));
    expect(span.parentSpanId).toBe('1111111111111111');
    const child = await receiver.until(() => childrenOf(span)[0]);
    expect({ name: child.name, kind: child.kind, traceId: child.traceId }).toEqual({ name: 'sqlite shop', kind: CLIENT, traceId: TRACE });
    expect(child.attributes).toMatchObject({ 'db.system.name': 'sqlite', 'mcpgen.source': 'shop' });
  });

  it('a sandboxed handler call: the run is an INTERNAL child of the SERVER span', async () => {
    const r = await postModern(url, 106, 'tools/call', {
      name: 'twice',
      arguments: { n: 21 },
      _meta: { traceparent: traceparent(TRACE, '3333333333333333') }
    });
    expect(r.text).toContain('42');
    const span = await receiver.until(serverSpanOf('106'));
    expect({ name: span.name, parent: span.parentSpanId }).toEqual({ name: 'tools/call twice', parent: '3333333333333333' });
    const child = await receiver.until(() => childrenOf(span)[0]);
    expect({ name: child.name, kind: child.kind, traceId: child.traceId }).toEqual({
      name: 'sandbox twice',
      kind: INTERNAL,
      traceId: TRACE
    });
    expect(child.attributes).toMatchObject({ 'gen_ai.tool.name': 'twice', 'mcpgen.sandbox.mode': 'worker' });
  });

  it('a 2025 session: mcp.session.id and the negotiated version; an unknown tool: error.type', async () => {
    const session = await legacySession(url);
    const headers = { 'mcp-session-id': session.id, 'mcp-protocol-version': LEGACY };
    await post(url, { jsonrpc: '2.0', id: 104, method: 'tools/call', params: { name: 'greet', arguments: { name: 'B' } } }, headers);
    await post(url, { jsonrpc: '2.0', id: 105, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } }, headers);
    const ok = await receiver.until(serverSpanOf('104'));
    expect(ok.attributes).toMatchObject({ 'mcp.session.id': session.id, 'mcp.protocol.version': LEGACY, 'gen_ai.tool.name': 'greet' });
    const failed = await receiver.until(serverSpanOf('105'));
    expect({ name: failed.name, status: failed.status.code }).toEqual({ name: 'tools/call', status: ERROR });
    expect(failed.attributes).toMatchObject({ 'error.type': '-32602', 'rpc.response.status_code': '-32602', 'mcp.session.id': session.id });
    expect(failed.attributes['gen_ai.tool.name']).toBeUndefined();
  });
});

/** A preload that reports, at exit, which OpenTelemetry packages the process loaded (they are CommonJS). */
function writeModuleReporter(): string {
  const file = join(project, 'report-otel.mjs');
  writeFileSync(
    file,
    `import { createRequire } from 'node:module';
import { writeSync } from 'node:fs';
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const loaded = new Set(Object.keys(cache).map((k) => /node_modules[\\\\/](@opentelemetry[\\\\/][^\\\\/]+)/.exec(k)?.[1]).filter(Boolean));
  writeSync(2, 'otel-modules: ' + JSON.stringify([...loaded].sort()) + '\\n');
});
`
  );
  return file;
}

/** `mcp-gen run` over stdio: initialize, one traced tool call, then end of input; resolves with stderr at exit. */
function stdioRun(env: NodeJS.ProcessEnv, reporter: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', reporter, cli, 'run', '-o', artifact, '--log-level', 'warn'], { env });
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    // Ends the input once the call was answered: the server shuts down, flushing its spans.
    if (stdout.includes('"id":2')) child.stdin!.end();
  });
  const lines = [
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 't', version: '1' } }
    },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'greet', arguments: { name: 'x' }, _meta: { traceparent: traceparent(TRACE, '2222222222222222') } }
    }
  ];
  child.stdin!.write(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr, stdout })));
}

const loadedModules = (stderr: string) => JSON.parse(/^otel-modules: (.*)$/m.exec(stderr)?.[1] ?? 'null') as string[] | null;

describe('over stdio', () => {
  it('http/protobuf: the spans still queued at shutdown are exported before the process exits', async () => {
    const before = receiver.protobuf.length;
    // A schedule far longer than the test: only the shutdown's flush can export them.
    const env = otel({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      OTEL_SERVICE_NAME: 'renamed-by-env'
    });
    const run = await stdioRun(env, writeModuleReporter());
    expect(run.code, run.stderr).toBe(0);
    const exported = receiver.protobuf.slice(before);
    expect(exported.map((e) => e.contentType)).toEqual(['application/x-protobuf']);
    const body = exported[0]!.body;
    // Protobuf keeps strings and ids as raw bytes: the span's name, its attribute and the caller's trace id are there.
    expect(body.includes('tools/call greet')).toBe(true);
    expect(body.includes('pipe')).toBe(true);
    expect(body.includes(Buffer.from(TRACE, 'hex'))).toBe(true);
    // OTEL_SERVICE_NAME wins over the artifact's server name.
    expect(body.includes('renamed-by-env')).toBe(true);
    expect(body.includes('traced-e2e')).toBe(false);
    expect(loadedModules(run.stderr)).toContain('@opentelemetry/sdk-trace-base');
  });

  it('OTEL_TRACES_SAMPLER=always_off: the SDK samples nothing, so nothing is exported', async () => {
    const before = receiver.protobuf.length;
    const run = await stdioRun(otel({ OTEL_TRACES_SAMPLER: 'always_off' }), writeModuleReporter());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Hello, x');
    // The exit comes after the shutdown's flush: an export would have arrived by now.
    expect(receiver.protobuf.length).toBe(before);
  });

  it('without OTEL_* variables, no OpenTelemetry SDK module is loaded', async () => {
    const env = otel();
    delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
    const run = await stdioRun(env, writeModuleReporter());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Hello, x');
    // Only the API (no-op without an SDK): prom-client's process CPU metric requires it for exemplars.
    expect(loadedModules(run.stderr)).toEqual(['@opentelemetry/api']);
  });
});
