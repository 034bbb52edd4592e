import { toToolResult, type ToolContext } from '../../kinds/kind.js';
import { toWireError, type AskMethod, type GuestMessage, type HostMessage, type WireError } from './protocol.js';

export interface GuestChannel {
  send(message: GuestMessage): void;
  onMessage(listener: (message: HostMessage) => void): void;
}

type Handler = (args: unknown, ctx: ToolContext) => unknown;

/**
 * The sandbox side: imports handler modules (once each), runs calls with a handler context whose members
 * are messages to the host, and answers with the shaped result. Runs inside a worker or a child process.
 */
export function serveGuest(channel: GuestChannel, importModule: (url: string) => Promise<unknown> = (url) => import(url)): void {
  const modules = new Map<string, Promise<Handler>>();
  const calls = new Map<number, { abort: AbortController; asks: Map<number, { resolve(v: unknown): void; reject(e: unknown): void }> }>();
  let asked = 0;

  const handlerOf = (url: string): Promise<Handler> => {
    let found = modules.get(url);
    if (!found) {
      found = importModule(url).then((mod) => {
        const fn = (mod as { default?: unknown }).default;
        if (typeof fn !== 'function') throw new Error('the handler module has no default export function');
        return fn as Handler;
      });
      modules.set(url, found);
    }
    return found;
  };

  const send = (message: GuestMessage) => {
    try {
      channel.send(message);
    } catch (e) {
      // A value that cannot be cloned (a function, a socket…): send its JSON instead, or say why not.
      if ((e as Error).name !== 'DataCloneError') throw e;
      channel.send(
        JSON.parse(
          JSON.stringify(message, (_k, v: unknown) => (typeof v === 'function' || typeof v === 'symbol' ? undefined : v))
        ) as GuestMessage
      );
    }
  };

  const run = async (message: Extract<HostMessage, { t: 'call' }>) => {
    const { id } = message;
    const abort = new AbortController();
    const asks = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
    calls.set(id, { abort, asks });
    const state = message.ctx.state;
    let idleScheduled = false;
    const ask = (method: AskMethod, params: Record<string, unknown>, key: string | undefined) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        if (abort.signal.aborted) return reject(abort.signal.reason);
        const n = ++asked;
        asks.set(n, { resolve: resolve as (v: unknown) => void, reject });
        send({ t: 'ask', id, ask: n, method, params, ...(key !== undefined ? { key } : {}), state });
        // Questions asked together (Promise.all) are all sent within this turn: say so once it is over.
        if (!idleScheduled) {
          idleScheduled = true;
          setImmediate(() => {
            idleScheduled = false;
            send({ t: 'idle', id });
          });
        }
      });
    const ctx: ToolContext = {
      signal: abort.signal,
      requestId: message.ctx.requestId,
      toolName: message.ctx.toolName,
      clientCapabilities: message.ctx.clientCapabilities,
      state,
      log: (level, text, data) => send({ t: 'log', id, level, message: text, ...(data !== undefined ? { data } : {}) }),
      progress: (progress, total, text) =>
        send({ t: 'progress', id, progress, ...(total !== undefined ? { total } : {}), ...(text !== undefined ? { message: text } : {}) }),
      closeStream: () => send({ t: 'closeStream', id }),
      elicit: (params, key) => ask('elicit', params, key),
      sample: (params, key) => ask('sample', params, key),
      listRoots: (key) => ask('listRoots', {}, key)
    };
    abort.signal.addEventListener('abort', () => {
      for (const pending of asks.values()) pending.reject(abort.signal.reason);
      asks.clear();
    });
    try {
      const fn = await handlerOf(message.module);
      const result = toToolResult(await fn(message.args, ctx));
      send({ t: 'done', id, result, state });
    } catch (e) {
      send({ t: 'done', id, error: toWireError(e), state });
    } finally {
      calls.delete(id);
    }
  };

  channel.onMessage((message) => {
    switch (message.t) {
      case 'load':
        handlerOf(message.module).then(
          () => send({ t: 'loaded', module: message.module }),
          (e: unknown) => send({ t: 'loaded', module: message.module, error: (e as Error)?.message ?? String(e) })
        );
        return;
      case 'call':
        void run(message);
        return;
      case 'abort':
        calls.get(message.id)?.abort.abort(new Error('the call was cancelled'));
        return;
      case 'answer': {
        const pending = calls.get(message.id)?.asks;
        const waiter = pending?.get(message.ask);
        if (!waiter) return;
        pending!.delete(message.ask);
        if (message.error) waiter.reject(fromWire(message.error));
        else waiter.resolve(message.value);
      }
    }
  });
  send({ t: 'ready' });
}

function fromWire(error: WireError): Error {
  return Object.assign(new Error(error.message), error.rpc ? { rpc: error.rpc } : {});
}
