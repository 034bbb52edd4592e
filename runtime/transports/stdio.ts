import type { Body } from '../core/envelope.js';
import type { Readable, Writable } from 'node:stream';
import type { LegacyState, JsonRpcId } from '../core/context.js';
import { RpcError } from '../core/errors.js';
import type { McpCore } from '../core/server.js';
import { cancelledRequestId, classify } from './message.js';
import { OutgoingRequests } from './outgoing.js';
import type { TransportLimits } from '../artifact/ir.js';
import { depthError, lineTooLongError, oversizedArgument, streamingMethods, timeoutError, tooDeep, transportLimits, withTimeout } from './limits.js';
import { LineSplitter } from './lines.js';
import { SHUTDOWN_GRACE_MS, shuttingDownError } from './drain.js';

const NEWLINE = Buffer.from('\n');

export interface StdioServer {
  /** Resolves when input has ended (or `close` was called) and every in-flight request has been answered. */
  readonly closed: Promise<void>;
  /**
   * Refuses new requests (answers, cancellations and notifications are still read), lets in-flight ones finish
   * (up to `graceMs`, default 10 s), answers those still running with a shuttingDown error, then stops reading.
   */
  close(graceMs?: number): void;
}

/** Newline-delimited JSON-RPC over a pair of streams; both eras (`initialize` makes the process a 2025 session). */
export function serveStdio(
  core: McpCore,
  input: Readable = process.stdin,
  output: Writable = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
  configuredLimits?: Partial<TransportLimits>
): StdioServer {
  const limits = transportLimits(configuredLimits);
  // Local and trusted (no principal) unless auth.stdio requires an API key from the environment.
  const principal = core.auth?.stdioPrincipal(env);
  const caller = principal ? { principal } : {};
  let legacy: LegacyState | undefined;
  const inflight = new Map<JsonRpcId, AbortController>();
  const pending = new Set<Promise<void>>();
  let gate: Promise<void> = Promise.resolve();
  const notified = new Set<JsonRpcId>();
  const write = (line: Body) => {
    output.write(typeof line === 'string' ? line + '\n' : Buffer.concat([line.head, line.page, NEWLINE]));
  };
  const outgoing = new OutgoingRequests();
  const channel = {
    get legacy() {
      return legacy;
    },
    notify: write,
    ...caller,
    request: (method: string, params: Record<string, unknown>, signal: AbortSignal) => outgoing.send(write, method, params, signal)
  };

  let stopping = false;

  const onLine = (line: string) => {
    if (line.trim() === '') return;
    if (tooDeep(line, limits.maxJsonDepth)) {
      write(core.envelope.error(null, depthError(limits.maxJsonDepth)));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      write(core.envelope.error(null, new RpcError('parseError', 'Parse error: invalid JSON')));
      return;
    }
    const msg = classify(value);
    switch (msg.type) {
      case 'invalid':
        write(core.envelope.error(msg.id, new RpcError('invalidRequest', `Invalid request: ${msg.reason}`)));
        return;
      case 'response':
        outgoing.settle(msg.message);
        return;
      case 'notification':
        if (msg.method === 'notifications/initialized' && legacy) legacy.initialized = true;
        if (msg.method === 'notifications/cancelled') {
          const id = cancelledRequestId(msg.params);
          if (id !== undefined) inflight.get(id)?.abort();
        }
        return;
      case 'request': {
        if (stopping) {
          write(core.envelope.error(msg.id, shuttingDownError()));
          return;
        }
        const oversized = oversizedArgument(msg.method, msg.params, Buffer.byteLength(line), limits.maxArgumentBytes);
        if (oversized) {
          write(core.envelope.error(msg.id, oversized));
          return;
        }
        const controller = new AbortController();
        let timedOut = false;
        inflight.set(msg.id, controller);
        // Requests after `initialize` must see its session: they wait for it; everything else runs concurrently.
        const requestChannel = { get legacy() { return legacy; }, notify: (m: string) => (notified.add(msg.id), write(m)), request: channel.request, ...caller };
        const run = () => {
          const work = core.request(msg.id, msg.method, msg.params, requestChannel, controller.signal);
          if (streamingMethods.has(msg.method)) return work;
          return withTimeout(work, limits.requestTimeoutSeconds * 1000, () => {
            timedOut = true;
            controller.abort();
          });
        };
        const done = gate.then(run).then((reply) => {
          if (reply === 'timeout') {
            inflight.delete(msg.id);
            if (timedOut) write(core.envelope.error(msg.id, timeoutError(msg.method, limits.requestTimeoutSeconds)));
            return;
          }
          if (reply.session) {
            legacy = reply.session;
            core.openSession(legacy, write);
          }
          inflight.delete(msg.id);
          // A cancelled request gets no response (the client has stopped waiting for it). After
          // notifications, the response goes out on the next turn: clients that dispatch notifications
          // asynchronously would otherwise see the response first and drop the last progress update.
          if (controller.signal.aborted) return;
          if (notified.has(msg.id)) setImmediate(() => write(reply.body));
          else write(reply.body);
          notified.delete(msg.id);
        });
        if (msg.method === 'initialize') gate = done;
        pending.add(done);
        void done.finally(() => pending.delete(done));
      }
    }
  };

  const lines = new LineSplitter(limits.maxLineBytes, {
    line: onLine,
    tooLong: () => write(core.envelope.error(null, lineTooLongError(limits.maxLineBytes)))
  });
  const onData = (chunk: Buffer | string) => lines.push(chunk);
  input.on('data', onData);
  const drained = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  let end!: () => void;
  const closed = new Promise<void>((resolve) => {
    end = resolve;
    const finish = async () => {
      lines.end();
      await drained();
      resolve();
    };
    input.once('end', () => void finish());
    input.once('close', () => void finish());
  });
  void closed.then(() => {
    input.off('data', onData);
    outgoing.rejectAll('server shutting down');
    if (legacy) core.endSession(legacy);
    input.destroy();
  });
  return {
    closed,
    close(graceMs = SHUTDOWN_GRACE_MS) {
      if (stopping) return;
      stopping = true;
      // Not unref'd: the process lives until the grace ends even if the work holds no handle of its own.
      const grace = setTimeout(() => {
        if (inflight.size > 0) core.log.warn(`shutdown: ${inflight.size} request(s) still running after the ${graceMs / 1000} s grace period were cancelled`);
        // An aborted request writes nothing when its work ends: this answer is its only one.
        for (const [id, c] of inflight) {
          c.abort();
          write(core.envelope.error(id, shuttingDownError(graceMs)));
        }
        inflight.clear();
        end();
      }, graceMs);
      void drained().then(() => {
        clearTimeout(grace);
        end();
      });
    }
  };
}
