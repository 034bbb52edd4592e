import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { RpcError } from '../../runtime/core/errors.js';
import type { Middleware } from '../../runtime/core/pipeline.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import {
  argumentDigest,
  canonicalJson,
  isSecretName,
  looksSecret,
  maskArguments,
  maskText,
  MASK
} from '../../runtime/security/audit/digest.js';
import { FileSink, StderrSink } from '../../runtime/security/audit/sink.js';
import { clearSecrets, registerSecret } from '../../runtime/redact.js';
import { createHttpServer, type HttpServer } from '../../runtime/transports/http.js';
import { buildToTemp } from '../helpers/artifact.js';
import { waitFor } from '../helpers/wait.js';
import { createCore } from '../../runtime/serve.js';

const quiet = createLogger('error', () => {});

describe('argument digest', () => {
  const schema = {
    type: 'object',
    properties: {
      user: { type: 'string' },
      password: { type: 'string', 'x-sensitive': true },
      pin: { type: 'string', format: 'password' },
      nested: { $ref: '#/$defs/Nested' },
      list: {
        type: 'array',
        items: { type: 'object', properties: { code: { type: 'string', 'x-sensitive': true }, n: { type: 'integer' } } }
      },
      extra: { type: 'object', additionalProperties: { type: 'string', 'x-sensitive': true } }
    },
    $defs: { Nested: { type: 'object', properties: { otp: { type: 'string', 'x-sensitive': true }, note: { type: 'string' } } } }
  };

  it.each([
    ['x-sensitive on a property', { user: 'ann', password: 'hunter2' }, { user: 'ann', password: MASK }],
    ['format: password', { pin: '1234' }, { pin: MASK }],
    ['through a $defs reference', { nested: { otp: '999', note: 'hi' } }, { nested: { otp: MASK, note: 'hi' } }],
    ['inside array items', { list: [{ code: 'x', n: 1 }, { n: 2 }] }, { list: [{ code: MASK, n: 1 }, { n: 2 }] }],
    ['additionalProperties', { extra: { a: 'b' } }, { extra: { a: MASK } }],
    ['a credential-looking value under an innocent name', { user: 'Bearer abcdefghijklmnop' }, { user: MASK }],
    [
      'a credential-like name without a mark',
      { apiKey: 'k', client_secret: 's', max_tokens: 5, tokenCount: 2, note: null },
      { apiKey: MASK, client_secret: MASK, max_tokens: 5, tokenCount: 2, note: null }
    ],
    ['ordinary values stay', { user: 'ann', n: 3, ok: true, none: null }, { user: 'ann', n: 3, ok: true, none: null }]
  ])('masks %s', (_name, args, want) => expect(maskArguments(args, schema)).toEqual(want));

  it.each([
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'Bearer 0123456789abcdef',
    'AKIAIOSFODNN7EXAMPLE',
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'xoxb-123456789012-abcdefghij',
    'sk_live_abcdefghijklmnop1234',
    'sk-ant-api03-abcdefghijklmnopqrstuvwxyz',
    'AIzaSyA1234567890abcdefghijklmnopqrstuv',
    'postgres://app:s3cret@db.internal/prod',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIB',
    'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZkFCQ0RFRg'
  ])('looks secret: %s', (value) => expect(looksSecret(value)).toBe(true));

  it.each([
    'hello world',
    'ann@example.com',
    'https://example.com/a/b?c=d',
    'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    'SELECT * FROM users WHERE id = 1',
    '2026-01-01T00:00:00Z'
  ])('looks ordinary: %s', (value) => expect(looksSecret(value)).toBe(false));

  it.each([
    ['apiKey', true],
    ['api_key', true],
    ['X-Api-Key', true],
    ['accessToken', true],
    ['password', true],
    ['client_secret', true],
    ['Authorization', true],
    ['max_tokens', false],
    ['tokenCount', false],
    ['author', false],
    ['secretary', false]
  ])('isSecretName(%s) = %s', (name, want) => expect(isSecretName(name as string)).toBe(want));

  it('a value the server registered as a secret is masked wherever it appears', () => {
    registerSecret('correct-horse-battery');
    try {
      expect(maskArguments({ note: 'correct-horse-battery' }, {})).toEqual({ note: MASK });
    } finally {
      clearSecrets();
    }
  });

  it('is canonical: key order does not matter, secrets do not change it, other values do', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: 'x', u: undefined })).toBe('{"a":"x","b":[1,{"c":2,"d":1}]}');
    const d = argumentDigest({ user: 'ann', password: 'one' }, schema);
    expect(d).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(argumentDigest({ password: 'two', user: 'ann' }, schema)).toBe(d);
    expect(argumentDigest({ user: 'bob', password: 'one' }, schema)).not.toBe(d);
  });

  it.each([
    ['db://u:pw@host/x', `db://${MASK}@host/x`],
    ['api://items?id=3&token=abc&page=2', `api://items?id=3&token=${MASK}&page=2`],
    ['docs://pages/usage.md', 'docs://pages/usage.md']
  ])('maskText(%s)', (given, want) => expect(maskText(given)).toBe(want));
});

