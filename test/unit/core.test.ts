import { writeFileSync, readFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact, ArtifactError } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { serveStdio } from '../../runtime/transports/stdio.js';
import type { Middleware } from '../../runtime/core/pipeline.js';
import { buildToTemp } from '../helpers/artifact.js';
import { createCore } from '../../runtime/serve.js';

const repo = join(import.meta.dirname, '..', '..');
const modernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
let dir: string;
let core: McpCore;
const quiet = createLogger('error', () => {});

function legacy(notes: string[] = []): Channel {
  return { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: (m) => notes.push(m) };
}
const modern = (notes: string[] = []): Channel => ({ notify: (m) => notes.push(m) });

async function call(
  channel: Channel,
  method: string,
  params: Record<string, unknown> = {},
  meta = channel.legacy ? undefined : modernMeta
) {
  const reply = await core.request(
    7,
    method,
    meta ? { ...params, _meta: { ...meta, ...(params._meta as object) } } : params,
    channel,
    new AbortController().signal
  );
  return {
    status: reply.status,
    ...(JSON.parse(reply.body) as { result?: Record<string, any>; error?: { code: number; message: string; data?: any } })
  };
}

beforeAll(async () => {
  dir = await buildToTemp(join(repo, 'examples', 'quickstart', 'mcp-gen.yaml'));
  core = await createCore(await loadArtifact(dir), { log: quiet });
});

/** The same expectations in both eras: what a manifest author declared behaves identically. */
describe.each([
  ['legacy', legacy],
  ['modern', modern]
] as const)('core, %s era', (era, channel) => {
  it.each([
    ['tools/call', { name: 'greet', arguments: { name: 'Ada' } }, (r: any) => expect(r.content[0].text).toBe('Hello, Ada.')],
    ['tools/call', { name: 'greet', arguments: { name: 'Ada', excited: true } }, (r: any) => expect(r.content[0].text).toBe('Hello, Ada!')],
    [
      'tools/call',
      { name: 'greet' },
      (r: any) =>
        expect(r).toMatchObject({ isError: true, content: [{ text: expect.stringContaining('missing required argument "name"') }] })
    ],
    [
      'tools/call',
      { name: 'greet', arguments: { name: 3 } },
      (r: any) => expect(r.content[0].text).toContain('argument name must be string')
    ],
    [
      'tools/call',
      { name: 'greet', arguments: { name: 'Ada', exited: true } },
      (r: any) =>
        expect(r).toMatchObject({
          isError: true,
          content: [
            {
              text: expect.stringContaining(
                '- unknown argument "exited". Did you mean "excited"?\nIt accepts these arguments: name, excited.'
              )
            }
          ]
        })
    ],
    ['tools/call', { name: 'server_logo' }, (r: any) => expect(r.content[0]).toMatchObject({ type: 'image', mimeType: 'image/png' })],
    [
      'resources/read',
      { uri: 'docs://readme' },
      (r: any) => expect(r.contents[0]).toMatchObject({ mimeType: 'text/markdown', text: expect.stringContaining('Quickstart') })
    ],
    ['resources/read', { uri: 'docs://pages/usage.md' }, (r: any) => expect(r.contents[0].text).toContain('mcp-gen build')],
    [
      'prompts/get',
      { name: 'review', arguments: { code: 'x', language: 'go' } },
      (r: any) => expect(r.messages[0].content.text).toBe('Review this go code:\nx')
    ],
    [
      'completion/complete',
      { ref: { type: 'ref/prompt', name: 'review' }, argument: { name: 'language', value: 'p' } },
      (r: any) => expect(r.completion.values).toEqual(['py'])
    ],
    [
      'completion/complete',
      { ref: { type: 'ref/resource', uri: 'docs://pages/{page}' }, argument: { name: 'page', value: 'u' } },
      (r: any) => expect(r.completion.values).toEqual(['usage.md'])
    ],
    ['tools/list', {}, (r: any) => expect(r.tools.map((t: any) => t.name)).toEqual(['greet', 'server_logo'])],
    [
      'resources/list',
      {},
      (r: any) => expect(r.resources[0]).toMatchObject({ uri: 'docs://readme', name: 'readme', mimeType: 'text/markdown' })
    ],
    ['resources/templates/list', {}, (r: any) => expect(r.resourceTemplates[0].uriTemplate).toBe('docs://pages/{page}')],
    ['prompts/list', {}, (r: any) => expect(r.prompts[0].arguments).toHaveLength(2)],
    ['server/discover', {}, (r: any) => expect(r.supportedVersions).toContain('2026-07-28')]
  ])('%s %j', async (method, params, check) => {
    const r = await call(channel(), method, params);
    expect(r.error).toBeUndefined();
    check(r.result);
    if (era === 'modern') expect(r.result!.resultType).toBe('complete');
    else expect(r.result!.resultType).toBeUndefined();
  });

  it.each([
    ['tools/call', { name: 'nope' }, -32602],
    ['tools/call', { name: 'greet', arguments: [1] }, -32602],
    ['prompts/get', { name: 'nope' }, -32602],
    ['prompts/get', { name: 'review', arguments: {} }, -32602],
    ['prompts/get', { name: 'review', arguments: { code: 'x', language: 'rust' } }, -32602],
    ['prompts/get', { name: 'review', arguments: { code: 1 } }, -32602],
    ['resources/read', { uri: 'docs://pages/..%2F..%2Fpackage.json' }, era === 'legacy' ? -32002 : -32602],
    ['resources/read', { uri: 'docs://pages/missing.md' }, era === 'legacy' ? -32002 : -32602],
    ['resources/read', {}, -32602],
    ['tools/list', { cursor: '9' }, -32602],
    ['completion/complete', { ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'x' } }, -32602],
    ['completion/complete', { ref: { type: 'ref/other' }, argument: { name: 'x' } }, -32602],
    ['completion/complete', {}, -32602],
    ['no/such/method', {}, -32601]
  ])('%s %j → %i', async (method, params, code) => {
    const r = await call(channel(), method, params);
    expect(r.error?.code).toBe(code);
  });
});

