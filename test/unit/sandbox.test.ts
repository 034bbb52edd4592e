/**
 * Sandboxed handlers (docs/security.md#handlers): each hostile handler (throws, loops, exhausts its heap, calls
 * process.exit, reads a file it did not declare in strict mode) costs one tool error, and the next call succeeds.
 * The handler context crosses the boundary: logs, progress, elicitation, state, cancellation, RpcError.
 * Runs the compiled sandbox entry from dist/ (`npx tsc -p .` first, as `npm test` does).
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { permissionFlag, sandboxSettings } from '../../runtime/security/sandbox/index.js';
import { serveGuest } from '../../runtime/security/sandbox/guest.js';
import { buildToTemp } from '../helpers/artifact.js';
import { requireDist } from '../helpers/e2e-server.js';
import { waitFor } from '../helpers/wait.js';
import { createCore } from '../../runtime/serve.js';

const project = mkdtempSync(join(tmpdir(), 'mcpgen-sandbox-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const handlers: Record<string, string> = {
  'ok.ts': `export default async (a: { n: number }) => ({ double: a.n * 2 });`,
  'boom.ts': `export default async () => { throw new Error('kaboom'); };`,
  'spin.ts': `export default async () => { for (;;) {} };`,
  'hog.ts': `export default async () => { const a: number[][] = []; for (;;) a.push(new Array(100000).fill(1)); };`,
  'quit.ts': `declare const process: { exit(code: number): never };\nexport default async () => { process.exit(3); };`,
  'read.ts':
    `// @ts-ignore node types are not installed in the temp project\nimport { readFileSync } from ` +
    `'node:fs';\nexport default async (a: { path: string }) => String(readFileSync(a.path, ` +
    `'utf8')).trim();`,
  'context.ts': `export default async (a: { mode: string }, ctx: any) => {
  if (a.mode === 'rpc') throw { name: 'invalidParams', code: -32602, message: 'no such account' };
  if (a.mode === 'wait') { await new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped: ' + ctx.signal.reason.message)))); }
  if (a.mode === 'clone') return { content: [{ type: 'text', text: 'fn' }], structuredContent: { f: () => 1, kept: 2 } };
  if (a.mode === 'three') { const q = (k: string) => ctx.elicit({ message: k, requestedSchema: { type: 'object', properties: {} } }, k); return { structuredContent: await Promise.all([q('a'), q('b'), q('c')]), content: [] }; }
  ctx.log('info', 'hello', { n: 1 });
  ctx.progress(1, 2, 'half');
  ctx.progress(2, 2);
  ctx.closeStream();
  ctx.state.seen = (ctx.state.seen ?? 0) + 1;
  const answer = await ctx.elicit({ message: 'name?', requestedSchema: { type: 'object', properties: {} } }, 'who');
  const roots = await ctx.listRoots();
  return { answer, roots, tool: ctx.toolName, request: ctx.requestId, caps: Object.keys(ctx.clientCapabilities) };
};`
};

const manifest = `server: { name: sandboxed, version: "1" }
sandbox: { timeoutMs: 1500, heapMb: 32 }
tools:
  - { name: ok, description: Doubles., input: { properties: { n: { type: integer } }, required: [n] }, handler: ./ok.ts }
  - { name: boom, description: Throws., handler: ./boom.ts }
  - { name: spin, description: Loops forever., handler: ./spin.ts }
  - { name: hog, description: Exhausts its heap., handler: ./hog.ts }
  - { name: quit, description: Calls process.exit., handler: ./quit.ts }
  - { name: context, description: Uses the context., input: { properties: { mode: { type: string } }, required: [mode] }, handler: ./context.ts }
  - name: strict_read
    description: Reads a file under the permission model.
    input: { properties: { path: { type: string } }, required: [path] }
    handler: ./read.ts
    sandbox: { mode: strict, allowRead: [./data] }
  - name: inline_read
    description: Reads a file in the server's thread.
    input: { properties: { path: { type: string } }, required: [path] }
    handler: ./read.ts
    sandbox: { mode: none }
`;

const quiet = createLogger('error', () => {});
let core: McpCore;

function channel(notes: string[] = [], answers: Record<string, unknown> = {}): Channel {
  return {
    legacy: { protocolVersion: '2025-11-25', clientCapabilities: { elicitation: {}, roots: {} }, initialized: true },
    notify: (m) => notes.push(m),
    request: async (method) => answers[method] ?? {}
  };
}

async function call(name: string, args: Record<string, unknown> = {}, ch: Channel = channel(), signal = new AbortController().signal) {
  const r = await core.request(1, 'tools/call', { name, arguments: args, _meta: { progressToken: 'p' } }, ch, signal);
  return JSON.parse(String(r.body)) as {
    result?: { content: { text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };
    error?: { code: number; message: string };
  };
}

beforeAll(async () => {
  requireDist();
  for (const [file, source] of Object.entries(handlers)) writeFileSync(join(project, file), source);
  mkdirSync(join(project, 'data'));
  writeFileSync(join(project, 'data', 'allowed.txt'), 'allowed text\n');
  writeFileSync(join(project, 'undeclared.txt'), 'private\n');
  writeFileSync(join(project, 'mcp-gen.yaml'), manifest);
  core = await createCore(await loadArtifact(await buildToTemp(join(project, 'mcp-gen.yaml'))), { log: quiet });
});

describe('a hostile handler costs one tool error; the next call succeeds', () => {
  it.each([
    ['boom', {}, 'Tool boom failed: kaboom'],
    ['spin', {}, 'Tool spin failed: it ran longer than 1500 ms (sandbox timeoutMs) and was stopped'],
    ['hog', {}, 'Tool hog failed: it ran out of memory (heap limit 32 MB, sandbox heapMb) and was stopped'],
    ['quit', {}, 'Tool quit failed: it ended its worker (exit code 3)'],
    ['strict_read', { path: join(project, 'undeclared.txt') }, `is not allowed by the strict sandbox`]
  ])('%s', async (name, args, text) => {
    const bad = await call(name, args);
    expect(bad.result?.isError).toBe(true);
    expect(bad.result?.content[0]?.text).toContain(text);
    expect((await call('ok', { n: 21 })).result?.structuredContent).toEqual({ double: 42 });
    if (name === 'strict_read')
      expect((await call('strict_read', { path: join(project, 'data', 'allowed.txt') })).result?.content[0]?.text).toBe('allowed text');
  });

  it('strict mode: the heap limit and the time limit hold in a child process too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-strict-'));
    for (const f of ['spin.ts', 'hog.ts', 'quit.ts', 'ok.ts']) writeFileSync(join(dir, f), handlers[f]!);
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: strict, version: "1" }
sandbox: { mode: strict, timeoutMs: 1500, heapMb: 32, workers: 1 }
tools:
  - { name: ok, description: Doubles., input: { properties: { n: { type: integer } }, required: [n] }, handler: ./ok.ts }
  - { name: spin, description: Loops., handler: ./spin.ts }
  - { name: hog, description: Heap., handler: ./hog.ts }
  - { name: quit, description: Exits., handler: ./quit.ts }
`
    );
    const strict = await createCore(await loadArtifact(await buildToTemp(join(dir, 'mcp-gen.yaml'))), { log: quiet });
    const run = async (name: string, args: Record<string, unknown> = {}) =>
      JSON.parse(String((await strict.request(1, 'tools/call', { name, arguments: args }, channel(), new AbortController().signal)).body))
        .result;
    for (const [name, text] of [
      ['spin', 'ran longer than 1500 ms'],
      ['hog', 'ran out of memory'],
      ['quit', 'ended its process (exit code 3)']
    ] as const) {
      const r = await run(name);
      expect(r.isError, name).toBe(true);
      expect(r.content[0].text).toContain(text);
      expect((await run('ok', { n: 1 })).structuredContent).toEqual({ double: 2 });
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('mode none runs in the server thread (no permission model)', async () => {
    expect((await call('inline_read', { path: join(project, 'undeclared.txt') })).result?.content[0]?.text).toBe('private');
  });
});

describe('the handler context crosses the boundary', () => {
  it('log, progress, elicit, listRoots, state, toolName, requestId', async () => {
    const notes: string[] = [];
    const r = await call(
      'context',
      { mode: 'all' },
      channel(notes, { 'elicitation/create': { action: 'accept', content: { name: 'Ada' } }, 'roots/list': { roots: [] } })
    );
    expect(r.result?.structuredContent).toEqual({
      answer: { action: 'accept', content: { name: 'Ada' } },
      roots: { roots: [] },
      tool: 'context',
      request: 1,
      caps: ['elicitation', 'roots']
    });
    expect(notes.map((n) => JSON.parse(n).method)).toEqual(['notifications/message', 'notifications/progress', 'notifications/progress']);
    expect(JSON.parse(notes[0]!).params).toEqual({ level: 'info', logger: 'context', data: { message: 'hello', data: { n: 1 } } });
  });

  it('a missing client capability is the same JSON-RPC error as in-process', async () => {
    const ch: Channel = { ...channel(), legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true } };
    expect((await call('context', { mode: 'all' }, ch)).error?.code).toBe(-32021);
  });

  it('an RpcError thrown by the handler stays a JSON-RPC error', async () => {
    expect((await call('context', { mode: 'rpc' })).error).toMatchObject({ code: -32602, message: 'no such account' });
  });

  it('values that cannot be cloned are sent as JSON', async () => {
    expect((await call('context', { mode: 'clone' })).result?.structuredContent).toEqual({ kept: 2 });
  });

  it('cancellation aborts the handler', async () => {
    const abort = new AbortController();
    const pending = call('context', { mode: 'wait' }, channel(), abort.signal);
    setTimeout(() => abort.abort(), 200);
    const r = await pending;
    expect(r.result?.isError).toBe(true);
    expect(r.result?.content[0]?.text).toBe('Tool context failed: stopped: the call was cancelled');
    const already = new AbortController();
    already.abort();
    expect((await call('ok', { n: 1 }, channel(), already.signal)).result?.content[0]?.text).toBe('Tool ok failed: the call was cancelled');
  });

  it('2026-07-28: an ask ends the round with input_required, and the retry completes with the state kept', async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': { elicitation: {}, roots: {} }
    };
    const modern: Channel = { notify: () => {} };
    const first = JSON.parse(
      String(
        (
          await core.request(
            1,
            'tools/call',
            { name: 'context', arguments: { mode: 'all' }, _meta: meta },
            modern,
            new AbortController().signal
          )
        ).body
      )
    ).result;
    expect(first.resultType).toBe('input_required');
    expect(Object.keys(first.inputRequests)).toEqual(['who']);
    const second = JSON.parse(
      String(
        (
          await core.request(
            2,
            'tools/call',
            {
              name: 'context',
              arguments: { mode: 'all' },
              requestState: first.requestState,
              inputResponses: { who: { action: 'decline' } },
              _meta: meta
            },
            modern,
            new AbortController().signal
          )
        ).body
      )
    ).result;
    expect(Object.keys(second.inputRequests)).toEqual(['roots-1']);
    const third = JSON.parse(
      String(
        (
          await core.request(
            3,
            'tools/call',
            {
              name: 'context',
              arguments: { mode: 'all' },
              requestState: second.requestState,
              inputResponses: { 'roots-1': { roots: [] } },
              _meta: meta
            },
            modern,
            new AbortController().signal
          )
        ).body
      )
    ).result;
    expect(third.structuredContent).toMatchObject({ answer: { action: 'decline' }, roots: { roots: [] } });
  });

  it('2026-07-28: questions asked together all land in one round, however the messages arrive', async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': { elicitation: {} }
    };
    for (let i = 0; i < 5; i++) {
      const first = JSON.parse(
        String(
          (
            await core.request(
              1,
              'tools/call',
              { name: 'context', arguments: { mode: 'three' }, _meta: meta },
              { notify: () => {} },
              new AbortController().signal
            )
          ).body
        )
      ).result;
      expect(Object.keys(first.inputRequests).sort()).toEqual(['a', 'b', 'c']);
    }
  });

  it('runs calls concurrently, one per worker', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => call('ok', { n: i })));
    expect(results.map((r) => r.result?.structuredContent)).toEqual(Array.from({ length: 8 }, (_, i) => ({ double: i * 2 })));
  });
});

describe('start-up and settings', () => {
  it('a module without a default export function fails at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-noexport-'));
    writeFileSync(join(dir, 'ok.ts'), handlers['ok.ts']!);
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      'server: { name: x, version: "1" }\ntools:\n  - { name: none, description: No default., input: { ' +
        'properties: { n: { type: integer } }, required: [n] }, handler: ./ok.ts }\n'
    );
    const artifact = await buildToTemp(join(dir, 'mcp-gen.yaml'));
    // The build checks the export; an artifact altered afterwards is caught at start.
    writeFileSync(join(artifact, 'handlers', 'none.mjs'), 'export const x = 1;\n');
    await expect(createCore(await loadArtifact(artifact), { log: quiet })).rejects.toThrow(
      'handler of tool "none": the handler module has no default export function'
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('defaults, overrides and the permission flag for this Node version', () => {
    expect(sandboxSettings(undefined, '/p')).toEqual({
      mode: 'worker',
      heapMb: 256,
      timeoutMs: 60000,
      workers: 4,
      allowRead: [],
      allowWrite: []
    });
    expect(sandboxSettings({ mode: 'strict', allowRead: ['data', '/abs'], allowWrite: ['out'] }, '/p')).toMatchObject({
      mode: 'strict',
      allowRead: ['/p/data', '/abs'],
      allowWrite: ['/p/out']
    });
    expect(permissionFlag(new Set(['--permission', '--experimental-permission']))).toBe('--permission');
    expect(permissionFlag(new Set(['--experimental-permission']))).toBe('--experimental-permission');
    expect(process.allowedNodeEnvironmentFlags.has(permissionFlag())).toBe(true);
  });
});

describe('guest protocol (in-process, through a fake channel)', () => {
  type Sent = Record<string, unknown> & { t: string };
  function guest(modules: Record<string, unknown>) {
    const sent: Sent[] = [];
    let listener!: (m: never) => void;
    serveGuest({ send: (m) => void sent.push(structuredClone(m) as Sent), onMessage: (l) => (listener = l as never) }, async (url) => {
      if (!(url in modules)) throw new Error(`cannot import ${url}`);
      return modules[url];
    });
    const next = async (t: string) => {
      await waitFor(() => sent.some((m) => m.t === t), 5000, `a "${t}" message`);
      const i = sent.findIndex((m) => m.t === t);
      return sent.splice(i, 1)[0]!;
    };
    return { send: (m: Record<string, unknown>) => listener(m as never), next, sent };
  }
  const ctx = { requestId: 7, toolName: 't', clientCapabilities: {}, state: {} };

  it('loads modules once and reports a missing default export', async () => {
    const g = guest({ good: { default: () => 'x' }, bad: { x: 1 } });
    expect((await g.next('ready')).t).toBe('ready');
    g.send({ t: 'load', module: 'good' });
    expect(await g.next('loaded')).toEqual({ t: 'loaded', module: 'good' });
    g.send({ t: 'load', module: 'bad' });
    expect(await g.next('loaded')).toEqual({ t: 'loaded', module: 'bad', error: 'the handler module has no default export function' });
    g.send({ t: 'load', module: 'missing' });
    expect((await g.next('loaded')).error).toBe('cannot import missing');
  });

  it('answers asks, rejects them with the host error, and aborts', async () => {
    const g = guest({
      asker: {
        default: async (
          _a: unknown,
          c: { elicit(p: object, k?: string): Promise<unknown>; sample(p: object): Promise<unknown>; state: Record<string, unknown> }
        ) => {
          c.state.step = 1;
          const first = await c.elicit({ message: 'q' }, 'k');
          try {
            await c.sample({});
          } catch (e) {
            return { first, failed: (e as Error).message, rpc: (e as { rpc?: unknown }).rpc };
          }
          return 'unreachable';
        }
      },
      waiter: { default: (_a: unknown, c: { signal: AbortSignal; listRoots(): Promise<unknown> }) => c.listRoots() }
    });
    g.send({ t: 'call', id: 1, module: 'asker', args: {}, ctx });
    const ask = await g.next('ask');
    expect(ask).toMatchObject({ id: 1, method: 'elicit', params: { message: 'q' }, key: 'k', state: { step: 1 } });
    g.send({ t: 'answer', id: 1, ask: ask.ask, value: { action: 'accept' } });
    const second = await g.next('ask');
    g.send({ t: 'answer', id: 1, ask: second.ask, error: { message: 'no sampling', rpc: { name: 'missingCapability' } } });
    expect(await g.next('done')).toMatchObject({
      id: 1,
      result: { structuredContent: { first: { action: 'accept' }, failed: 'no sampling', rpc: { name: 'missingCapability' } } },
      state: { step: 1 }
    });

    g.send({ t: 'call', id: 2, module: 'waiter', args: {}, ctx });
    await g.next('ask');
    g.send({ t: 'abort', id: 2 });
    expect(await g.next('done')).toMatchObject({ id: 2, error: { message: 'the call was cancelled' } });
    g.send({ t: 'answer', id: 2, ask: 99, value: {} }); // late answers are ignored
  });

  it('sends non-cloneable log data as JSON', async () => {
    const g = guest({
      logger: {
        default: (_a: unknown, c: { log(l: string, m: string, d: unknown): void }) => (c.log('info', 'm', { f: () => 1, n: 1 }), null)
      }
    });
    g.send({ t: 'call', id: 3, module: 'logger', args: {}, ctx });
    expect(await g.next('log')).toEqual({ t: 'log', id: 3, level: 'info', message: 'm', data: { n: 1 } });
    expect(await g.next('done')).toMatchObject({ result: { content: [] } });
  });
});
