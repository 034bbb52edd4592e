import { randomUUID } from 'node:crypto';
import type { ToolContext } from '../kind.js';
import type { LogLevel } from '../../sdk.js';
import type { ServerRequest } from './client.js';
import type { AskingCall, Upstream } from './upstream.js';

type Obj = Record<string, unknown>;

/** How long a call waiting for a 2026-07-28 client's answer is kept for its retry. */
const PARKED_MS = 10 * 60_000;
const STATE_KEY = 'mcp.call';

/**
 * One call through to the upstream. Its questions go to the caller through `ctx` (a 2025 session: a real
 * request; 2026-07-28: the round ends with input_required). In 2026-07-28 the upstream call is not stopped
 * when the round ends: it is parked, and the retry (same signed requestState) picks it up and answers it.
 */
class UpstreamCall implements AskingCall {
  readonly id = randomUUID();
  private asked = 0;
  private question: { key: string; method: ServerRequest; params: Obj; answer(v: Obj): void; fail(e: Error): void } | undefined;
  readonly controller = new AbortController();
  result!: Promise<Obj>;
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    public ctx: ToolContext,
    private readonly parked: Map<string, UpstreamCall>
  ) {}

  ask(method: ServerRequest, params: Obj): Promise<Obj> {
    const key = `upstream-${++this.asked}`;
    return new Promise<Obj>((answer, fail) => {
      this.question = { key, method, params, answer, fail };
      this.forward();
    });
  }

  /** Puts the pending question to the current caller (again, on a retry: it then answers from inputResponses). */
  forward(): void {
    const q = this.question;
    if (!q) return;
    const asking =
      q.method === 'elicitation/create'
        ? this.ctx.elicit(q.params, q.key)
        : q.method === 'sampling/createMessage'
          ? this.ctx.sample(q.params, q.key)
          : this.ctx.listRoots(q.key);
    asking.then(
      (v) => {
        if (this.question !== q) return;
        this.question = undefined;
        q.answer(v);
      },
      (e: Error) => {
        if (this.question !== q) return;
        this.question = undefined;
        q.fail(e);
      }
    );
  }

  log(params: Obj): void {
    this.ctx.log(
      (params.level as LogLevel) ?? 'info',
      typeof params.data === 'string' ? params.data : JSON.stringify(params.data),
      undefined
    );
  }

  /** The caller went away: a 2026 round ending on a question parks the call; anything else cancels it. */
  cancelled(): void {
    if (this.question && this.ctx.holdRound) {
      this.parked.set(this.id, this);
      this.expiry = setTimeout(() => this.stop(), PARKED_MS).unref();
    } else this.stop();
  }

  stop(): void {
    this.parked.delete(this.id);
    this.controller.abort(new Error('cancelled'));
    this.question?.fail(new Error('cancelled'));
  }

  resume(ctx: ToolContext): void {
    clearTimeout(this.expiry);
    this.parked.delete(this.id);
    this.ctx = ctx;
    this.forward();
  }
}

/** Parked 2026-07-28 calls of one source, by id (the id travels in the signed requestState). */
export type ParkedCalls = Map<string, UpstreamCall>;

/** Runs `send` against the upstream as one call of `ctx`, with progress, logging, questions and cancellation. */
export async function callThrough(
  upstream: Upstream,
  parked: ParkedCalls,
  ctx: ToolContext,
  send: (signal: AbortSignal) => Promise<Obj>
): Promise<Obj> {
  const resumed = typeof ctx.state[STATE_KEY] === 'string' ? parked.get(ctx.state[STATE_KEY] as string) : undefined;
  const call = resumed ?? new UpstreamCall(ctx, parked);
  ctx.state[STATE_KEY] = call.id;
  upstream.calls.push(call);
  const stopListening = ctx.onCancel ? ctx.onCancel(() => call.cancelled()) : listen(ctx.signal, () => call.cancelled());
  try {
    if (resumed) resumed.resume(ctx);
    else call.result = send(call.controller.signal);
    return await call.result;
  } finally {
    stopListening();
    upstream.calls.splice(upstream.calls.indexOf(call), 1);
  }
}

function listen(signal: AbortSignal, f: () => void): () => void {
  if (signal.aborted) {
    f();
    return () => {};
  }
  signal.addEventListener('abort', f, { once: true });
  return () => signal.removeEventListener('abort', f);
}
