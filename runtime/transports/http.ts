import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Cancellation } from '../core/cancellation.js';
import { RpcError } from '../core/errors.js';
import type { McpCore } from '../core/server.js';
import type { Principal } from '../core/context.js';
import type { Authentication as Authenticator } from '../core/security.js';
import { LEGACY_VERSIONS, MODERN_VERSIONS } from '../sdk.js';
import { createGuard, hostnameOf } from './guard.js';
import { header } from './headers.js';
import { cancelledRequestId, classify } from './message.js';
import { SessionStore, type LegacySession } from './sessions.js';
import { DEFAULT_SESSIONS_PER_PRINCIPAL, quotaOf, sessionRefusal } from './session-quota.js';
import { SSE_HEADERS, sseEvent, writable } from './sse.js';
import { ResponseStream, writeJson } from './response-stream.js';
import { requestChannel, serveResourceMetadata } from './http-request.js';
import { BodyBudget, discardRest, readBody } from './body.js';
import type { JsonRpcId } from '../core/context.js';
import type { TransportLimits } from '../artifact/ir.js';
import { depthError, oversizedArgument, streamingMethods, timeoutError, tooDeep, transportLimits, withTimeout } from './limits.js';
import { Drain, SHUTDOWN_GRACE_MS, shuttingDownError, type InFlight } from './drain.js';

export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly maxBodyBytes: number;
  readonly maxSessions: number;
  /** Most 2025-era sessions of one principal, or of one client address when unauthenticated (default 100). */
  readonly maxSessionsPerPrincipal?: number;
  /** Whether X-Forwarded-For names the client address (behind a proxy that sets it). */
  readonly trustProxy?: boolean;
  readonly sessionIdleSeconds: number;
  /** `transport.limits`: unset keys take their defaults. */
  readonly limits?: Partial<TransportLimits>;
  /** HTTPS with this certificate chain and private key (PEM). */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
}

export interface HttpServer {
  readonly server: Server;
  readonly sessions: SessionStore;
  /** Bytes of request bodies held now (`transport.limits.maxBufferedBodyBytes` bounds it). */
  readonly bodyBytesHeld: number;
  /** Resolves with the bound URL of the MCP endpoint. */
  listen(): Promise<string>;
  /**
   * Stops accepting, lets in-flight requests finish (up to `graceMs`, default 10 s), answers those still running
   * with a shuttingDown error and cancels their work, then closes every stream and session.
   */
  close(graceMs?: number): Promise<void>;
}

const JSON_TYPE = { 'content-type': 'application/json' } as const;
const knownVersions = new Set<string>([...MODERN_VERSIONS, ...LEGACY_VERSIONS]);

