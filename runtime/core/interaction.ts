import { RpcError } from './errors.js';
import type { RequestContext } from './context.js';
import { Cancellation } from './cancellation.js';

/** A request the server needs the client to answer: sampling, elicitation or roots. */
export interface InputRequest {
  readonly method: 'elicitation/create' | 'sampling/createMessage' | 'roots/list';
  readonly params: Record<string, unknown>;
}

const capabilityOf: Record<InputRequest['method'], string> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots'
};

/**
 * Asking the client for input, written once for both eras:
 * 2025 sessions send real server-to-client requests and wait; 2026-07-28 requests answer
 * `input_required` and re-run the work when the client retries with the responses (MRTR).
 */
export interface Interaction {
  ask(key: string, request: InputRequest): Promise<unknown>;
  /** Survives across 2026 rounds (inside the signed requestState); per call in 2025. */
  readonly state: Record<string, unknown>;
  /** 2026-07-28: aborted once the round has ended with input_required (the work is re-run on the retry). */
  readonly ended?: Cancellation;
  /**
   * 2026-07-28: keeps the round open while more questions may still arrive (work in another thread asks over
   * messages, not in one turn); returns the release. The round ends once nothing holds it and work waits.
   */
  hold?(): () => void;
}

function requireCapability(ctx: RequestContext, request: InputRequest): void {
  const needed = capabilityOf[request.method];
  if (!(needed in ctx.clientCapabilities)) {
    throw new RpcError('missingCapability', `This request needs the client capability "${needed}", which the client did not declare`, {
      requiredCapabilities: { [needed]: {} }
    });
  }
}

export function legacyInteraction(
  ctx: RequestContext,
  send: (method: string, params: Record<string, unknown>, signal: AbortSignal) => Promise<unknown>
): Interaction {
  return {
    state: {},
    ask(_key, request) {
      requireCapability(ctx, request);
      return send(request.method, request.params, ctx.signal);
    }
  };
}

const noop = (): void => {};

/** One MRTR round: answers come from the client's inputResponses; anything else is collected and the round ends. */
export class MrtrRound implements Interaction {
  readonly pending: Record<string, InputRequest> = {};
  private endedBy: Cancellation | undefined = undefined;
  /** Called once the work waits on an unanswered request (on the next turn, so concurrent asks join the round). */
  onBlocked: () => void = noop;
  private scheduled = false;
  private holds = 0;
  private fired = false;

  constructor(
    private readonly ctx: RequestContext,
    private readonly responses: Record<string, unknown>,
    readonly state: Record<string, unknown>
  ) {}

  /** Made when first needed: most rounds finish without anyone asking. */
  get ended(): Cancellation {
    return (this.endedBy ??= new Cancellation());
  }

  end(): void {
    this.ended.abort(new Error('the round ended waiting for the client'));
  }

  ask(key: string, request: InputRequest): Promise<unknown> {
    requireCapability(this.ctx, request);
    const answer = this.responses[key];
    if (answer !== undefined && answer !== null && typeof answer === 'object' && !Array.isArray(answer)) return Promise.resolve(answer);
    this.pending[key] = request;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.blocked());
    }
    return new Promise(() => {});
  }

  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.scheduled) setImmediate(() => this.blocked());
    };
  }

  private blocked(): void {
    if (this.fired || this.holds > 0) return;
    this.fired = true;
    this.onBlocked();
  }
}

/** Valid earlier answers only: malformed entries are dropped, so the question is asked again. */
export function validResponses(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v)));
}

const NO_RESPONSES: Readonly<Record<string, unknown>> = Object.freeze({});

export type Outcome<T> = { readonly done: T } | { readonly inputRequired: Record<string, unknown> };

/**
 * Runs work that may ask the client for input. 2025: asks directly. 2026-07-28: re-runs the work with the
 * answers gathered so far (from the signed requestState and the retry's inputResponses); when it waits on
 * an unanswered request, the round ends with an InputRequiredResult.
 */
export function runInteractive<T>(
  ctx: RequestContext,
  codec: {
    encode(target: string, r: Record<string, unknown>, s: Record<string, unknown>): string;
    decode(t: unknown, target: string): { responses: Record<string, unknown>; state: Record<string, unknown> } | { error: string };
  },
  target: string,
  work: (interaction: Interaction) => Promise<T>
): Promise<Outcome<T>> {
  // Not an async function: on every modern call that would be one more promise and suspended frame for nothing.
  if (ctx.era === 'legacy') {
    const send =
      ctx.clientRequest ?? (() => Promise.reject(new RpcError('internalError', 'this transport cannot send requests to the client')));
    return work(legacyInteraction(ctx, send)).then(asDone);
  }
  // A first round (no requestState, no inputResponses) is the common case: nothing to decode or merge.
  let responses: Record<string, unknown> = NO_RESPONSES;
  let state: Record<string, unknown> = {};
  if (ctx.params.requestState !== undefined) {
    const decoded = codec.decode(ctx.params.requestState, target);
    if ('error' in decoded) return Promise.reject(new RpcError('invalidParams', decoded.error));
    responses = decoded.responses;
    state = { ...decoded.state };
  }
  if (ctx.params.inputResponses !== undefined) responses = { ...responses, ...validResponses(ctx.params.inputResponses) };
  const round = new MrtrRound(ctx, responses, state);
  return new Promise<Outcome<T>>((resolve, reject) => {
    round.onBlocked = () => {
      resolve({
        inputRequired: {
          resultType: 'input_required',
          inputRequests: round.pending,
          requestState: codec.encode(target, responses, round.state)
        }
      });
      // The work waiting on the answer will never get it in this round: let it stop (a sandbox frees its worker).
      round.end();
    };
    work(round).then((done) => resolve({ done }), reject);
  });
}

const asDone = <T>(done: T): Outcome<T> => ({ done });
