/** The sandbox guest on a fake channel (structured clone, as between threads), and errors as they cross it. */
import { describe, expect, it } from 'vitest';
import { serveGuest, type GuestChannel } from '../../runtime/security/sandbox/guest.js';
import { toWireError, type GuestMessage, type HostMessage } from '../../runtime/security/sandbox/protocol.js';
import type { ToolContext } from '../../runtime/kinds/kind.js';

type Handler = (args: Record<string, unknown>, ctx: ToolContext) => unknown;

/** A guest whose modules are the given handlers; messages are cloned as a worker's would be. */
function guest(modules: Record<string, unknown>, importModule?: (url: string) => Promise<unknown>) {
  const sent: GuestMessage[] = [];
  let listener: (m: HostMessage) => void = () => {};
  const waiters: { test: (m: GuestMessage) => boolean; resolve: (m: GuestMessage) => void }[] = [];
  const channel: GuestChannel = {
    send(message) {
      const copy = structuredClone(message);
      sent.push(copy);
      for (const w of [...waiters]) if (w.test(copy)) waiters.splice(waiters.indexOf(w), 1), w.resolve(copy);
    },
    onMessage: (l) => void (listener = l)
  };
  serveGuest(
    channel,
    importModule ??
      (async (url) => {
        if (!(url in modules)) throw new Error(`no module ${url}`);
        return modules[url];
      })
  );
  const next = (test: (m: GuestMessage) => boolean) => {
    const found = sent.find(test);
    return found ? Promise.resolve(found) : new Promise<GuestMessage>((resolve) => waiters.push({ test, resolve }));
  };
  const call = (id: number, module: string, args: Record<string, unknown> = {}) =>
    listener({ t: 'call', id, module, args, ctx: { requestId: 1, toolName: 't', clientCapabilities: {}, state: {} } });
  return {
    sent,
    send: (m: HostMessage) => listener(m),
    call,
    next,
    done: (id: number) => next((m) => m.t === 'done' && m.id === id) as Promise<Extract<GuestMessage, { t: 'done' }>>
  };
}
const mod = (fn: Handler) => ({ default: fn });

describe('serveGuest', () => {
  it('says it is ready, then runs a call with log and progress as messages', async () => {
    const g = guest({
      m: mod((args, ctx) => {
        ctx.log('info', 'plain');
        ctx.log('debug', 'with data', { n: 1 });
        ctx.progress(1);
        ctx.progress(2, 4, 'half');
        return { content: [{ type: 'text', text: String(args.x) }] };
      })
    });
    expect(g.sent[0]).toEqual({ t: 'ready' });
    g.call(1, 'm', { x: 'hi' });
    const done = await g.done(1);
    expect(done.result).toEqual({ content: [{ type: 'text', text: 'hi' }] });
    expect(g.sent.filter((m) => m.t === 'log' || m.t === 'progress')).toEqual([
      { t: 'log', id: 1, level: 'info', message: 'plain' },
      { t: 'log', id: 1, level: 'debug', message: 'with data', data: { n: 1 } },
      { t: 'progress', id: 1, progress: 1 },
      { t: 'progress', id: 1, progress: 2, total: 4, message: 'half' }
    ]);
  });

  it('a value that cannot be cloned is sent as its JSON', async () => {
    const g = guest({ m: mod((_a, ctx) => (ctx.log('info', 'odd', { keep: 1, fn: () => 1 }), { content: [] })) });
    g.call(1, 'm');
    await g.done(1);
    expect(g.sent.find((m) => m.t === 'log')).toEqual({ t: 'log', id: 1, level: 'info', message: 'odd', data: { keep: 1 } });
  });

  it.each([
    [
      'a module that fails to load with an Error',
      async () => {
        throw new Error('broken import');
      },
      'broken import'
    ],
    [
      'a module that fails to load with a non-Error',
      async () => {
        throw 'just a string';
      },
      'just a string'
    ],
    ['a module without a default export function', async () => ({ default: 5 }), 'the handler module has no default export function']
  ])('load reports %s', async (_label, importModule, want) => {
    const g = guest({}, importModule as (url: string) => Promise<unknown>);
    g.send({ t: 'load', module: 'x' });
    expect(await g.next((m) => m.t === 'loaded')).toEqual({ t: 'loaded', module: 'x', error: want });
  });

  it('imports real modules by URL by default', async () => {
    const sent: GuestMessage[] = [];
    let listener: (m: HostMessage) => void = () => {};
    serveGuest({ send: (m) => void sent.push(m), onMessage: (l) => void (listener = l) });
    listener({ t: 'load', module: 'data:text/javascript,export default () => "ok"' });
    await expect
      .poll(() => sent.find((m) => m.t === 'loaded'))
      .toEqual({ t: 'loaded', module: 'data:text/javascript,export default () => "ok"' });
  });

  it('answers reach the question; errors keep their RPC marker; stray answers are ignored', async () => {
    const g = guest({
      m: mod(async (_a, ctx) => {
        const first = await ctx.elicit({ message: 'name?' }, 'k1');
        const failures: unknown[] = [];
        for (const key of ['k2', 'k3']) {
          try {
            await ctx.sample({ messages: [] }, key);
          } catch (e) {
            failures.push({ message: (e as Error).message, rpc: (e as { rpc?: unknown }).rpc });
          }
        }
        return { content: [{ type: 'text', text: JSON.stringify({ first, failures }) }] };
      })
    });
    g.call(1, 'm');
    const ask1 = (await g.next((m) => m.t === 'ask' && m.key === 'k1')) as Extract<GuestMessage, { t: 'ask' }>;
    expect(ask1).toMatchObject({ id: 1, method: 'elicit', params: { message: 'name?' } });
    g.send({ t: 'answer', id: 99, ask: ask1.ask, value: { wrong: true } });
    g.send({ t: 'answer', id: 1, ask: 12345, value: { wrong: true } });
    g.send({ t: 'answer', id: 1, ask: ask1.ask, value: { action: 'accept' } });
    const ask2 = (await g.next((m) => m.t === 'ask' && m.key === 'k2')) as Extract<GuestMessage, { t: 'ask' }>;
    g.send({ t: 'answer', id: 1, ask: ask2.ask, error: { message: 'no sampling', rpc: { name: 'methodNotFound' } } });
    const ask3 = (await g.next((m) => m.t === 'ask' && m.key === 'k3')) as Extract<GuestMessage, { t: 'ask' }>;
    g.send({ t: 'answer', id: 1, ask: ask3.ask, error: { message: 'plain failure' } });
    const done = await g.done(1);
    expect(JSON.parse((done.result!.content[0] as { text: string }).text)).toEqual({
      first: { action: 'accept' },
      failures: [{ message: 'no sampling', rpc: { name: 'methodNotFound' } }, { message: 'plain failure' }]
    });
    // Answered before the event loop turned, the three questions make one turn: one idle message after them.
    await expect.poll(() => g.sent.filter((m) => m.t === 'idle')).toEqual([{ t: 'idle', id: 1 }]);
    expect(g.sent.findIndex((m) => m.t === 'idle')).toBeGreaterThan(g.sent.findLastIndex((m) => m.t === 'ask'));
  });

  it('an abort rejects pending questions and any asked after it', async () => {
    const g = guest({
      m: mod(async (_a, ctx) => {
        const reasons: string[] = [];
        await ctx.listRoots().catch((e: Error) => reasons.push(e.message));
        await ctx.listRoots().catch((e: Error) => reasons.push(e.message));
        expect(ctx.signal.aborted).toBe(true);
        throw new Error(reasons.join(' / '));
      })
    });
    g.call(1, 'm');
    await g.next((m) => m.t === 'ask');
    g.send({ t: 'abort', id: 1 });
    g.send({ t: 'abort', id: 42 });
    const done = await g.done(1);
    expect(done.error?.message).toBe('the call was cancelled / the call was cancelled');
  });
});