describe('sinks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-audit-sink-'));

  it('a file sink buffers, writes on its timer or at 64 KiB, and flushes and fsyncs on close', async () => {
    const path = join(dir, 'nested', 'a.log');
    writeFileSync(join(dir, 'keep'), '');
    const sink = new FileSink(path, 60_000);
    sink.write('one\n');
    expect(readFileSync(path, 'utf8')).toBe('');
    sink.write(`${'x'.repeat(70_000)}\n`);
    expect(readFileSync(path, 'utf8')).toHaveLength(4 + 70_001);
    sink.write('two\n');
    sink.close();
    expect(readFileSync(path, 'utf8').endsWith('two\n')).toBe(true);
    // a call still running at shutdown: its line goes straight to the file
    sink.write('late\n');
    expect(readFileSync(path, 'utf8').endsWith('two\nlate\n')).toBe(true);
    sink.dispose();
    sink.dispose();
    sink.write('dropped\n');
    expect(readFileSync(path, 'utf8').endsWith('late\n')).toBe(true);
  });

  it('appends to an existing file, never truncates it', () => {
    const path = join(dir, 'b.log');
    writeFileSync(path, 'earlier\n');
    const sink = new FileSink(path, 10);
    sink.write('now\n');
    sink.dispose();
    expect(readFileSync(path, 'utf8')).toBe('earlier\nnow\n');
  });

  it('the timer writes buffered lines', async () => {
    const path = join(dir, 'c.log');
    const sink = new FileSink(path, 10);
    sink.write('tick\n');
    await waitFor(() => existsSync(path) && readFileSync(path, 'utf8') !== '', 5000, 'the timer to write the line');
    expect(readFileSync(path, 'utf8')).toBe('tick\n');
    sink.dispose();
  });

  it('stderr sink writes each line at once', () => {
    const out: string[] = [];
    const sink = new StderrSink({ write: (s: string) => out.push(s) });
    sink.write('a\n');
    sink.close();
    expect(out).toEqual(['a\n']);
  });
});

const modernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

