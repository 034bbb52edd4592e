import type { IncomingMessage, ServerResponse } from 'node:http';
import { Cancellation } from '../core/cancellation.js';
import type { LegacyState, Principal } from '../core/context.js';
import type { Reply } from '../core/server.js';
import { execute, timedOut, type Request } from './dispatch.js';
import { shuttingDownError, type InFlight } from './drain.js';
import { header } from './headers.js';
import { JSON_TYPE, countStream, fail, ownerOf, type HttpContext } from './http-context.js';
import { requestChannel } from './http-request.js';
import { ResponseStream, writeJson } from './response-stream.js';
import { quotaOf, sessionRefusal } from './session-quota.js';
import type { LegacySession } from './sessions.js';
import { sseEvent, writable } from './sse.js';
import { UNAVAILABLE } from './shared-sessions.js';
import { RpcError } from '../core/errors.js';

/** Runs one request through the dispatch path and answers on its response stream (JSON, or SSE once it notifies). */
export async function runRequest(
  http: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  msg: Request,
  session: LegacySession | undefined,
  principal: Principal | undefined,
  inFlight: InFlight
): Promise<void> {
  // Its AbortSignal is made only if the work asks for one (most calls never do).
  const cancellation = new Cancellation();
  const stream = new ResponseStream(res, session, (r) => countStream(http, r));
  const channel = requestChannel(req, stream, session, principal);
  if (session) {
    session.inflight.set(msg.id, cancellation);
    session.countStream(res);
  }
  // 2026-07-28: closing the request's stream is the cancellation. 2025: a dropped stream may be resumed.
  else res.on('close', () => !res.writableFinished && cancellation.abort());
  let cancelled = false;
  inFlight.cancel = (graceMs) => {
    cancelled = true;
    session?.inflight.delete(msg.id);
    cancellation.abort();
    const error = shuttingDownError(graceMs);
    stream.finish(http.core.envelope.error(msg.id, error), session ? 200 : error.httpStatus);
    return sent(res);
  };
  const reply = await execute(http.core, msg, channel, cancellation, http.limits);
  if (cancelled) return;
  if (reply !== 'timeout' && reply.traceId !== undefined) {
    const access = http.access.of(res);
    if (access) access.traceId = reply.traceId;
  }
  session?.inflight.delete(msg.id);
  if (reply === 'timeout') {
    const error = timedOut(msg, http.limits);
    return stream.finish(http.core.envelope.error(msg.id, error), session ? 200 : error.httpStatus);
  }
  if (reply.session) return startSession(http, req, res, msg, reply, reply.session, principal);
  const auth = http.core.auth;
  if (reply.insufficientScope && auth) {
    http.telemetry.authRejected('insufficient_scope');
    const resource = auth.resource(header(req, 'host'), http.options.path);
    const challenge = auth.challenge(resource, { error: 'insufficient_scope', scopes: reply.insufficientScope });
    return stream.finish(reply.body, reply.status, { 'www-authenticate': challenge });
  }
  stream.finish(reply.body, reply.status, reply.headers);
}

/** A successful `initialize`: the 2025 session is kept (within the caller's quota) and its id goes back in a header. */
async function startSession(
  http: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  msg: Request,
  reply: Reply,
  state: LegacyState,
  principal: Principal | undefined
): Promise<void> {
  const { core, sessions, shared } = http;
  const owner = ownerOf(principal);
  const quota = quotaOf(req, principal, http.options.trustProxy === true);
  const created = shared
    ? sessions.size >= sessions.max
      ? 'full'
      : await shared.create(state, owner, quota, http.maxPerQuota)
    : sessions.create(state, owner, quota);
  if (created === UNAVAILABLE) {
    const error = new RpcError(
      'serverBusy',
      'Server busy: the state store (state.store) cannot be reached to keep a session; retry shortly',
      {
        setting: 'state.store'
      }
    );
    return fail(http, res, 503, error, { 'retry-after': '5' }, msg.id);
  }
  if (typeof created === 'string') {
    if (!shared) core.endSession(state);
    http.telemetry.sessionRefused(created);
    const error = sessionRefusal(created, http.maxPerQuota, principal);
    return fail(http, res, error.httpStatus, error, { 'retry-after': created === 'quota' ? '60' : '5' }, msg.id);
  }
  http.telemetry.sessionOpened();
  const access = http.access.of(res);
  if (access) access.sessionId = created.id;
  // A shared store's sessions get notifications through it (shared-sessions.ts), whichever instance sees the change.
  if (!shared)
    core.openSession(state, (m) => {
      if (writable(created.standalone)) created.standalone.write(sseEvent(m));
    });
  writeJson(res, 200, reply.body, { ...JSON_TYPE, 'mcp-session-id': created.id });
}

/** A client that stops reading could hold a response open for ever: a shutdown waits this long for it. */
const SEND_GRACE_MS = 1_000;

/** Resolves once a response has gone out, or its connection is gone, or after SEND_GRACE_MS. */
function sent(res: ServerResponse): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, SEND_GRACE_MS);
    const done = () => (clearTimeout(timer), resolve());
    res.once('finish', done);
    res.once('close', done);
  });
}
