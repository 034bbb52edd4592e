import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../core/context.js';
import { RpcError } from '../core/errors.js';
import { header } from './headers.js';
import {
  countStream,
  fail,
  internalError,
  methodNotAllowed,
  ownedSession,
  sessionNotFound,
  sharedSession,
  tooManyStreams,
  type HttpContext
} from './http-context.js';
import type { SharedSessions } from './shared-sessions.js';
import { STANDALONE } from '../state/store.js';
import { SSE_HEADERS, writable } from './sse.js';

/** GET: a 2025 session's standalone stream, or the resumption of a broken one (Last-Event-ID). */
export function openStream(
  http: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  sessionId: string | undefined,
  principal: Principal | undefined
): void {
  if (sessionId === undefined) return methodNotAllowed(http, res, 'POST', ': this endpoint takes POST');
  if (http.shared)
    return void openSharedStream(http, http.shared, req, res, sessionId, principal).catch((e) => internalError(http, res, e));
  const session = ownedSession(http, sessionId, principal);
  if (!session) return sessionNotFound(http, res);
  if (!(header(req, 'accept') ?? '').includes('text/event-stream')) {
    return fail(http, res, 406, new RpcError('invalidRequest', 'Not Acceptable: GET needs Accept: text/event-stream'));
  }
  if (session.openStreams >= http.limits.maxStreamsPerSession) return tooManyStreams(http, res, null);
  session.countStream(res);
  const lastEventId = header(req, 'last-event-id');
  res.writeHead(200, { ...SSE_HEADERS, 'mcp-session-id': session.id });
  res.flushHeaders();
  countStream(http, res);
  if (lastEventId !== undefined && session.resume(lastEventId, res)) return;
  if (writable(session.standalone)) session.standalone.end();
  session.standalone = res;
  res.on('close', () => {
    if (session.standalone === res) session.standalone = undefined;
  });
}

/**
 * GET with a shared state store: the session may have been opened, and the stream begun, on another instance. A
 * stream this instance holds resumes from its own log; any other from the store's (shared-sessions.ts attach).
 */
async function openSharedStream(
  http: HttpContext,
  shared: SharedSessions,
  req: IncomingMessage,
  res: ServerResponse,
  sessionId: string,
  principal: Principal | undefined
): Promise<void> {
  const session = await sharedSession(http, shared, sessionId, principal);
  if (!session) return sessionNotFound(http, res);
  if (!(header(req, 'accept') ?? '').includes('text/event-stream')) {
    return fail(http, res, 406, new RpcError('invalidRequest', 'Not Acceptable: GET needs Accept: text/event-stream'));
  }
  if (session.openStreams >= http.limits.maxStreamsPerSession) return tooManyStreams(http, res, null);
  session.countStream(res);
  const lastEventId = header(req, 'last-event-id');
  res.writeHead(200, { ...SSE_HEADERS, 'mcp-session-id': session.id });
  res.flushHeaders();
  countStream(http, res);
  if (lastEventId !== undefined && session.resume(lastEventId, res)) return;
  const standalone = lastEventId === undefined || lastEventId.startsWith(`${STANDALONE}.`);
  if (standalone) {
    if (writable(session.standalone)) session.standalone.end();
    session.standalone = res;
    res.on('close', () => {
      if (session.standalone === res) session.standalone = undefined;
    });
  }
  try {
    await shared.attach(session, res, lastEventId);
  } catch {
    // The store went away between the session's lookup and the subscription: the client reconnects.
    if (writable(res)) res.end();
  }
}

/** DELETE: the client ends its 2025 session. */
export function deleteSession(
  http: HttpContext,
  res: ServerResponse,
  sessionId: string | undefined,
  principal: Principal | undefined
): void {
  if (sessionId === undefined) return methodNotAllowed(http, res, 'POST');
  const shared = http.shared;
  if (shared) {
    return void sharedSession(http, shared, sessionId, principal)
      .then(async (session) => {
        if (!session) return sessionNotFound(http, res);
        await shared.end(session);
        res.writeHead(200).end();
      })
      .catch((e) => internalError(http, res, e));
  }
  if (ownedSession(http, sessionId, principal) && http.sessions.delete(sessionId)) return void res.writeHead(200).end();
  sessionNotFound(http, res);
}
