import type { Body } from '../core/envelope.js';
import type { Readable, Writable } from 'node:stream';
import { Cancellation } from '../core/cancellation.js';
import type { LegacyState, JsonRpcId, Principal } from '../core/context.js';
import type { Channel } from '../core/context.js';
import type { McpCore, Reply } from '../core/server.js';
import { OutgoingRequests } from './outgoing.js';
import type { TransportLimits } from '../artifact/ir.js';
import { lineTooLongError, transportLimits } from './limits.js';
import { LineSplitter } from './lines.js';
import { SHUTDOWN_GRACE_MS, shuttingDownError } from './drain.js';
import { decode, deliver, execute, refusal, timedOut, type Conversation, type Request } from './dispatch.js';

const NEWLINE = Buffer.from('\n');
const OPEN_BRACE = 0x7b;

export interface StdioServer {
  /** Resolves when input has ended (or `close` was called) and every in-flight request has been answered. */
  readonly closed: Promise<void>;
  /**
   * Refuses new requests (answers, cancellations and notifications are still read), lets in-flight ones finish
   * (up to `graceMs`, default 10 s), answers those still running with a shuttingDown error, then stops reading.
   */
  close(graceMs?: number): void;
}

/** The process's one conversation: a 2025 session once `initialize` has been answered. */
class StdioConversation implements Conversation {
  legacy: LegacyState | undefined;
  readonly outgoing = new OutgoingRequests();
  readonly inflight = new Map<JsonRpcId, Cancellation>();

  constructor(readonly write: (message: string) => void) {}
}

/**
 * One request's channel: a class rather than an object of closures, as one is made per request. It notes whether
 * the request sent notifications: its response then waits a turn (see `answer`).
 */
class StdioChannel implements Channel {
  declare readonly principal?: Principal;
  notified = false;
  get transport(): 'stdio' {
    return 'stdio';
  }

  constructor(
    private readonly conversation: StdioConversation,
    principal: Principal | undefined
  ) {
    if (principal) this.principal = principal;
  }

  get legacy(): LegacyState | undefined {
    return this.conversation.legacy;
  }

  notify(message: string): void {
    this.notified = true;
    this.conversation.write(message);
  }

  request(method: string, params: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    return this.conversation.outgoing.send(this.conversation.write, method, params, signal);
  }
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
  // Lines written in one turn go out in one write: a pipelining client gets hundreds of answers per input chunk,
  // and a write (a system call) for each cost more than everything else about them.
  let queued: string[] = [];
  let queuedPages: Buffer[] | undefined;
  const flush = () => {
    if (queued.length === 0) return;
    const text = queued.join('');
    queued = [];
    if (!queuedPages) return void output.write(text);
    output.write(Buffer.concat([...queuedPages, Buffer.from(text)]));
    queuedPages = undefined;
  };
  const write = (line: Body) => {
    if (queued.length === 0) process.nextTick(flush);
    if (typeof line === 'string') return void queued.push(line, '\n');
    // A page's shared bytes: what was queued before it goes first, in order.
    (queuedPages ??= []).push(Buffer.from(queued.join('')), line.head, line.page, NEWLINE);
    queued = [''];
  };
  const conversation = new StdioConversation(write);
  const { inflight } = conversation;
  // Requests after `initialize` must see its session: while one is being answered, later requests wait for it.
  let gate: Promise<unknown> | undefined;
  let running = 0;
  let idle: (() => void)[] = [];
  let stopping = false;

  const finished = () => {
    if (--running > 0) return;
    const waiting = idle;
    idle = [];
    for (const resume of waiting) resume();
  };
  const drained = () => (running === 0 ? Promise.resolve() : new Promise<void>((resume) => idle.push(resume)));

  const answer = (msg: Request, channel: StdioChannel, cancellation: Cancellation, reply: Reply | 'timeout') => {
    inflight.delete(msg.id);
    if (reply === 'timeout') return write(core.envelope.error(msg.id, timedOut(msg, limits)));
    if (reply.session) {
      conversation.legacy = reply.session;
      core.openSession(reply.session, write);
    }
    // A cancelled request gets no response (the client has stopped waiting for it). After notifications, the
    // response goes out on the next turn: clients that dispatch notifications asynchronously would otherwise
    // see the response first and drop the last progress update.
    if (cancellation.aborted) return;
    if (channel.notified) setImmediate(write, reply.body);
    else write(reply.body);
  };

  const start = (msg: Request, line: string) => {
    if (stopping) return write(core.envelope.error(msg.id, shuttingDownError()));
    const oversized = refusal(msg, line, limits);
    if (oversized) return write(core.envelope.error(msg.id, oversized));
    const cancellation = new Cancellation();
    const channel = new StdioChannel(conversation, principal);
    inflight.set(msg.id, cancellation);
    running++;
    const work = gate
      ? gate.then(() => execute(core, msg, channel, cancellation, limits))
      : execute(core, msg, channel, cancellation, limits);
    const done = work.then(
      (reply) => {
        try {
          answer(msg, channel, cancellation, reply);
        } finally {
          finished();
        }
      },
      (e: unknown) => {
        finished();
        core.log.error(`${msg.method} failed: ${(e as Error)?.stack ?? String(e)}`);
      }
    );
    if (msg.method === 'initialize') {
      gate = done;
      void done.then(() => {
        if (gate === done) gate = undefined;
      });
    }
  };

  const onLine = (line: string) => {
    // Blank lines frame nothing (the usual line starts with `{`: no need to trim it).
    if (line.charCodeAt(0) !== OPEN_BRACE && line.trim() === '') return;
    const msg = decode(line, limits.maxJsonDepth);
    if (msg.type === 'refused') return write(core.envelope.error(msg.id, msg.error));
    if (msg.type === 'request') return start(msg, line);
    deliver(msg, conversation);
  };

  const lines = new LineSplitter(limits.maxLineBytes, {
    line: onLine,
    tooLong: () => write(core.envelope.error(null, lineTooLongError(limits.maxLineBytes)))
  });
  const onData = (chunk: Buffer | string) => lines.push(chunk);
  input.on('data', onData);
  let end!: () => void;
  const closed = new Promise<void>((resolve) => {
    end = resolve;
    const finish = async () => {
      lines.end();
      await drained();
      flush();
      resolve();
    };
    input.once('end', () => void finish());
    input.once('close', () => void finish());
  });
  void closed.then(() => {
    input.off('data', onData);
    conversation.outgoing.rejectAll('server shutting down');
    if (conversation.legacy) core.endSession(conversation.legacy);
    input.destroy();
  });
  return {
    closed,
    close(graceMs = SHUTDOWN_GRACE_MS) {
      if (stopping) return;
      stopping = true;
      // Not unref'd: the process lives until the grace ends even if the work holds no handle of its own.
      const grace = setTimeout(() => {
        if (inflight.size > 0)
          core.log.warn(`shutdown: ${inflight.size} request(s) still running after the ${graceMs / 1000} s grace period were cancelled`);
        // An aborted request writes nothing when its work ends: this answer is its only one.
        for (const [id, c] of inflight) {
          c.abort();
          write(core.envelope.error(id, shuttingDownError(graceMs)));
        }
        inflight.clear();
        flush();
        end();
      }, graceMs);
      void drained().then(() => {
        clearTimeout(grace);
        flush();
        end();
      });
    }
  };
}
