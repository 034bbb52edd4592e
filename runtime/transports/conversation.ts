import type { Body } from '../core/envelope.js';
import { Cancellation } from '../core/cancellation.js';
import { RpcError } from '../core/errors.js';
import type { Channel, JsonRpcId, LegacyState, Principal } from '../core/context.js';
import type { McpCore, Reply } from '../core/server.js';
import type { TransportLimits } from '../artifact/ir.js';
import { OutgoingRequests } from './outgoing.js';
import { SHUTDOWN_GRACE_MS, shuttingDownError } from './drain.js';
import { decode, deliver, execute, refusal, timedOut, type Conversation, type Request } from './dispatch.js';

const NEWLINE = Buffer.from('\n');
const OPEN_BRACE = 0x7b;

/** A transport where one connection is one conversation, a message at a time: stdio (a line), WebSocket (a frame), or the 2024-11-05 HTTP+SSE stream (a POST). */
export type MessageTransport = 'stdio' | 'websocket' | 'http';

/** The conversation of one connection: a 2025 session once `initialize` has been answered. */
class MessageConversation implements Conversation {
  legacy: LegacyState | undefined;
  readonly outgoing = new OutgoingRequests();
  readonly inflight = new Map<JsonRpcId, Cancellation>();

  constructor(readonly write: (message: string) => void) {}
}

/**
 * One request's channel: a class rather than an object of closures, as one is made per request. It notes whether
 * the request sent notifications: its response then waits a turn (see `answer`).
 */
class MessageChannel implements Channel {
  declare readonly principal?: Principal;
  notified = false;

  declare readonly toolset?: string;

  constructor(
    private readonly conversation: MessageConversation,
    principal: Principal | undefined,
    readonly transport: MessageTransport,
    toolset: string | undefined
  ) {
    if (principal) this.principal = principal;
    if (toolset !== undefined) this.toolset = toolset;
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

export interface ConversationOptions {
  readonly transport: MessageTransport;
  readonly limits: TransportLimits;
  /** Who is calling, as the transport authenticated them (undefined: trusted, or no `auth:`). */
  readonly principal: Principal | undefined;
  /**
   * Sends messages written in one turn. `framed`: each message on its own (WebSocket frames); else newline-delimited
   * text in one write (stdio: a pipelining client gets hundreds of answers per input chunk, and a write each cost
   * more than everything else about them).
   */
  readonly send: (data: string | Buffer) => void;
  readonly framed: boolean;
  /** Most requests of this conversation running at once; past it a request is refused (undefined: no bound). */
  readonly maxInFlight?: number;
  /** The toolset this conversation is served (`mcp-gen run --toolset`); undefined: the root, every tool. */
  readonly toolset?: string;
}

export interface MessageServer {
  /** One message's text (a line, a frame). */
  receive(text: string): void;
  /** Answers a message the transport refused before reading it (a line too long, a binary frame), with id null. */
  refuse(error: RpcError): void;
  /** Input has ended: resolves once every request in flight was answered and the session (if any) ended. */
  finish(): Promise<void>;
  /** Refuses new requests, lets in-flight ones finish up to `graceMs`, then answers the rest with shuttingDown. */
  close(graceMs?: number): Promise<void>;
}

/** The message-at-a-time dispatch loop shared by stdio and WebSocket; both eras (`initialize` makes it a 2025 session). */
export function openConversation(core: McpCore, options: ConversationOptions): MessageServer {
  const { limits, principal, send, framed, transport } = options;
  let queued: string[] = [];
  let queuedPages: Buffer[] | undefined;
  const flush = () => {
    if (queued.length === 0) return;
    const parts = queued;
    queued = [];
    if (framed) {
      for (const part of parts) if (part !== '') send(part);
      return;
    }
    const text = parts.join('');
    if (!queuedPages) return void send(text);
    send(Buffer.concat([...queuedPages, Buffer.from(text)]));
    queuedPages = undefined;
  };
  const write = (message: Body) => {
    if (queued.length === 0) process.nextTick(flush);
    if (typeof message === 'string') return void queued.push(message, framed ? '' : '\n');
    if (framed) return void queued.push(Buffer.concat([message.head, message.page]).toString('utf8'), '');
    // A page's shared bytes: what was queued before it goes first, in order.
    (queuedPages ??= []).push(Buffer.from(queued.join('')), message.head, message.page, NEWLINE);
    queued = [''];
  };
  const conversation = new MessageConversation(write);
  const { inflight } = conversation;
  // Requests after `initialize` must see its session: while one is being answered, later requests wait for it.
  let gate: Promise<unknown> | undefined;
  let running = 0;
  let idle: (() => void)[] = [];
  let stopping = false;
  let ended = false;

  const finished = () => {
    if (--running > 0) return;
    const waiting = idle;
    idle = [];
    for (const resume of waiting) resume();
  };
  const drained = () => (running === 0 ? Promise.resolve() : new Promise<void>((resume) => idle.push(resume)));

  const answer = (msg: Request, channel: MessageChannel, cancellation: Cancellation, reply: Reply | 'timeout') => {
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

  const start = (msg: Request, text: string) => {
    if (stopping) return write(core.envelope.error(msg.id, shuttingDownError()));
    const oversized = refusal(msg, text, limits);
    if (oversized) return write(core.envelope.error(msg.id, oversized));
    if (options.maxInFlight !== undefined && running >= options.maxInFlight)
      return write(core.envelope.error(msg.id, busy(options.maxInFlight)));
    const cancellation = new Cancellation();
    const channel = new MessageChannel(conversation, principal, transport, options.toolset);
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

  const end = () => {
    if (ended) return;
    ended = true;
    flush();
    conversation.outgoing.rejectAll('server shutting down');
    if (conversation.legacy) core.endSession(conversation.legacy);
  };

  return {
    receive(text) {
      // Blank lines frame nothing (the usual message starts with `{`: no need to trim it).
      if (text.charCodeAt(0) !== OPEN_BRACE && text.trim() === '') return;
      const msg = decode(text, limits.maxJsonDepth);
      if (msg.type === 'refused') return write(core.envelope.error(msg.id, msg.error));
      if (msg.type === 'request') return start(msg, text);
      deliver(msg, conversation);
    },
    refuse(error) {
      write(core.envelope.error(null, error));
    },
    async finish() {
      await drained();
      end();
    },
    close(graceMs = SHUTDOWN_GRACE_MS) {
      stopping = true;
      return new Promise<void>((resolve) => {
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
          end();
          resolve();
        }, graceMs);
        void drained().then(() => {
          clearTimeout(grace);
          end();
          resolve();
        });
      });
    }
  };
}

function busy(max: number): RpcError {
  return new RpcError(
    'tooManyStreams',
    `Too many requests in flight on this connection: ${max} (transport.limits.maxStreamsPerSession); wait for an answer before sending more`,
    { limit: max, setting: 'transport.limits.maxStreamsPerSession' }
  );
}
