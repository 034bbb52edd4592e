import type { TransportLimits } from '../artifact/ir.js';
import { RpcError } from '../core/errors.js';

export const defaultTransportLimits: TransportLimits = {
  maxJsonDepth: 64,
  maxArgumentBytes: 1024 * 1024,
  // The default of transport.maxBodyBytes: `mcp-gen run` passes the manifest's maxBodyBytes instead.
  maxLineBytes: 4 * 1024 * 1024,
  maxStreamsPerSession: 32,
  bodyTimeoutSeconds: 30,
  requestTimeoutSeconds: 300,
  maxBufferedBodyBytes: 64 * 1024 * 1024
};

export function transportLimits(configured: Partial<TransportLimits> | undefined): TransportLimits {
  return { ...defaultTransportLimits, ...(configured ?? {}) };
}

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when `text` nests arrays/objects deeper than `max`. Scanned before JSON.parse: later code (validation,
 * digests, serialisation) recurses over the value, and a deep enough one would overflow the stack.
 */
export function tooDeep(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return false;
}

export function depthError(max: number): RpcError {
  return new RpcError('invalidRequest', `Invalid request: JSON nested deeper than ${max} levels (transport.limits.maxJsonDepth)`);
}

export function lineTooLongError(max: number): RpcError {
  return new RpcError('invalidRequest', `Invalid request: line longer than ${max} bytes (transport.limits.maxLineBytes); it was skipped`);
}

/** The arguments a method carries, by name: what `maxArgumentBytes` bounds. */
function argumentsOf(method: string, params: unknown): Record<string, unknown> | undefined {
  if (!params || typeof params !== 'object') return undefined;
  const p = params as Record<string, unknown>;
  if (method === 'tools/call' || method === 'prompts/get')
    return p.arguments && typeof p.arguments === 'object' ? (p.arguments as Record<string, unknown>) : undefined;
  if (method === 'completion/complete') {
    const argument = p.argument as { name?: unknown; value?: unknown } | undefined;
    const context = (p.context as { arguments?: unknown } | undefined)?.arguments;
    return {
      ...(context && typeof context === 'object' ? (context as Record<string, unknown>) : {}),
      ...(argument ? { [String(argument.name)]: argument.value } : {})
    };
  }
  return undefined;
}

/**
 * The first argument larger than `max` JSON bytes, as an error (invalidParams; HTTP 413). `messageBytes` is the
 * size of the whole message: when it is under the limit no argument can be over it, and nothing is measured.
 */
export function oversizedArgument(method: string, params: unknown, messageBytes: number, max: number): RpcError | undefined {
  if (messageBytes <= max) return undefined;
  const args = argumentsOf(method, params);
  if (!args) return undefined;
  for (const [name, value] of Object.entries(args)) {
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
    if (bytes > max)
      return new RpcError(
        'invalidParams',
        `Argument "${name}" is ${bytes} bytes; the limit is ${max} (transport.limits.maxArgumentBytes)`,
        { argument: name, bytes, limit: max }
      );
  }
  return undefined;
}

export function timeoutError(method: string, seconds: number): RpcError {
  return new RpcError(
    'requestTimeout',
    `Request timeout: ${method} did not finish within ${seconds} s (transport.limits.requestTimeoutSeconds); it was cancelled`,
    { timeoutSeconds: seconds }
  );
}

/** Methods whose request is a long-lived stream by design: no request timeout. */
export const streamingMethods = new Set(['subscriptions/listen']);

/**
 * Long deadlines share one coarse sweep (a timer and a promise race per request cost allocations on the hot path,
 * and a few hundred milliseconds do not matter against minutes); short ones get their own timer.
 */
const COARSE_FROM_MS = 5_000;
const SWEEP_MS = 500;

/**
 * A pending coarse deadline, linked into one list: adding and removing are a few pointer writes. (A Set of entries
 * made V8 promote about a kilobyte per request to the old generation under load: a major GC every few thousand.)
 */
abstract class Deadline {
  prev: Deadline | undefined = undefined;
  next: Deadline | undefined = undefined;
  linked = false;

  constructor(readonly at: number) {}

  abstract fire(): void;

  link(): void {
    this.linked = true;
    if (last) {
      last.next = this;
      this.prev = last;
    } else first = this;
    last = this;
    if (!sweeper) {
      sweeper = setInterval(sweep, SWEEP_MS);
      sweeper.unref();
    }
  }

  unlink(): void {
    if (!this.linked) return;
    this.linked = false;
    if (this.prev) this.prev.next = this.next;
    else first = this.next;
    if (this.next) this.next.prev = this.prev;
    else last = this.prev;
    this.prev = this.next = undefined;
  }
}

class Callback extends Deadline {
  constructor(
    at: number,
    private readonly callback: () => void
  ) {
    super(at);
  }

  fire(): void {
    this.callback();
  }
}

let first: Deadline | undefined;
let last: Deadline | undefined;
let sweeper: NodeJS.Timeout | undefined;

function sweep(): void {
  const now = Date.now();
  for (let d = first; d; ) {
    const next = d.next;
    if (d.at <= now) {
      d.unlink();
      d.fire();
    }
    d = next;
  }
  if (!first && sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/** Calls `fire` once `ms` have passed, unless the returned cancel is called first. */
export function onDeadline(ms: number, fire: () => void): () => void {
  if (ms < COARSE_FROM_MS) {
    const timer = setTimeout(fire, ms);
    timer.unref();
    return () => clearTimeout(timer);
  }
  const entry = new Callback(Date.now() + ms, fire);
  entry.link();
  return () => entry.unlink();
}

/** A request racing its coarse deadline: the deadline entry and the race's settlement in one object. */
class Race<T> extends Deadline {
  resolve: (value: T | 'timeout') => void = captured.resolve as (value: T | 'timeout') => void;
  reject: (e: unknown) => void = captured.reject;

  constructor(
    at: number,
    private readonly onTimeout: () => void
  ) {
    super(at);
  }

  fire(): void {
    this.onTimeout();
    this.resolve('timeout');
  }

  won(value: T): void {
    this.unlink();
    this.resolve(value);
  }

  lost(e: unknown): void {
    this.unlink();
    this.reject(e);
  }
}

/** A promise's settle functions, taken by a shared executor (no closure per promise); read right after `new Promise`. */
const captured: { resolve: (value: unknown) => void; reject: (e: unknown) => void } = { resolve: () => {}, reject: () => {} };
const capture = (resolve: (value: unknown) => void, reject: (e: unknown) => void): void => {
  captured.resolve = resolve;
  captured.reject = reject;
};

/** `work`, or 'timeout' (after calling `onTimeout`) when it takes longer than `ms`. */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T | 'timeout'> {
  if (ms < COARSE_FROM_MS) return withTimer(work, ms, onTimeout);
  const raced = new Promise<unknown>(capture) as Promise<T | 'timeout'>;
  const race = new Race<T>(Date.now() + ms, onTimeout);
  race.link();
  work.then(
    (value) => race.won(value),
    (e: unknown) => race.lost(e)
  );
  return raced;
}

function withTimer<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T | 'timeout'> {
  return new Promise<T | 'timeout'>((resolve, reject) => {
    const cancel = onDeadline(ms, () => {
      onTimeout();
      resolve('timeout');
    });
    work.then(
      (value) => {
        cancel();
        resolve(value);
      },
      (e: unknown) => {
        cancel();
        reject(e);
      }
    );
  });
}
