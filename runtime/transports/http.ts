import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { McpCore } from '../core/server.js';
import type { TransportTelemetry } from '../core/telemetry.js';
import type { TransportLimits } from '../artifact/ir.js';
import { BodyBudget } from './body.js';
import { Drain, SHUTDOWN_GRACE_MS, SHUTDOWN_RETRY_MS } from './drain.js';
import { AccessLog, RefusalWarnings } from './http-access.js';
import { createGuard } from './guard.js';
import type { HttpContext, OpsRoutes } from './http-context.js';
import { listener } from './http-route.js';
import { transportLimits } from './limits.js';
import { DEFAULT_SESSIONS_PER_PRINCIPAL } from './session-quota.js';
import { type LegacySession, SessionStore } from './sessions.js';
import { SharedSessions } from './shared-sessions.js';
import type { StateStore } from '../state/store.js';
import { WebSocketEndpoint } from './websocket.js';
import { LegacySseEndpoint } from './legacy-sse.js';

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
  /** /healthz, /readyz, /metrics (runtime/observe/health.ts createOpsRoutes), answered before the Host allow-list and auth. */
  readonly ops?: OpsRoutes;
  /** Where sessions, SSE streams and refused callers are reported (runtime/observe); absent: nowhere. */
  readonly telemetry?: TransportTelemetry;
  /** `state.store` (runtime/state); a shared one (Redis) keeps 2025 sessions for every instance. Absent: memory. */
  readonly state?: StateStore;
  /** `transport.websocket`: also accept WebSocket upgrades on the endpoint's path (websocket.ts). */
  readonly websocket?: boolean;
  /** `transport.legacySse`: also serve the deprecated HTTP+SSE transport at /sse and /messages (legacy-sse.ts). */
  readonly legacySse?: boolean;
}

export interface HttpServer {
  readonly server: Server;
  readonly sessions: SessionStore;
  /** Bytes of request bodies held now (`transport.limits.maxBufferedBodyBytes` bounds it). */
  readonly bodyBytesHeld: number;
  /** Resolves with the bound URL of the MCP endpoint. */
  listen(): Promise<string>;
  /** True once `close` was called: new MCP requests are answered 503 (shuttingDown). */
  readonly draining: boolean;
  /**
   * Refuses new MCP requests (503, shuttingDown) while the listener stays open (probes still get /readyz 503), lets
   * in-flight requests finish (up to `graceMs`, default 10 s), answers those still running with a shuttingDown
   * error and cancels their work, ends every stream and session (SSE streams with a `retry:` hint), and only then
   * stops listening.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Streamable HTTP for both eras: stateless 2026-07-28 requests, and 2025 sessions with SSE and resumption.
 * Routing and the Host/Origin/auth guard are in http-route.ts, POST in http-post.ts and http-reply.ts (through the
 * dispatch path stdio shares, dispatch.ts), GET streams and DELETE in http-stream.ts.
 */
export function createHttpServer(core: McpCore, options: HttpOptions): HttpServer {
  core.auth?.checkReady();
  const limits = transportLimits(options.limits);
  const idleMs = options.sessionIdleSeconds * 1000;
  const perPrincipal = options.maxSessionsPerPrincipal ?? DEFAULT_SESSIONS_PER_PRINCIPAL;
  const telemetry = options.telemetry ?? unobserved;
  const state = options.state?.shared ? options.state : undefined;
  // A shared store's sessions share this instance's subscriber (shared-sessions.ts): nothing of the core to end.
  const ended = (s: LegacySession, forAll: boolean) => {
    if (!state) core.endSession(s.state);
    if (forAll) telemetry.sessionEnded((Date.now() - s.openedAt) / 1000, s.state.protocolVersion);
  };
  // With a shared store the quota is counted there: this instance's table holds copies of others' sessions too.
  const sessions = new SessionStore(
    options.maxSessions,
    idleMs,
    ended,
    state ? Number.POSITIVE_INFINITY : perPrincipal,
    state !== undefined
  );
  const shared = state && new SharedSessions(core, state, sessions, idleMs);
  const http: HttpContext = {
    core,
    options,
    limits,
    guard: createGuard(options),
    // Never less than one largest body: else such a body could never be received.
    bodies: new BodyBudget(Math.max(limits.maxBufferedBodyBytes, options.maxBodyBytes)),
    sessions,
    shared,
    maxPerQuota: perPrincipal,
    drain: new Drain(),
    ops: options.ops,
    telemetry,
    access: new AccessLog(core, options.path),
    refusals: new RefusalWarnings(() => core.log)
  };
  // Node checks headersTimeout and requestTimeout only every connectionsCheckingInterval (30 s by default): a
  // slow client's headers were cut at 45 s instead of the configured 30. Check every second.
  const timing = { connectionsCheckingInterval: 1_000 };
  const handle = listener(http);
  const server: Server = options.tls
    ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, ...timing }, handle)
    : createServer(timing, handle);
  // Slow clients (slowloris): Node's own limits back up the body timeout of readBody.
  server.headersTimeout = limits.bodyTimeoutSeconds * 1000;
  server.requestTimeout = limits.bodyTimeoutSeconds * 1000 + 5_000;
  const sockets = options.websocket ? new WebSocketEndpoint(http, options.maxSessions) : undefined;
  if (options.legacySse) http.legacySse = new LegacySseEndpoint(http, options.maxSessions);
  if (sockets) server.on('upgrade', (req, socket, head) => sockets.upgrade(req, socket, head));

  return {
    server,
    sessions: http.sessions,
    get bodyBytesHeld() {
      return http.bodies.inUse;
    },
    listen: async () => {
      await shared?.start();
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          const a = server.address() as AddressInfo;
          const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
          resolve(`${options.tls ? 'https' : 'http'}://${host}:${a.port}${options.path}`);
        });
      });
    },
    get draining() {
      return !http.drain.accepting;
    },
    close: async (graceMs = SHUTDOWN_GRACE_MS) => {
      // The listener stays open while draining: a load balancer's probe must get /readyz 503, not a refused connection.
      // WebSocket conversations drain alongside HTTP requests, within the same grace.
      const [cancelled] = await Promise.all([http.drain.drain(graceMs), sockets?.close(graceMs), http.legacySse?.close(graceMs)]);
      if (cancelled > 0)
        core.log.warn(`shutdown: ${cancelled} request(s) still running after the ${graceMs / 1000} s grace period were cancelled`);
      // With a shared store the sessions live on: clients carry on through another instance.
      http.sessions.closeAll(SHUTDOWN_RETRY_MS);
      shared?.close();
      const stopped = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await stopped;
    }
  };
}

const unobserved: TransportTelemetry = {
  sessionOpened: () => {},
  sessionEnded: () => {},
  sessionRefused: () => {},
  streamOpened: () => {},
  streamClosed: () => {},
  authRejected: () => {}
};
