import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../core/context.js';
import { RpcError } from '../core/errors.js';
import { LEGACY_VERSIONS, MODERN_VERSIONS } from '../sdk.js';
import { discardRest, readBody } from './body.js';
import { decode, deliver, refusal, type Request } from './dispatch.js';
import type { InFlight } from './drain.js';
import { shuttingDownError } from './drain.js';
import { header } from './headers.js';
import type { AccessRecord } from './http-access.js';
import { fail, ownedSession, sharedSession, tooManyStreams, type HttpContext } from './http-context.js';
import { runRequest } from './http-reply.js';
import type { LegacySession } from './sessions.js';
import { writable } from './sse.js';

const knownVersions = new Set<string>([...MODERN_VERSIONS, ...LEGACY_VERSIONS]);
const ACCEPTED = /application\/json|text\/event-stream|\*\/\*/;

/** A POST counted while in flight (graceful shutdown waits for it); one async frame, no promise chain per request. */
export async function servePost(
  http: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  sessionId: string | undefined,
  principal: Principal | undefined
): Promise<void> {
  const inFlight = http.drain.enter();
  try {
    await post(http, req, res, sessionId, principal, inFlight);
  } catch (e) {
    // An upload the client aborted ends here: one a request, so not a warning (a flood of them is no news).
    http.core.log.debug(`HTTP request failed: ${(e as Error)?.message ?? String(e)}`);
    if (writable(res) && !res.headersSent) fail(http, res, 400, new RpcError('invalidRequest', 'Bad request'));
    else if (writable(res)) res.end();
  } finally {
    http.bodies.release(req);
    http.drain.leave(inFlight);
  }
}

/** Checks the headers, reads and decodes the one message of the body, then hands it to the dispatch path. */
async function post(
  http: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  sessionId: string | undefined,
  principal: Principal | undefined,
  inFlight: InFlight
) {
  const type = header(req, 'content-type') ?? '';
  if (!type.startsWith('application/json') && !type.toLowerCase().startsWith('application/json')) {
    return fail(http, res, 415, new RpcError('invalidRequest', 'Unsupported Media Type: send Content-Type: application/json'));
  }
  const accept = header(req, 'accept');
  if (accept !== undefined && !ACCEPTED.test(accept)) {
    return fail(http, res, 406, new RpcError('invalidRequest', 'Not Acceptable: accept application/json and text/event-stream'));
  }
  const body = await readBody(req, http.options.maxBodyBytes, http.limits.bodyTimeoutSeconds * 1000, http.bodies);
  if (body === undefined || body === 'timeout' || body === 'busy') return refuseBody(http, req, res, body);
  const msg = decode(body, http.limits.maxJsonDepth);
  const access = http.access.of(res);
  if (access && msg.type === 'request') noteRequest(access, msg);
  if (msg.type === 'refused') return fail(http, res, 400, msg.error, undefined, msg.id);
  // While shutting down, answers and cancellations of the calls being drained still come in; new work does not.
  if (msg.type === 'request' && !http.drain.accepting) return fail(http, res, 503, shuttingDownError(), { connection: 'close' }, msg.id);

  let session: LegacySession | undefined;
  if (sessionId !== undefined) {
    session = http.shared ? await sharedSession(http, http.shared, sessionId, principal) : ownedSession(http, sessionId, principal);
    if (!session) return fail(http, res, 404, new RpcError('invalidRequest', 'Session not found: start a new one with initialize'));
    const version = header(req, 'mcp-protocol-version');
    if (version !== undefined && !knownVersions.has(version))
      return fail(http, res, 400, new RpcError('invalidRequest', `Unsupported MCP-Protocol-Version: ${version}`));
  }
  if (msg.type !== 'request') {
    // Without a session there is nothing to settle or cancel: stateless requests end with their stream.
    if (session && !deliver(msg, session) && http.shared) await http.shared.forward(msg, session);
    else if (session && http.shared && msg.type === 'notification' && msg.method === 'notifications/initialized')
      await http.shared.saved(session);
    return void res.writeHead(202).end();
  }
  const oversized = refusal(msg, body, http.limits);
  if (oversized) return fail(http, res, 413, oversized, undefined, msg.id);
  if (session && session.openStreams >= http.limits.maxStreamsPerSession) return tooManyStreams(http, res, msg.id);
  return runRequest(http, req, res, msg, session, principal, inFlight);
}

/** The access line names the JSON-RPC method and id, and the tool of a tools/call (as requested: it may be unknown). */
function noteRequest(access: AccessRecord, msg: Request): void {
  access.mcpMethod = msg.method;
  access.requestId = msg.id;
  const name = msg.method === 'tools/call' ? (msg.params as { name?: unknown } | undefined)?.name : undefined;
  if (typeof name === 'string') access.tool = name;
}

/** Answers a body that was not received whole: too slow, no room left for bodies, or too large. */
export async function refuseBody(
  http: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  outcome: 'timeout' | 'busy' | undefined
): Promise<void> {
  const { limits, options, bodies } = http;
  if (outcome === 'timeout') {
    const error = new RpcError('invalidRequest', `Request Timeout: the body did not arrive within ${limits.bodyTimeoutSeconds} s`);
    return fail(http, res, 408, error, { connection: 'close' });
  }
  // Closing while the client still uploads resets the connection (EPIPE) before it can read the answer.
  await discardRest(req, 5_000);
  if (outcome === 'busy') {
    const message = `Server busy: request bodies held fill transport.limits.maxBufferedBodyBytes (${bodies.max} bytes); retry shortly`;
    const error = new RpcError('serverBusy', message, { setting: 'transport.limits.maxBufferedBodyBytes' });
    return fail(http, res, 503, error, { 'retry-after': '1', connection: 'close' });
  }
  fail(http, res, 413, new RpcError('invalidRequest', `Payload Too Large: the limit is ${options.maxBodyBytes} bytes`), {
    connection: 'close'
  });
}