/** Streamable HTTP for both eras: stateless 2026-07-28 requests, and 2025 sessions with SSE and resumption. */
export function createHttpServer(core: McpCore, options: HttpOptions): HttpServer {
  core.auth?.checkReady();
  const guard = createGuard(options);
  const limits = transportLimits(options.limits);
  // Never less than one largest body: else such a body could never be received.
  const bodies = new BodyBudget(Math.max(limits.maxBufferedBodyBytes, options.maxBodyBytes));
  const sessions = new SessionStore(options.maxSessions, options.sessionIdleSeconds * 1000, (s) => core.endSession(s.state), options.maxSessionsPerPrincipal ?? DEFAULT_SESSIONS_PER_PRINCIPAL);
  const drain = new Drain();

  const fail = (res: ServerResponse, status: number, error: RpcError, extra: Record<string, string> = {}, id: JsonRpcId | null = null) => {
    res.writeHead(status, { ...JSON_TYPE, ...extra }).end(core.envelope.error(id, error));
  };

  /** 2025 sessions belong to the caller who opened them: another caller's requests find no such session. */
  const ownerOf = (principal: Principal | undefined) => principal?.name ?? '';
  const owned = (session: LegacySession | undefined, principal: Principal | undefined) => (session?.owner === ownerOf(principal) ? session : undefined);

  /** The HTTP layer cannot die from one request: whatever a handler throws or rejects with is answered 500 and logged. */
  const internalError = (res: ServerResponse, e: unknown) => {
    if (!(e instanceof RpcError)) core.log.error(`HTTP request failed: ${(e as Error)?.stack ?? String(e)}`);
    if (!res.headersSent) fail(res, 500, e instanceof RpcError ? e : new RpcError('internalError', 'Internal error'));
    else if (writable(res)) res.end();
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    try {
      route(req, res);
    } catch (e) {
      internalError(res, e);
    }
  };
  const route = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const host = header(req, 'host');
    if (host !== undefined && hostnameOf(host) === undefined) return fail(res, 400, new RpcError('invalidRequest', `Bad Request: malformed Host header ${JSON.stringify(host.slice(0, 100))}`), { connection: 'close' });
    const auth = core.auth;
    if (auth && path !== options.path && auth.metadataPaths(options.path).has(path)) return protectedResourceMetadata(req, res, auth);
    if (path !== options.path) return fail(res, 404, new RpcError('invalidRequest', `Not found: the MCP endpoint is ${options.path}`));
    const refused = guard.check(host, header(req, 'origin'));
    if (refused) return fail(res, 403, new RpcError('invalidRequest', `Forbidden: ${refused}`));
    if (!auth) return dispatch(req, res, undefined);
    auth
      .authenticate(header(req, 'authorization'))
      .then((outcome) => {
        if ('principal' in outcome) return dispatch(req, res, outcome.principal);
        req.resume();
        const challenge = auth.challenge(auth.resource(host, options.path), outcome.reason ? { error: 'invalid_token', description: outcome.reason } : {});
        fail(res, 401, new RpcError('unauthorized', `Unauthorized: ${outcome.reason ?? 'send Authorization: Bearer <token>'}`), { 'www-authenticate': challenge });
      })
      .catch((e: unknown) => internalError(res, e));
  };
  // Node checks headersTimeout and requestTimeout only every connectionsCheckingInterval (30 s by default): a
  // slow client's headers were cut at 45 s instead of the configured 30. Check every second.
  const timing = { connectionsCheckingInterval: 1_000 };
  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, ...timing }, handle) : createServer(timing, handle);
  // Slow clients (slowloris): Node's own limits back up the body timeout of readBody.
  server.headersTimeout = limits.bodyTimeoutSeconds * 1000;
  server.requestTimeout = limits.bodyTimeoutSeconds * 1000 + 5_000;

  /** RFC 9728: where clients learn which authorization server and scopes this resource uses (no credentials needed). */
  const protectedResourceMetadata = (req: IncomingMessage, res: ServerResponse, auth: Authenticator) => {
    const refused = guard.check(header(req, 'host'), undefined);
    if (refused) return fail(res, 403, new RpcError('invalidRequest', `Forbidden: ${refused}`));
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, new RpcError('invalidRequest', 'Method not allowed'), { allow: 'GET' });
    serveResourceMetadata(req, res, auth, options.path, core.serverName);
  };

  const dispatch = (req: IncomingMessage, res: ServerResponse, principal: Principal | undefined) => {
    const sessionId = header(req, 'mcp-session-id');
    switch (req.method) {
      case 'POST':
        return void tracked(req, res, sessionId, principal);
      case 'GET':
        return get(req, res, sessionId, principal);
      case 'DELETE':
        if (sessionId === undefined) return fail(res, 405, new RpcError('invalidRequest', 'Method not allowed'), { allow: 'POST' });
        return owned(sessions.get(sessionId), principal) && sessions.delete(sessionId) ? void res.writeHead(200).end() : fail(res, 404, new RpcError('invalidRequest', 'Session not found'));
      default:
        return fail(res, 405, new RpcError('invalidRequest', 'Method not allowed'), { allow: sessionId ? 'GET, POST, DELETE' : 'POST' });
    }
  };

  /** GET: a 2025 session's standalone stream, or the resumption of a broken one (Last-Event-ID). */
  const get = (req: IncomingMessage, res: ServerResponse, sessionId: string | undefined, principal: Principal | undefined) => {
    if (sessionId === undefined) return fail(res, 405, new RpcError('invalidRequest', 'Method not allowed: this endpoint takes POST'), { allow: 'POST' });
    const session = owned(sessions.get(sessionId), principal);
    if (!session) return fail(res, 404, new RpcError('invalidRequest', 'Session not found'));
    if (!(header(req, 'accept') ?? '').includes('text/event-stream')) return fail(res, 406, new RpcError('invalidRequest', 'Not Acceptable: GET needs Accept: text/event-stream'));
    if (session.openStreams >= limits.maxStreamsPerSession) return tooManyStreams(res, null);
    session.countStream(res);
    const lastEventId = header(req, 'last-event-id');
    res.writeHead(200, { ...SSE_HEADERS, 'mcp-session-id': session.id });
    res.flushHeaders();
    if (lastEventId !== undefined && session.resume(lastEventId, res)) return;
    if (writable(session.standalone)) session.standalone.end();
    session.standalone = res;
    res.on('close', () => {
      if (session.standalone === res) session.standalone = undefined;
    });
  };

  /** A POST counted while in flight (graceful shutdown waits for it); one async frame, no promise chain per request. */
  const tracked = async (req: IncomingMessage, res: ServerResponse, sessionId: string | undefined, principal: Principal | undefined) => {
    const inFlight = drain.enter();
    try {
      await post(req, res, sessionId, principal, inFlight);
    } catch (e) {
      // An upload the client aborted ends here: one a request, so not a warning (a flood of them is no news).
      core.log.debug(`HTTP request failed: ${(e as Error)?.message ?? String(e)}`);
      if (writable(res) && !res.headersSent) fail(res, 400, new RpcError('invalidRequest', 'Bad request'));
      else if (writable(res)) res.end();
    } finally {
      bodies.release(req);
      drain.leave(inFlight);
    }
  };

  const post = async (req: IncomingMessage, res: ServerResponse, sessionId: string | undefined, principal: Principal | undefined, inFlight: InFlight) => {
    const type = header(req, 'content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/json')) return fail(res, 415, new RpcError('invalidRequest', 'Unsupported Media Type: send Content-Type: application/json'));
    const accept = header(req, 'accept');
    if (accept !== undefined && !/application\/json|text\/event-stream|\*\/\*/.test(accept)) {
      return fail(res, 406, new RpcError('invalidRequest', 'Not Acceptable: accept application/json and text/event-stream'));
    }
    const body = await readBody(req, options.maxBodyBytes, limits.bodyTimeoutSeconds * 1000, bodies);
    if (body === 'timeout') {
      return fail(res, 408, new RpcError('invalidRequest', `Request Timeout: the body did not arrive within ${limits.bodyTimeoutSeconds} s`), { connection: 'close' });
    }
    if (body === 'busy') {
      await discardRest(req, 5_000);
      const error = new RpcError('serverBusy', `Server busy: request bodies held fill transport.limits.maxBufferedBodyBytes (${bodies.max} bytes); retry shortly`, { setting: 'transport.limits.maxBufferedBodyBytes' });
      return fail(res, 503, error, { 'retry-after': '1', connection: 'close' });
    }
    if (body === undefined) {
      // Closing while the client still uploads resets the connection (EPIPE) before it can read the 413.
      await discardRest(req, 5_000);
      return fail(res, 413, new RpcError('invalidRequest', `Payload Too Large: the limit is ${options.maxBodyBytes} bytes`), { connection: 'close' });
    }
    if (tooDeep(body, limits.maxJsonDepth)) return fail(res, 400, depthError(limits.maxJsonDepth));
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return fail(res, 400, new RpcError('parseError', 'Parse error: invalid JSON'));
    }
    const msg = classify(value);
    if (msg.type === 'invalid') return fail(res, 400, new RpcError('invalidRequest', `Invalid request: ${msg.reason}`));
    // While shutting down, answers and cancellations of the calls being drained still come in; new work does not.
    if (msg.type === 'request' && !drain.accepting) return fail(res, 503, shuttingDownError(), { connection: 'close' }, msg.id);

    let session: LegacySession | undefined;
    if (sessionId !== undefined) {
      session = owned(sessions.get(sessionId), principal);
      if (!session) return fail(res, 404, new RpcError('invalidRequest', 'Session not found: start a new one with initialize'));
      const version = header(req, 'mcp-protocol-version');
      if (version !== undefined && !knownVersions.has(version)) return fail(res, 400, new RpcError('invalidRequest', `Unsupported MCP-Protocol-Version: ${version}`));
    }
    if (msg.type === 'request') {
      const oversized = oversizedArgument(msg.method, msg.params, Buffer.byteLength(body), limits.maxArgumentBytes);
      if (oversized) return fail(res, 413, oversized, {}, msg.id);
      if (session && session.openStreams >= limits.maxStreamsPerSession) return tooManyStreams(res, msg.id);
    }
    if (msg.type !== 'request') {
      if (msg.type === 'response') session?.outgoing.settle(msg.message);
      if (msg.type === 'notification') {
        if (msg.method === 'notifications/initialized' && session) session.state.initialized = true;
        if (msg.method === 'notifications/cancelled' && session) {
          const id = cancelledRequestId(msg.params);
          if (id !== undefined) session.inflight.get(id)?.abort();
        }
      }
      return void res.writeHead(202).end();
    }

    // Its AbortSignal is made only if the work asks for one (most calls never do).
    const controller = new Cancellation();
    const stream = new ResponseStream(res, session);
    const channel = requestChannel(req, stream, session, principal);
    if (session) {
      session.inflight.set(msg.id, controller);
      session.countStream(res);
    }
    // 2026-07-28: closing the request's stream is the cancellation. 2025: a dropped stream may be resumed.
    else res.on('close', () => !res.writableFinished && controller.abort());
    let cancelled = false;
    inFlight.cancel = (graceMs) => {
      cancelled = true;
      session?.inflight.delete(msg.id);
      controller.abort();
      const error = shuttingDownError(graceMs);
      stream.finish(core.envelope.error(msg.id, error), session ? 200 : error.httpStatus);
      return sent(res);
    };
    const work = core.request(msg.id, msg.method, msg.params, channel, controller);
    const reply = streamingMethods.has(msg.method) ? await work : await withTimeout(work, limits.requestTimeoutSeconds * 1000, () => controller.abort());
    if (cancelled) return;
    session?.inflight.delete(msg.id);
    if (reply === 'timeout') {
      const error = timeoutError(msg.method, limits.requestTimeoutSeconds);
      return stream.finish(core.envelope.error(msg.id, error), session ? 200 : error.httpStatus);
    }
    if (reply.session) {
      const created = sessions.create(reply.session, ownerOf(principal), quotaOf(req, principal, options.trustProxy === true));
      if (typeof created === 'string') {
        core.endSession(reply.session);
        const error = sessionRefusal(created, sessions, principal);
        return fail(res, error.httpStatus, error, { 'retry-after': created === 'quota' ? '60' : '5' }, msg.id);
      }
      core.openSession(reply.session, (m) => {
        if (writable(created.standalone)) created.standalone.write(sseEvent(m));
      });
      return writeJson(res, 200, reply.body, { ...JSON_TYPE, 'mcp-session-id': created.id });
    }
    const auth = core.auth;
    if (reply.insufficientScope && auth) {
      const challenge = auth.challenge(auth.resource(header(req, 'host'), options.path), { error: 'insufficient_scope', scopes: reply.insufficientScope });
      return stream.finish(reply.body, reply.status, { 'www-authenticate': challenge });
    }
    stream.finish(reply.body, reply.status, reply.headers);
  };

  const tooManyStreams = (res: ServerResponse, id: JsonRpcId | null) =>
    fail(res, 429, new RpcError('tooManyStreams', `Too many streams: this session already has ${limits.maxStreamsPerSession} open (transport.limits.maxStreamsPerSession); retry when one has finished`, { limit: limits.maxStreamsPerSession }), { 'retry-after': '1' }, id);

  return {
    server,
    sessions,
    get bodyBytesHeld() {
      return bodies.inUse;
    },
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          const a = server.address() as AddressInfo;
          const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
          resolve(`${options.tls ? 'https' : 'http'}://${host}:${a.port}${options.path}`);
        });
      }),
    close: async (graceMs = SHUTDOWN_GRACE_MS) => {
      const stopped = new Promise<void>((r) => server.close(() => r()));
      const cancelled = await drain.drain(graceMs);
      if (cancelled > 0) core.log.warn(`shutdown: ${cancelled} request(s) still running after the ${graceMs / 1000} s grace period were cancelled`);
      sessions.closeAll();
      server.closeAllConnections();
      await stopped;
    }
  };
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
