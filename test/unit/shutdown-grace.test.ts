/**
 * The end of a shutdown's grace period: a call still running then is cancelled and answered with a
 * shuttingDown error (its client is not left hanging or cut off), and a request that comes while a
 * transport drains is refused with the same error at once.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import { createLogger } from '../../runtime/log.js';
import { createHttpServer } from '../../runtime/transports/http.js';
import { serveStdio } from '../../runtime/transports/stdio.js';
import { buildToTemp } from '../helpers/artifact.js';
import { seedFile, untilRunning } from '../helpers/sqlite-running.js';
import { createCore } from '../../runtime/serve.js';

const quiet = createLogger('error', () => {});
const modernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const SHUTTING_DOWN = -32035;
/** Half a minute of counting that reads `seed` all along: still running whenever a grace period ends. */
const endless = (source: string) => `
  - name: endless_${source}
    description: Counts for half a minute.
    source: ${source}
    sql: WITH RECURSIVE c(x) AS (SELECT n FROM seed UNION ALL SELECT x + 1 FROM c LIMIT 100000000) SELECT x FROM c WHERE x % 2000000 = 0`;

let dir: string;
let artifact: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcpgen-grace-'));
  for (const f of ['a.db', 'b.db', 'c.db']) seedFile(join(dir, f));
  writeFileSync(
    join(dir, 'mcp-gen.yaml'),
    `server: { name: grace, version: 1.0.0 }
sources:
  a: { database: "sqlite:./a.db" }
  b: { database: "sqlite:./b.db" }
  c: { database: "sqlite:./c.db" }
tools:${endless('a')}${endless('b')}${endless('c')}
`
  );
  artifact = await buildToTemp(join(dir, 'mcp-gen.yaml'));
});

describe('HTTP: calls still running when the grace period ends', () => {
  let core: McpCore;
  afterAll(async () => core?.close());

  it('are answered with shuttingDown in both eras, then the server closes', async () => {
    const loaded = await loadArtifact(artifact);
    core = await createCore(loaded, { log: quiet });
    const server = createHttpServer(core, { ...loaded.artifact.transport, port: 0 });
    const url = await server.listen();
    const post = (body: unknown, headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(body)
      });
    const init = await post(
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } }
      },
      {}
    );
    const session = init.headers.get('mcp-session-id')!;
    const modern = post(
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'endless_a', arguments: {}, _meta: modernMeta } },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'endless_a' }
    );
    const legacy = post(
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'endless_b', arguments: {} } },
      { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' }
    );
    await untilRunning(join(dir, 'a.db'), join(dir, 'b.db'));

    await server.close(200);
    const want = {
      code: SHUTTING_DOWN,
      message: expect.stringContaining('still running after the 0.2 s grace period; it was cancelled'),
      data: { graceSeconds: 0.2 }
    };
    const [m, l] = await Promise.all([modern, legacy]);
    expect(m.status).toBe(503);
    expect(await m.json()).toEqual({ jsonrpc: '2.0', id: 2, error: want });
    expect(l.status).toBe(200);
    expect(await l.json()).toEqual({ jsonrpc: '2.0', id: 3, error: want });
  });
});

describe('stdio: shutting down', () => {
  it('refuses a new request at once and answers the running one when the grace period ends', async () => {
    const core = await createCore(await loadArtifact(artifact), { log: quiet });
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.setEncoding('utf8').on('data', (d: string) => (out += d));
    const stdio = serveStdio(core, input, output, {});
    const call = (id: number) =>
      input.write(
        JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'endless_c', arguments: {}, _meta: modernMeta } }) + '\n'
      );
    call(1);
    await untilRunning(join(dir, 'c.db'));

    stdio.close(200);
    call(2);
    await stdio.closed;
    await core.close();
    const answers = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; error: { code: number; message: string; data?: unknown } });
    expect(answers).toEqual([
      {
        jsonrpc: '2.0',
        id: 2,
        error: { code: SHUTTING_DOWN, message: expect.stringMatching(/^Service unavailable: the server is shutting down; retry/) }
      },
      {
        jsonrpc: '2.0',
        id: 1,
        error: { code: SHUTTING_DOWN, message: expect.stringContaining('after the 0.2 s grace period'), data: { graceSeconds: 0.2 } }
      }
    ]);
  });
});
