import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LegacyState, Principal } from '../core/context.js';
import type { Channel } from '../core/context.js';
import type { Authentication as Authenticator } from '../core/security.js';
import { decodeHeaderValue, header } from './headers.js';
import type { ResponseStream } from './response-stream.js';
import type { LegacySession } from './sessions.js';

/** The toolset whose endpoint a request came in on, when not the root (set by the router, read by its channel). */
export const requestToolset = new WeakMap<IncomingMessage, string>();

/** The 2026-07-28 headers that must mirror the body, decoded when the request is answered, and the Mcp-Param-* ones on demand. */
class MirroredHeaders {
  readonly protocolVersion: string | undefined;
  readonly method: string | undefined;
  readonly name: string | undefined;

  constructor(private readonly req: IncomingMessage) {
    this.protocolVersion = header(req, 'mcp-protocol-version');
    this.method = decodeHeaderValue(header(req, 'mcp-method'));
    this.name = decodeHeaderValue(header(req, 'mcp-name'));
  }

  param(name: string): string | null | undefined {
    const raw = header(this.req, name);
    return raw === undefined ? undefined : (decodeHeaderValue(raw) ?? null);
  }
}

/**
 * How the core answers one stateless (2026-07-28) HTTP request: on its response stream. Classes rather than objects
 * of closures, as one is made per request; optional members stay absent when there is nothing to offer.
 */
class StatelessChannel implements Channel {
  declare readonly principal?: Principal;
  get transport(): 'http' {
    return 'http';
  }
  declare readonly toolset?: string;
  readonly headers: MirroredHeaders;
  readonly requestHeader: (name: string) => string | undefined;

  constructor(
    req: IncomingMessage,
    private readonly stream: ResponseStream,
    principal: Principal | undefined
  ) {
    if (principal) this.principal = principal;
    const toolset = requestToolset.get(req);
    if (toolset !== undefined) this.toolset = toolset;
    this.headers = new MirroredHeaders(req);
    this.requestHeader = (n) => header(req, n);
  }

  notify(message: string): void {
    this.stream.notify(message);
  }
}

/** A request in a 2025 session: server-to-client requests go out on its stream, which may be closed for a resume. */
class SessionChannel implements Channel {
  declare readonly principal?: Principal;
  get transport(): 'http' {
    return 'http';
  }
  get sessionId(): string {
    return this.session.id;
  }
  declare readonly toolset?: string;
  readonly legacy: LegacyState;
  readonly requestHeader: (name: string) => string | undefined;

  constructor(
    req: IncomingMessage,
    private readonly stream: ResponseStream,
    private readonly session: LegacySession,
    principal: Principal | undefined
  ) {
    if (principal) this.principal = principal;
    const toolset = requestToolset.get(req);
    if (toolset !== undefined) this.toolset = toolset;
    this.legacy = session.state;
    this.requestHeader = (n) => header(req, n);
  }

  notify(message: string): void {
    this.stream.notify(message);
  }

  request(method: string, params: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    return this.session.outgoing.send((m) => this.stream.notify(m), method, params, signal);
  }

  closeStream(): void {
    this.stream.close();
  }
}

/** How the core answers one HTTP request: on its response stream, in its 2025 session if it has one. */
export function requestChannel(
  req: IncomingMessage,
  stream: ResponseStream,
  session: LegacySession | undefined,
  principal: Principal | undefined
): Channel {
  return session ? new SessionChannel(req, stream, session, principal) : new StatelessChannel(req, stream, principal);
}

/** The RFC 9728 protected resource metadata document, for GET or HEAD (public: browsers read it cross-origin). */
export function serveResourceMetadata(
  req: IncomingMessage,
  res: ServerResponse,
  auth: Authenticator,
  path: string,
  serverName: string
): void {
  const document = auth.metadata(auth.resource(header(req, 'host'), path), serverName);
  res
    .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'max-age=3600' })
    .end(req.method === 'HEAD' ? undefined : JSON.stringify(document));
}
