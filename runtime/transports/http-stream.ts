import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../core/context.js';
import { RpcError } from '../core/errors.js';
import { header } from './headers.js';
import { countStream, fail, methodNotAllowed, ownedSession, sessionNotFound, tooManyStreams, type HttpContext } from './http-context.js';
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

/** DELETE: the client ends its 2025 session. */
export function deleteSession(
  http: HttpContext,
  res: ServerResponse,
  sessionId: string | undefined,
  principal: Principal | undefined
): void {
  if (sessionId === undefined) return methodNotAllowed(http, res, 'POST');
  if (ownedSession(http, sessionId, principal) && http.sessions.delete(sessionId)) return void res.writeHead(200).end();
  sessionNotFound(http, res);
}
