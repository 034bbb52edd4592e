import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Principal } from '../core/context.js';
import { RpcError } from '../core/errors.js';
import { openConversation, type MessageServer } from './conversation.js';
import { shuttingDownError } from './drain.js';
import { header } from './headers.js';
import { fail, type HttpContext } from './http-context.js';
import { forbidden } from './http-route.js';
import { ConnectionQuota, quotaOf } from './session-quota.js';

/** The subprotocol MCP clients ask for (the SDK's WebSocketClientTransport sends it). */
export const MCP_SUBPROTOCOL = 'mcp';
/** A peer that answers no ping within this long is cut (half-open TCP connections hold a conversation otherwise). */
const PING_MS = 30_000;

interface Connection {
  readonly ws: WebSocket;
  readonly conversation: MessageServer;
  readonly quota: string;
  alive: boolean;
}

/**
 * The WebSocket transport (`transport.websocket: true`): an upgrade on the MCP endpoint's path, subprotocol `mcp`,
 * one JSON-RPC message per text frame, one conversation per connection (a 2025 session after `initialize`, or
 * stateless 2026-07-28 requests), through the core as stdio's (conversation.ts). The upgrade passes what an HTTP
 * request passes (Host, Origin, Authorization, draining, the session caps) before it is accepted; frames are
 * bounded by maxBodyBytes, requests in flight per connection by transport.limits.maxStreamsPerSession.
 */
export class WebSocketEndpoint {
  private readonly wss: WebSocketServer;
  private readonly open = new Set<Connection>();
  private readonly pinger: NodeJS.Timeout;

  private readonly quota: ConnectionQuota;

  constructor(
    private readonly http: HttpContext,
    /** transport.maxSessions: WebSocket connections are counted like 2025 sessions. */
    maxConnections: number
  ) {
    this.quota = new ConnectionQuota(maxConnections, http.maxPerQuota);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: http.options.maxBodyBytes,
      perMessageDeflate: false,
      handleProtocols: (protocols) => (protocols.has(MCP_SUBPROTOCOL) ? MCP_SUBPROTOCOL : false)
    });
    this.pinger = setInterval(() => this.ping(), PING_MS).unref();
  }

  /** The server's 'upgrade' listener: never throws (a failing upgrade destroys its socket and is logged). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    try {
      this.admit(req, socket, head);
    } catch (e) {
      this.http.core.log.error(`WebSocket upgrade failed: ${(e as Error)?.stack ?? String(e)}`);
      socket.destroy();
    }
  }

  private admit(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { http } = this;
    const res = refusalResponse(req, socket);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    if ((q === -1 ? url : url.slice(0, q)) !== http.options.path)
      return fail(http, res, 404, new RpcError('invalidRequest', `Not found: the MCP endpoint is ${http.options.path}`));
    const host = header(req, 'host');
    if (host !== undefined && http.guard.hostname(host) === undefined)
      return fail(
        http,
        res,
        400,
        new RpcError('invalidRequest', `Bad Request: malformed Host header ${JSON.stringify(host.slice(0, 100))}`)
      );
    const refused = http.guard.check(host, header(req, 'origin'));
    if (refused) return forbidden(http, res, refused);
    if (!http.drain.accepting) return fail(http, res, 503, shuttingDownError());
    const offered = (header(req, 'sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(MCP_SUBPROTOCOL))
      return fail(
        http,
        res,
        400,
        new RpcError(
          'invalidRequest',
          `Bad Request: a WebSocket to this server needs the subprotocol "${MCP_SUBPROTOCOL}" (Sec-WebSocket-Protocol)`
        )
      );
    const auth = http.core.auth;
    if (!auth) return this.accept(req, socket, head, res, undefined);
    auth
      .authenticate(header(req, 'authorization'))
      .then((outcome) => {
        if ('principal' in outcome) return this.accept(req, socket, head, res, outcome.principal);
        http.telemetry.authRejected(header(req, 'authorization') === undefined ? 'missing_credentials' : 'invalid_credentials');
        const challenge = auth.challenge(
          auth.resource(host, http.options.path),
          outcome.reason ? { error: 'invalid_token', description: outcome.reason } : {}
        );
        fail(http, res, 401, new RpcError('unauthorized', `Unauthorized: ${outcome.reason ?? 'send Authorization: Bearer <token>'}`), {
          'www-authenticate': challenge
        });
      })
      .catch((e: unknown) => {
        http.core.log.error(`WebSocket upgrade failed: ${(e as Error)?.stack ?? String(e)}`);
        socket.destroy();
      });
  }

  /** Counted like 2025 sessions: transport.maxSessions for all, maxSessionsPerPrincipal per caller. */
  private accept(req: IncomingMessage, socket: Duplex, head: Buffer, res: ServerResponse, principal: Principal | undefined): void {
    const { http } = this;
    const quota = quotaOf(req, principal, http.options.trustProxy === true);
    const refused = this.quota.admit(quota, principal);
    if (refused) return fail(http, res, refused.status, refused.error, refused.status === 503 ? { 'retry-after': '5' } : undefined);
    res.detachSocket(socket as never);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, quota, principal));
  }

  private serve(ws: WebSocket, quota: string, principal: Principal | undefined): void {
    const { http } = this;
    const opened = performance.now();
    const limits = http.limits;
    const conversation = openConversation(http.core, {
      transport: 'websocket',
      limits,
      principal,
      framed: true,
      maxInFlight: limits.maxStreamsPerSession,
      send: (data) => {
        // A client that stops reading: its answers pile up here until the budget of buffered bodies, then it is cut.
        if (ws.bufferedAmount > limits.maxBufferedBodyBytes) return void ws.terminate();
        ws.send(data);
      }
    });
    const connection: Connection = { ws, conversation, quota, alive: true };
    this.open.add(connection);
    let messages = 0;
    const log = http.core.log;
    if (log.enabled('info'))
      log.info('websocket opened', { path: http.options.path, status: 101, ...(principal ? { principal: principal.name } : {}) });
    ws.on('message', (data, binary) => {
      messages++;
      if (binary)
        return conversation.refuse(
          new RpcError('invalidRequest', 'Invalid request: binary frames are not MCP messages; send JSON-RPC in text frames')
        );
      conversation.receive(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
    });
    ws.on('pong', () => (connection.alive = true));
    // ws reports protocol violations (a frame over maxPayload: 1009) and closes the socket itself: nothing to rethrow.
    ws.on('error', () => {});
    ws.once('close', (code) => {
      this.open.delete(connection);
      this.quota.release(quota);
      void conversation.finish();
      if (log.enabled('info')) log.info('websocket closed', { code, messages, duration_ms: Math.round(performance.now() - opened) });
    });
  }

  private ping(): void {
    for (const c of this.open) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }

  /** Drain: in-flight requests finish (up to graceMs), then every socket closes with 1001 (going away). */
  async close(graceMs: number): Promise<void> {
    clearInterval(this.pinger);
    await Promise.all(
      [...this.open].map(async (c) => {
        await c.conversation.close(graceMs);
        c.ws.close(1001, 'server shutting down');
        // A peer that does not complete the closing handshake is cut.
        setTimeout(() => c.ws.terminate(), 1000).unref();
      })
    );
    this.wss.close();
  }

  get connections(): number {
    return this.open.size;
  }
}

/** A response written straight to the upgrade's socket (a refused upgrade is a plain HTTP answer), which then closes. */
function refusalResponse(req: IncomingMessage, socket: Duplex): ServerResponse {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as never);
  res.once('finish', () => socket.destroy());
  return res;
}