describe('audit lines from McpCore', () => {
  let dir: string;
  let logPath: string;
  let core: McpCore;
  // A stand-in for authorization (runs after the built-in middleware): refuses one tool.
  const refuse: Middleware = async (call, next) => {
    if (call.target === 'forbidden') throw new RpcError('insufficientScope', 'Forbidden: needs admin', { requiredScopes: ['admin'] });
    return next();
  };

  beforeAll(async () => {
    const project = mkdtempSync(join(tmpdir(), 'mcpgen-audit-'));
    writeFileSync(join(project, 'README.md'), '# hi\n');
    const manifest = join(project, 'mcp-gen.yaml');
    writeFileSync(
      manifest,
      `server: { name: audited, version: 1.0.0 }
limits:
  global: 1000/minute
  tools:
    scarce: { tool: 1/hour }
audit:
  sink: { file: ./logs/audit.log }
  flushMs: 60000
tools:
  - name: login
    description: Log in.
    input:
      properties:
        user: { type: string }
        password: { type: string, x-sensitive: true }
      required: [user]
    template: "hi {{user}}"
  - name: broken
    description: Always an error.
    template: "no"
    isError: true
  - name: scarce
    description: Once an hour.
    template: "ok"
  - name: forbidden
    description: Refused.
    template: "never"
resources:
  - name: readme
    uri: docs://readme
    file: ./README.md
prompts:
  - name: hello
    description: Say hello.
    arguments: [{ name: who, required: true }]
    messages: [{ role: user, text: "hello {{who}}" }]
`
    );
    dir = await buildToTemp(manifest);
    logPath = join(project, 'logs', 'audit.log');
    core = await createCore(await loadArtifact(dir), { log: quiet, middleware: [refuse] });
  });
  afterAll(() => core.close());

  const legacy: Channel = {
    legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true },
    notify: () => {},
    principal: { name: 'ann', scopes: [], claims: {} }
  };
  const modern: Channel = { notify: () => {} };

  // given: a request; want: its audit line.
  const cases: [string, Channel, string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'ok',
      modern,
      'tools/call',
      { name: 'login', arguments: { user: 'ann', password: 'p1' } },
      { type: 'tool', target: 'login', outcome: 'ok', principal: 'anonymous', era: 'modern' }
    ],
    [
      'isError',
      legacy,
      'tools/call',
      { name: 'broken' },
      { type: 'tool', target: 'broken', outcome: 'isError', principal: 'ann', era: 'legacy' }
    ],
    ['invalid arguments', modern, 'tools/call', { name: 'login', arguments: { password: 'p1' } }, { outcome: 'invalid' }],
    ['unknown tool', modern, 'tools/call', { name: 'nope' }, { target: 'nope', outcome: 'error', code: -32602 }],
    ['denied', modern, 'tools/call', { name: 'forbidden' }, { target: 'forbidden', outcome: 'denied' }],
    ['per-tool limit: first call', modern, 'tools/call', { name: 'scarce' }, { target: 'scarce', outcome: 'ok' }],
    ['per-tool limit: second call', modern, 'tools/call', { name: 'scarce' }, { target: 'scarce', outcome: 'limited' }],
    ['resource read', legacy, 'resources/read', { uri: 'docs://readme' }, { type: 'resource', target: 'docs://readme', outcome: 'ok' }],
    [
      'missing resource',
      legacy,
      'resources/read',
      { uri: 'docs://nope?token=abc' },
      { type: 'resource', target: `docs://nope?token=${MASK}`, outcome: 'error', code: -32002 }
    ],
    ['prompt get', modern, 'prompts/get', { name: 'hello', arguments: { who: 'bob' } }, { type: 'prompt', target: 'hello', outcome: 'ok' }],
    [
      'invalid prompt arguments',
      modern,
      'prompts/get',
      { name: 'hello', arguments: {} },
      { type: 'prompt', outcome: 'error', code: -32602 }
    ],
    [
      'header mismatch before any context exists',
      { notify: () => {}, headers: { protocolVersion: '2026-07-28', method: 'tools/list', param: () => undefined } },
      'tools/call',
      { name: 'login' },
      { outcome: 'error', code: -32020 }
    ]
  ];

  it('writes one line per call, with what the call became; nothing for lists', async () => {
    const bodies: number[] = [];
    for (const [, channel, method, params] of cases) {
      const reply = await core.request(
        42,
        method,
        channel.legacy ? params : { ...params, _meta: modernMeta },
        channel,
        new AbortController().signal
      );
      bodies.push(Buffer.byteLength(reply.body));
    }
    await core.request(43, 'tools/list', { _meta: modernMeta }, modern, new AbortController().signal);
    expect(existsSync(logPath) ? readFileSync(logPath, 'utf8') : '').toBe(''); // still buffered (flushMs: 60000)
    await core.close();
    const lines = readFileSync(logPath, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(cases.length);
    lines.forEach((line, i) => {
      expect(line, cases[i]![0]).toMatchObject({ requestId: 42, ...cases[i]![4], bytes: bodies[i] });
      expect(Object.keys(line).slice(0, 6)).toEqual(['time', 'requestId', 'principal', 'era', 'type', 'target']);
      expect(new Date(line.time as string).toISOString()).toBe(line.time);
      expect(line.latencyMs).toBeTypeOf('number');
      if (line.type === 'resource') expect(line.argsDigest).toBeUndefined();
      else expect(line.argsDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    });
    // the sensitive password never reaches the digest: same user, other password, same digest
    expect(lines[0]!.argsDigest).toBe(
      argumentDigest({ user: 'ann', password: 'something else' }, { properties: { password: { 'x-sensitive': true } } })
    );
    expect(readFileSync(logPath, 'utf8')).not.toContain('p1');
  });
});

