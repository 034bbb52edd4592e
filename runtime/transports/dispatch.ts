import type { TransportLimits } from '../artifact/ir.js';
import type { Cancellation } from '../core/cancellation.js';
import type { JsonRpcId, LegacyState } from '../core/context.js';
import { RpcError } from '../core/errors.js';
import type { Channel } from '../core/context.js';
import type { McpCore, Reply } from '../core/server.js';
import { depthError, oversizedArgument, streamingMethods, timeoutError, tooDeep, withTimeout } from './limits.js';
import { cancelledRequestId, classify, type Incoming } from './message.js';
import type { OutgoingRequests } from './outgoing.js';

/**
 * The one dispatch path of both transports. A transport frames messages (a line, a POST body) and sends what comes
 * back; deciding what a message is and what it does happens here, once: a request goes to the core (with the
 * request timeout), a notification or a response is delivered to the conversation it belongs to.
 */

/** What a transport knows of the conversation a message belongs to: a 2025 session, the stdio process, or nothing. */
export interface Conversation {
  /** The 2025-era session state (`notifications/initialized` marks it). */
  readonly legacy: LegacyState | undefined;
  /** Requests this server sent to the client, which the client's responses settle. */
  readonly outgoing: OutgoingRequests | undefined;
  /** Requests of this conversation being served, by id: what `notifications/cancelled` aborts. */
  readonly inflight: ReadonlyMap<JsonRpcId, { abort(): void }> | undefined;
}

export type Request = Extract<Incoming, { type: 'request' }>;
export type Delivered = Extract<Incoming, { type: 'notification' | 'response' }>;
/** A message the transport must answer with an error instead of handling it (`id` null when unknown). */
export interface Refused {
  readonly type: 'refused';
  readonly id: JsonRpcId | null;
  readonly error: RpcError;
}
export type Decoded = Request | Delivered | Refused;

/** One message's text, decoded: nesting bounded before JSON.parse (later code recurses over the value), then classified. */
export function decode(text: string, maxJsonDepth: number): Decoded {
  if (tooDeep(text, maxJsonDepth)) return { type: 'refused', id: null, error: depthError(maxJsonDepth) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: 'refused', id: null, error: new RpcError('parseError', 'Parse error: invalid JSON') };
  }
  const msg = classify(value);
  if (msg.type !== 'invalid') return msg;
  return { type: 'refused', id: msg.id, error: new RpcError('invalidRequest', `Invalid request: ${msg.reason}`) };
}

/**
 * Handles a notification or a response: nothing is sent back for either. False when it concerns something this
 * process does not hold (a response or cancellation for another instance, with a shared state store).
 */
export function deliver(msg: Delivered, conversation: Conversation): boolean {
  if (msg.type === 'response') return conversation.outgoing?.settle(msg.message) === true;
  if (msg.method === 'notifications/initialized') {
    if (conversation.legacy) conversation.legacy.initialized = true;
  } else if (msg.method === 'notifications/cancelled') {
    const id = cancelledRequestId(msg.params);
    const running = id === undefined ? undefined : conversation.inflight?.get(id);
    running?.abort();
    return running !== undefined;
  }
  return true;
}

/** Why a request (decoded from `text`) is refused before it runs: an argument over `maxArgumentBytes`; else undefined. */
export function refusal(msg: Request, text: string, limits: TransportLimits): RpcError | undefined {
  const max = limits.maxArgumentBytes;
  // A UTF-16 unit is at most 3 UTF-8 bytes: most messages are known to be small without being measured.
  if (text.length * 3 <= max) return undefined;
  return oversizedArgument(msg.method, msg.params, Buffer.byteLength(text), max);
}

/**
 * Runs a request in the core. Past `requestTimeoutSeconds` (streaming methods have no timeout) its work is cancelled
 * and the result is 'timeout': the transport answers with `timedOut(...)`, even if the work never ends.
 */
export function execute(
  core: McpCore,
  msg: Request,
  channel: Channel,
  cancellation: Cancellation,
  limits: TransportLimits
): Promise<Reply | 'timeout'> {
  const work = core.request(msg.id, msg.method, msg.params, channel, cancellation);
  if (streamingMethods.has(msg.method)) return work;
  return withTimeout(work, limits.requestTimeoutSeconds * 1000, () => cancellation.abort());
}

/** The answer to a request that ran past its timeout. */
export function timedOut(msg: Request, limits: TransportLimits): RpcError {
  return timeoutError(msg.method, limits.requestTimeoutSeconds);
}
