/**
 * The audit log survives a graceful shutdown: a real `mcp-gen run` (HTTP and stdio) serves N calls with a
 * flush interval far longer than the test, gets SIGTERM, and the file holds exactly N lines, one per call,
 * including a call still running when the signal came.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtifact,
  cleanupTemp,
  cli,
  killAll,
  legacySession,
  post,
  postModern,
  requireDist,
  startHttp,
  tempDir
} from '../helpers/e2e-server.js';

let project: string;
let http: string;
let stdio: string;
/** The upstream of the `slow` OpenAPI tool: answers after 400 ms, so a call is still running at SIGTERM. */
let upstream: Server;
/** Called when a request reaches the upstream: the event a call running at SIGTERM waits for. */
let onUpstreamRequest = () => {};
const logOf = (name: string) => join(project, 'logs', name);

function build(logName: string, port: number): Promise<string> {
  writeFileSync(
    join(project, 'slow.yaml'),
    `openapi: 3.0.3
info: { title: slow, version: '1' }
servers: [{ url: 'http://127.0.0.1:${port}' }]
paths:
  /slow:
    get:
      operationId: slow
      summary: Takes a while.
      responses:
        '200': { description: ok, content: { text/plain: { schema: { type: string } } } }
`
  );
  writeFileSync(
    join(project, 'mcp-gen.yaml'),
    `server: { name: audited-e2e, version: 1.0.0 }
audit:
  sink: { file: ./logs/${logName} }
  flushMs: 600000
sources:
  up: { openapi: ./slow.yaml }
tools:
  - name: greet
    description: Greet.
    input: { properties: { name: { type: string } }, required: [name] }
    template: "Hello, {{name}}"
`
  );
  return buildArtifact(join(project, 'mcp-gen.yaml'), join(project, `.mcp-gen-${logName}`));
}

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  requireDist();
  project = tempDir('mcpgen-audit-e2e-');
  mkdirSync(join(project, 'logs'));
  upstream = createServer((_req, res) => {
    onUpstreamRequest();
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('done'), 400);
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const port = (upstream.address() as AddressInfo).port;
  http = await build('http.log', port);
  stdio = await build('stdio.log', port);
});
afterAll(async () => {
  await killAll();
  upstream?.close();
  cleanupTemp();
});

describe('audit log on SIGTERM', () => {
  it('HTTP: every call of both eras is in the file, the one running at SIGTERM too', async () => {
    const server = await startHttp(http);
    const N = 24;
    for (let i = 1; i <= N / 2; i++) {
      const r = await postModern(server.url, i, 'tools/call', { name: 'greet', arguments: i % 4 === 0 ? {} : { name: `n${i}` } });
      expect(r.status).toBe(200);
    }
    const { id } = await legacySession(server.url);
    for (let i = N / 2 + 1; i <= N; i++) {
      const r = await post(
        server.url,
        { jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'greet', arguments: { name: 'x' } } },
        { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' }
      );
      expect(r.status).toBe(200);
    }
    const reached = new Promise<void>((r) => (onUpstreamRequest = r));
    const running = postModern(server.url, N + 1, 'tools/call', { name: 'slow' });
    await reached;
    server.child.kill('SIGTERM');
    expect((await running).json.result.content[0].text).toBe('done');
    expect(await server.exited).toMatchObject({ code: 0 });

    const got = lines(logOf('http.log'));
    expect(got).toHaveLength(N + 1);
    expect(got.map((l) => l.requestId).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: N + 1 }, (_, i) => i + 1));
    expect(got.filter((l) => l.outcome === 'invalid')).toHaveLength(3);
    expect(got.filter((l) => l.era === 'legacy')).toHaveLength(N / 2);
    expect(got.at(-1)).toMatchObject({ requestId: N + 1, target: 'slow', outcome: 'ok' });
  });

  it('stdio: N calls, SIGTERM, N lines', async () => {
    const child = spawn(process.execPath, [cli, 'run', '-o', stdio, '--log-level', 'warn'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const N = 30;
    let answered = 0;
    const allAnswered = new Promise<void>((resolve) =>
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        answered += d.split('\n').filter((l) => l.includes('"result"')).length;
        if (answered >= N) resolve();
      })
    );
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    for (let i = 1; i <= N; i++)
      child.stdin.write(
        JSON.stringify({
          jsonrpc: '2.0',
          id: i,
          method: 'tools/call',
          params: { name: 'greet', arguments: { name: `s${i}` }, _meta: meta }
        }) + '\n'
      );
    await allAnswered;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const got = lines(logOf('stdio.log'));
    expect(got).toHaveLength(N);
    expect(new Set(got.map((l) => l.requestId)).size).toBe(N);
    expect(got.every((l) => l.outcome === 'ok' && l.principal === 'anonymous' && l.type === 'tool')).toBe(true);
  });
});