describe('HTTP: over a global or per-principal limit', () => {
  let server: HttpServer;
  let url: string;
  let core: McpCore;
  beforeAll(async () => {
    const project = mkdtempSync(join(tmpdir(), 'mcpgen-429-'));
    const manifest = join(project, 'mcp-gen.yaml');
    writeFileSync(
      manifest,
      'server: { name: throttled, version: 1.0.0 }\nlimits: { principal: 2/minute }\ntools:\n  - { ' +
        'name: hi, description: Hi., template: hi }\n'
    );
    const loaded = await loadArtifact(await buildToTemp(manifest));
    core = await createCore(loaded, { log: quiet });
    server = createHttpServer(core, { ...loaded.artifact.transport, port: 0 });
    url = await server.listen();
  });
  afterAll(async () => {
    core.close();
    await server.close(100);
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify(body)
    });

  it('answers 429 with Retry-After before the call, in both eras', async () => {
    const modernCall = () =>
      post(
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'hi', _meta: modernMeta } },
        { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'hi' }
      );
    expect((await modernCall()).status).toBe(200);
    expect((await modernCall()).status).toBe(200);
    const refused = await modernCall();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.json()).toMatchObject({
      id: 1,
      error: {
        code: -32029,
        message: 'Too many requests: the limit is 2/minute for each caller; retry in 30 seconds',
        data: { retryAfterSeconds: 30, limit: 'principal' }
      }
    });

    const init = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } }
    });
    const session = init.headers.get('mcp-session-id')!;
    const legacyCall = await post(
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'hi' } },
      { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' }
    );
    expect(legacyCall.status).toBe(429);
    expect(legacyCall.headers.get('retry-after')).toMatch(/^(29|30)$/);
  });
});

describe('audit sink lifecycle', () => {
  async function artifact(project: string, audit: string): Promise<string> {
    const manifest = join(project, 'mcp-gen.yaml');
    writeFileSync(
      manifest,
      `server: { name: sinks, version: 1.0.0 }\n${audit}\ntools:\n  - { name: hi, description: Hi., template: hi }\n`
    );
    return buildToTemp(manifest);
  }
  const hi = (core: McpCore, id: number) =>
    core.request(id, 'tools/call', { name: 'hi', _meta: modernMeta }, { notify: () => {} }, new AbortController().signal);

  it('a file that cannot be opened stops the start with a clear message', async () => {
    const project = mkdtempSync(join(tmpdir(), 'mcpgen-audit-bad-'));
    writeFileSync(join(project, 'not-a-dir'), '');
    const loaded = await loadArtifact(await artifact(project, 'audit: { sink: { file: ./not-a-dir/audit.log } }'));
    await expect(createCore(loaded, { log: quiet })).rejects.toThrow(
      /^audit log .*not-a-dir\/audit\.log cannot be opened for appending \((ENOTDIR|EEXIST)\): fix audit\.sink\.file/
    );
  });

  it('a swap (mcp-gen dev) keeps an unchanged sink and moves to a changed one', async () => {
    const project = mkdtempSync(join(tmpdir(), 'mcpgen-audit-swap-'));
    const core = await createCore(await loadArtifact(await artifact(project, 'audit: { sink: { file: ./one.log } }')), { log: quiet });
    await hi(core, 1);
    await core.swap(await loadArtifact(await artifact(project, 'audit: { sink: { file: ./one.log } }')));
    await hi(core, 2);
    await core.swap(await loadArtifact(await artifact(project, 'audit: { sink: { file: ./two.log } }')));
    await hi(core, 3);
    await core.close();
    const ids = (file: string) =>
      readFileSync(join(project, file), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { requestId: number }).requestId);
    expect(ids('one.log')).toEqual([1, 2]);
    expect(ids('two.log')).toEqual([3]);
  });
});
