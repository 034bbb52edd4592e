/**
 * Hostile input (issue 10, 2): regular-expression denial of service. One string of 900 000 characters
 * without spaces, sent where audit and resource matching read it before anything refuses the call: to an
 * unknown tool, to a tool the caller may not call, as a prompt argument, and as a resource URI (a query that
 * looks like credentials, a path for a `{+a}/{+b}` template). A real HTTP server with `audit:` on, in this
 * process, so the event loop's delay can be measured while it works: a backtracking expression blocked it for
 * minutes; linear scans keep every stall under a second.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { McpCore } from '../../runtime/core/server.js';
import { createLogger } from '../../runtime/log.js';
import { createHttpServer, type HttpServer } from '../../runtime/transports/http.js';
import { buildToTemp } from '../helpers/artifact.js';
import { report } from './hostile.js';

const SIZE = 900_000;
/**
 * A robustness bound, not a speed target: the old expressions stalled for minutes at this size. Measured on the
 * shared 2-core machine: 20-130 ms with the suite alone, up to 370 ms with a dozen test files running beside it
 * (parsing, hashing and serialising 900 KB, and garbage collection, all linear).
 */
const MAX_STALL_MS = 1000;
const KEY = 'reader-key-5e1c0';

const manifest = `server: { name: redos, version: 1.0.0 }
auth:
  apiKeys: [{ name: reader, key: "${KEY}", scopes: [read] }]
audit:
  sink: { file: ./audit.log }
tools:
  - name: purge
    description: Admins only.
    scopes: [admin]
    input: { properties: { text: { type: string } } }
    template: "purged"
resources:
  - { name: files, uriTemplate: "files://{+dir}/{+name}", template: "{{dir}} {{name}}" }
prompts:
  - name: hello
    description: Say hello.
    arguments: [{ name: who, required: true }]
    messages: [{ role: user, text: "hello {{who}}" }]
`;

let core: McpCore;
let http: HttpServer;
let url: string;
let session: string;

async function post(body: unknown): Promise<{ status: number; json: { error?: { code: number }; result?: unknown } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${KEY}`, 'mcp-protocol-version': '2025-11-25' };
  if (session) headers['mcp-session-id'] = session;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  session ||= res.headers.get('mcp-session-id') ?? '';
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as { error?: { code: number } }) : {} };
}

beforeAll(async () => {
  const project = mkdtempSync(join(tmpdir(), 'mcpgen-redos-'));
  writeFileSync(join(project, 'mcp-gen.yaml'), manifest);
  const loaded = await loadArtifact(await buildToTemp(join(project, 'mcp-gen.yaml')));
  core = await McpCore.create(loaded, { log: createLogger('error', () => {}) });
  http = createHttpServer(core, { ...loaded.artifact.transport, port: 0 });
  url = await http.listen();
  await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'redos', version: '1' } } });
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
});
afterAll(async () => {
  await http.close(100);
  core.close();
});

const unspaced = `${'A'.repeat(SIZE - 4)}\u0000:\u0000@`;
// given: a request carrying 900 000 hostile characters; want: its refusal or answer.
const cases: [string, string, Record<string, unknown>, (r: Awaited<ReturnType<typeof post>>) => boolean][] = [
  ['an unknown tool', 'tools/call', { name: 'no_such_tool', arguments: { text: unspaced } }, (r) => r.json.error?.code === -32602],
  ['a tool the caller may not call', 'tools/call', { name: 'purge', arguments: { text: unspaced } }, (r) => r.status === 403],
  ['a prompt argument', 'prompts/get', { name: 'hello', arguments: { who: unspaced } }, (r) => r.json.result !== undefined],
  ['a resource URI with a query of credential-like keys', 'resources/read', { uri: `docs://x?${'?'.repeat(SIZE / 2)}${'SIG'.repeat(SIZE / 6)}` }, (r) => r.json.error !== undefined],
  ['a resource URI against a {+a}/{+b} template', 'resources/read', { uri: `files://${'/'.repeat(SIZE)}\n` }, (r) => r.json.error !== undefined]
];

/** The sampler records a stall on its first tick after it (its count of recorded delays then grows). */
async function nextSample(delay: IntervalHistogram): Promise<void> {
  const seen = delay.count;
  while (delay.count === seen) await new Promise((resolve) => setImmediate(resolve));
}

describe('ReDoS: 900 000 unspaced characters with audit on', () => {
  it('every request is answered, and the event loop never stalls', async () => {
    const failures: string[] = [];
    for (const [name, method, params, answered] of cases) {
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      await nextSample(delay); // the sampler measures from its previous tick: one must have happened
      const reply = await post({ jsonrpc: '2.0', id: 1, method, params });
      await nextSample(delay);
      delay.disable();
      const stall = delay.max / 1e6;
      if (!answered(reply)) failures.push(`${name}: unexpected answer ${JSON.stringify(reply).slice(0, 200)}`);
      if (stall >= MAX_STALL_MS) failures.push(`${name}: the event loop stalled ${Math.round(stall)} ms`);
    }
    report('redos', cases.length, failures);
    expect(failures).toEqual([]);
  }, 120_000);
});