describe('toWireError', () => {
  const denied = Object.assign(new Error('Access to this API has been restricted'), {
    code: 'ERR_ACCESS_DENIED',
    permission: 'FileSystemRead',
    resource: '/etc/passwd'
  });
  const deniedBare = Object.assign(new Error('denied'), { code: 'ERR_ACCESS_DENIED' });
  const noStack = Object.assign(new Error('no stack'), { stack: '' });
  it.each([
    [
      'an Error carrying the RPC error of an ask',
      Object.assign(new Error('needs elicitation'), { rpc: { name: 'capabilityMissing', data: { x: 1 } } }),
      { message: 'needs elicitation', rpc: { name: 'capabilityMissing', data: { x: 1 } } }
    ],
    [
      'an RpcError from another copy of mcp-gen, with data',
      { code: -32602, name: 'invalidParams', message: 'bad', data: { field: 'x' } },
      { message: 'bad', rpc: { name: 'invalidParams', data: { field: 'x' } } }
    ],
    ['an RpcError-like object without message or data', { code: -1, name: 'custom' }, { message: '', rpc: { name: 'custom' } }],
    ['a plain object that is not an RpcError', { code: 'E', name: 'x' }, { message: '[object Object]' }],
    [
      'a permission refusal says what to allow',
      denied,
      {
        message:
          'Access to this API has been restricted: FileSystemRead /etc/passwd is not allowed by the strict ' +
          'sandbox (declare it in sandbox allowRead / allowWrite)',
        stack: denied.stack
      }
    ],
    [
      'a permission refusal without details',
      deniedBare,
      {
        message: 'denied: access  is not allowed by the strict sandbox (declare it in sandbox allowRead / allowWrite)',
        stack: deniedBare.stack
      }
    ],
    ['an Error without a stack', noStack, { message: 'no stack' }],
    ['a thrown string', 'oops', { message: 'oops' }],
    ['null', null, { message: 'null' }]
  ])('%s', (_label, given, want) => {
    expect(toWireError(given)).toEqual(want);
  });
  it('a plain Error keeps its stack', () => {
    const e = new Error('boom');
    expect(toWireError(e)).toEqual({ message: 'boom', stack: e.stack });
  });
});