describe('era rules', () => {
  it('initialize negotiates a 2025 version and falls back to the latest', async () => {
    const a = await core.request(
      1,
      'initialize',
      { protocolVersion: '2025-06-18', capabilities: {} },
      modern(),
      new AbortController().signal
    );
    expect(a.session?.protocolVersion).toBe('2025-06-18');
    const b = await core.request(
      1,
      'initialize',
      { protocolVersion: '1999-01-01', capabilities: {} },
      modern(),
      new AbortController().signal
    );
    expect(JSON.parse(b.body).result.protocolVersion).toBe('2025-11-25');
    const c = await core.request(1, 'initialize', {}, modern(), new AbortController().signal);
    expect(JSON.parse(c.body).error.code).toBe(-32602);
  });
  it('legacy-only methods', async () => {
    expect((await call(legacy(), 'ping')).result).toEqual({});
    const l = legacy();
    expect((await call(l, 'logging/setLevel', { level: 'error' })).result).toEqual({});
    expect(l.legacy!.logLevel).toBe('error');
    expect((await call(legacy(), 'logging/setLevel', { level: 'loud' })).error?.code).toBe(-32602);
    expect((await call(modern(), 'ping')).error?.code).toBe(-32601);
  });
  it.each([
    [{}, -32602],
    [{ 'io.modelcontextprotocol/protocolVersion': '2026-07-28' }, -32602],
    [{ 'io.modelcontextprotocol/protocolVersion': '2099-01-01', 'io.modelcontextprotocol/clientCapabilities': {} }, -32022],
    [{ ...modernMeta, 'io.modelcontextprotocol/logLevel': 'loud' }, -32602]
  ])('modern _meta %j → %i', async (meta, code) => {
    const r = await core.request(1, 'tools/list', { _meta: meta }, modern(), new AbortController().signal);
    const body = JSON.parse(r.body);
    expect(body.error.code).toBe(code);
    expect(r.status).toBe(400);
    if (code === -32022) expect(body.error.data).toEqual({ supported: expect.arrayContaining(['2026-07-28']), requested: '2099-01-01' });
  });
  it.each([
    [{ protocolVersion: '2025-11-25', method: 'tools/call', name: 'greet' }],
    [{ protocolVersion: '2026-07-28', method: 'tools/list', name: 'greet' }],
    [{ protocolVersion: '2026-07-28', method: 'tools/call', name: 'other' }]
  ])('header mismatch %j → -32020', async (headers) => {
    const r = await core.request(
      1,
      'tools/call',
      { name: 'greet', arguments: { name: 'a' }, _meta: modernMeta },
      { headers, notify: () => {} },
      new AbortController().signal
    );
    expect(JSON.parse(r.body).error.code).toBe(-32020);
  });
  it('modern results carry caching hints and serverInfo', async () => {
    const list = await call(modern(), 'tools/list');
    expect(list.result).toMatchObject({
      ttlMs: 3600000,
      cacheScope: 'public',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'quickstart' } }
    });
    const read = await call(modern(), 'resources/read', { uri: 'docs://readme' });
    expect(read.result).toMatchObject({ ttlMs: 60000, cacheScope: 'public' });
  });
  it('logs only when the modern request asked for a level', async () => {
    const dir2 = await buildToTemp(join(repo, 'examples', 'handler', 'mcp-gen.yaml'));
    const c2 = await createCore(await loadArtifact(dir2), { log: quiet });
    const run = async (meta: Record<string, unknown>) => {
      const notes: string[] = [];
      await c2.request(
        1,
        'tools/call',
        { name: 'slow_count', arguments: { to: 2, delayMs: 0 }, _meta: meta },
        modern(notes),
        new AbortController().signal
      );
      return notes.map((n) => JSON.parse(n).method);
    };
    expect(await run(modernMeta)).toEqual([]);
    expect(await run({ ...modernMeta, 'io.modelcontextprotocol/logLevel': 'info', progressToken: 'p' })).toEqual([
      'notifications/message',
      'notifications/progress',
      'notifications/progress'
    ]);
    expect(await run({ ...modernMeta, 'io.modelcontextprotocol/logLevel': 'error' })).toEqual([]);
    const aborted = new AbortController();
    aborted.abort();
    const r = await c2.request(1, 'tools/call', { name: 'slow_count', arguments: { to: 2 }, _meta: modernMeta }, modern(), aborted.signal);
    expect(JSON.parse(r.body).result.isError).toBe(true);
  });
});

