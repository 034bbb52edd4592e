import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../core/context.js';
import { RpcError } from '../core/errors.js';
import { readBody } from './body.js';
import { openConversation, type MessageServer } from './conversation.js';
import { shuttingDownError } from './drain.js';
import { fail, methodNotAllowed, type HttpContext } from './http-context.js';
import { refuseBody } from './http-post.js';
import { ConnectionQuota, quotaOf } from './session-quota.js';
import { SSE_HEADERS, sseEvent, writable } from './sse.js';

/** The routes of the deprecated HTTP+SSE transport (protocol 2024-11-05): reserved when it is on. */
export const LEGACY_SSE_PATHS = { stream: '/sse', messages: '/messages' } as const;

interface LegacyStream {
  readonly res: ServerResponse;
  readonly conversation: MessageServer;
  readonly principal: string | undefined;
  readonly quota: string;
}

/**
 * The HTTP+SSE transport of protocol 2024-11-05 (`transport.legacySse: true`), for clients that still speak it:
 * `GET /sse` opens the event stream, whose first event (`endpoint`) names where to POST (`/messages?sessionId=…`);
 * each POSTed message is answered 202 and its response arrives on the stream as an event. A stream is one
 * conversation through the core stdio and WebSocket share (conversation.ts), so sessions, auth, limits and audit
 * are the same; it lives in the instance that opened it (behind several instances: sticky routing).
 */
export class LegacySseEndpoint {
  private readonly streams = new Map<string, LegacyStream>();

  private readonly quota: ConnectionQuota;

  constructor(
    private readonly http: HttpContext,
    /** transport.maxSessions: streams are counted like 2025 sessions. */
    maxStreams: number
  ) {
    this.quota = new ConnectionQuota(maxStreams, http.maxPerQuota);
  }

  /** True when `path` is one of its routes (then it has answered). Called after the Host/Origin guard and auth. */
  handle(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal | undefined): boolean {
    if (path === LEGACY_SSE_PATHS.stream) {
      if (req.method !== 'GET') methodNotAllowed(this.http, res, 'GET');
      else this.open(req, res, principal);
      return true;
    }
    if (path === LEGACY_SSE_PATHS.messages) {
      if (req.method !== 'POST') methodNotAllowed(this.http, res, 'POST');
      else void this.post(req, res, principal).catch(() => writable(res) && res.end());
      return true;
    }
    return false;
  }

  private open(req: IncomingMessage, res: ServerResponse, principal: Principal | undefined): void {
    const { http } = this;
    if (!http.drain.accepting) return fail(http, res, 503, shuttingDownError(), { connection: 'close' });
    const quota = quotaOf(req, principal, http.options.trustProxy === true);
    const refused = this.quota.admit(quota, principal);
    if (refused) return fail(http, res, refused.status, refused.error, refused.status === 503 ? { 'retry-after': '5' } : undefined);
    const id = randomUUID();
    const conversation = openConversation(http.core, {
      transport: 'http',
      limits: http.limits,
      principal,
      framed: true,
      maxInFlight: http.limits.maxStreamsPerSession,
      send: (data) => {
        if (!writable(res)) return;
        // A client that stops reading its stream: its answers pile up until the budget of buffered bodies, then it is cut.
        if (res.writableLength > http.limits.maxBufferedBodyBytes) return void res.destroy();
        res.write(sseEvent(String(data)));
      }
    });
    this.streams.set(id, { res, conversation, principal: principal?.name, quota });
    const access = http.access.of(res);
    if (access) access.sessionId = id;
    res.writeHead(200, SSE_HEADERS);
    res.write(`event: endpoint\ndata: ${LEGACY_SSE_PATHS.messages}?sessionId=${id}\n\n`);
    res.once('close', () => {
      this.streams.delete(id);
      this.quota.release(quota);
      void conversation.finish();
    });
  }

  private async post(req: IncomingMessage, res: ServerResponse, principal: Principal | undefined): Promise<void> {
    const { http } = this;
    const id = new URL(req.url ?? '/', 'http://x').searchParams.get('sessionId') ?? '';
    const stream = this.streams.get(id);
    // Another caller's stream is answered as an unknown one: its id must not be confirmed to anyone else.
    if (!stream || stream.principal !== principal?.name) {
      req.resume();
      return fail(http, res, 404, new RpcError('invalidRequest', 'Session not found: open a new stream with GET /sse'));
    }
    const body = await readBody(req, http.options.maxBodyBytes, http.limits.bodyTimeoutSeconds * 1000, http.bodies);
    try {
      if (body === undefined || body === 'timeout' || body === 'busy') return await refuseBody(http, req, res, body);
      // The answer goes down the stream; this POST is only acknowledged.
      res.writeHead(202, { 'content-type': 'text/plain' }).end('Accepted');
      const trimmed = body.trimStart();
      if (trimmed.startsWith('[')) for (const text of batch(trimmed)) stream.conversation.receive(text);
      else stream.conversation.receive(body);
    } finally {
      http.bodies.release(req);
    }
  }

  /** Drain: in-flight requests finish (up to graceMs), then every stream ends. */
  async close(graceMs: number): Promise<void> {
    await Promise.all(
      [...this.streams.values()].map(async (s) => {
        await s.conversation.close(graceMs);
        if (writable(s.res)) s.res.end();
      })
    );
  }
}

/** The messages of a JSON-RPC batch (2024-11-05 allows them), each as text; a malformed batch is one bad message. */
function batch(text: string): string[] {
  try {
    const items = JSON.parse(text) as unknown;
    return Array.isArray(items) && items.length > 0 ? items.map((m) => JSON.stringify(m)) : [text];
  } catch {
    return [text];
  }
}