describe('pipeline middleware', () => {
  it('runs around execution in order and can refuse', async () => {
    const order: string[] = [];
    const trace =
      (name: string): Middleware =>
      async (call, next) => {
        order.push(`${name}:${call.type}:${call.target}`);
        return next();
      };
    const refuse: Middleware = async (call, next) => {
      if (call.target === 'server_logo') return { content: [{ type: 'text', text: 'refused' }], isError: true } as never;
      return next();
    };
    const c = await createCore(await loadArtifact(dir), { log: quiet, middleware: [trace('a'), trace('b'), refuse] });
    await c.request(1, 'tools/call', { name: 'greet', arguments: { name: 'x' } }, legacy(), new AbortController().signal);
    expect(order).toEqual(['a:tool:greet', 'b:tool:greet']);
    const r = await c.request(1, 'tools/call', { name: 'server_logo' }, legacy(), new AbortController().signal);
    expect(JSON.parse(r.body).result.content[0].text).toBe('refused');
  });
});

describe('artifact contract', () => {
  it('refuses another format version with a clear message', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'mcpgen-fmt-'));
    for (const f of ['artifact.json', 'lists.json', 'validators.mjs', 'templates.mjs'])
      writeFileSync(join(copy, f), readFileSync(join(dir, f)));
    const artifact = JSON.parse(readFileSync(join(copy, 'artifact.json'), 'utf8'));
    writeFileSync(join(copy, 'artifact.json'), JSON.stringify({ ...artifact, format: 99 }));
    await expect(loadArtifact(copy)).rejects.toThrow(/format 99, this runtime reads format 2/);
    await expect(loadArtifact(join(copy, 'nope'))).rejects.toBeInstanceOf(ArtifactError);
  });
  it('resolves ${VAR} in server settings at start, and names a missing one', async () => {
    const d = mkdtempSync(join(tmpdir(), 'mcpgen-env-'));
    writeFileSync(join(d, 'mcp-gen.yaml'), 'server: { name: "${SRV_NAME:-dflt}", version: "1" }\ntransport: { port: "${SRV_PORT}" }\n');
    const out = await buildToTemp(join(d, 'mcp-gen.yaml')).catch((e) => e as Error);
    expect(String(out)).toContain('SRV_PORT');
    writeFileSync(join(d, 'mcp-gen.yaml'), 'server: { name: "${SRV_NAME:-dflt}", version: "1" }\n');
    const art = await buildToTemp(join(d, 'mcp-gen.yaml'));
    expect(readFileSync(join(art, 'artifact.json'), 'utf8')).toContain('${SRV_NAME:-dflt}');
    expect((await loadArtifact(art, { SRV_NAME: 'real' })).artifact.server.name).toBe('real');
  });
});

describe('stdio transport', () => {
  it('serves both eras, rejects garbage, and drains on end of input', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: any[] = [];
    output.on('data', (c: Buffer) =>
      lines.push(
        ...c
          .toString()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      )
    );
    const server = serveStdio(core, input, output);
    const send = (m: unknown) => input.write(JSON.stringify(m) + '\n');
    input.write('not json\n');
    send([{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: modernMeta } });
    send({ jsonrpc: '2.0', id: 3, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 4, method: 'ping' });
    send({ jsonrpc: '2.0', id: 5, result: {} });
    send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 99 } });
    input.end();
    await server.closed;
    const byId = (id: unknown) => lines.find((l) => l.id === id);
    expect(byId(null).error.code).toBe(-32700);
    expect(lines.filter((l) => l.id === null).map((l) => l.error.code)).toEqual([-32700, -32600]);
    expect(byId(2).result.tools).toHaveLength(2);
    expect(byId(3).result.protocolVersion).toBe('2025-11-25');
    expect(byId(4).result).toEqual({});
    expect(byId(5)).toBeUndefined();
    server.close();
  });
});

describe('directory resources never leave their root', () => {
  it('refuses .., absolute paths and symlinks out', async () => {
    const d = mkdtempSync(join(tmpdir(), 'mcpgen-dir-'));
    mkdirSync(join(d, 'pages'));
    writeFileSync(join(d, 'pages', 'ok.txt'), 'fine');
    writeFileSync(join(d, 'secret.txt'), 'secret');
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(d, 'secret.txt'), join(d, 'pages', 'link.txt'));
    writeFileSync(
      join(d, 'mcp-gen.yaml'),
      'server: { name: x, version: "1" }\nresources:\n  - { name: p, uriTemplate: "f://{+path}", directory: ./pages }\n'
    );
    const c = await createCore(await loadArtifact(await buildToTemp(join(d, 'mcp-gen.yaml'))), { log: quiet });
    const read = async (uri: string) =>
      JSON.parse((await c.request(1, 'resources/read', { uri }, legacy(), new AbortController().signal)).body);
    expect((await read('f://ok.txt')).result.contents[0].text).toBe('fine');
    for (const uri of ['f://../secret.txt', 'f://link.txt', `f://${d}/secret.txt`, 'f://%2E%2E/secret.txt', 'f://ok.txt%00']) {
      const r = await read(uri);
      expect(r.error?.code, uri).toBe(-32002);
      expect(JSON.stringify(r)).not.toContain('secret"');
    }
  });
});
