import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher, errors } from 'undici';
import type { CallLimit } from './limit.js';
import { UpstreamBody } from './upstream-body.js';

export { discard, readBody } from './upstream-body.js';

/**
 * undici's dispatcher rather than node:http or fetch. Measured in the tools/call bench (test/bench/openapi.mjs),
 * a minimal proxy spends about a third less CPU per call with an undici pool than with a node:http Agent
 * (ClientRequest, OutgoingMessage and the Agent's socket bookkeeping per request), and fetch several times either
 * (WHATWG streams, Request/Response objects). The dispatch API, not undici's `request`, so a response costs no
 * stream, async resource or abort listener: its body goes to an UpstreamBody. An Agent keeps one pool of
 * keep-alive connections per origin; `connections` bounds each, so a burst of calls to one API queues instead of
 * opening hundreds of connections. Idle connections close after 4 s at most (or before the server's own
 * `Keep-Alive: timeout`). undici's own header and body timeouts are off: the call's deadline (CallLimit) covers
 * the whole call. Redirects are not followed here (index.ts follows them by hand, within the base URL).
 */
const POOL = { connections: 128, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 4_000, headersTimeout: 0, bodyTimeout: 0 } as const;

/** One source's connection pools (owned by its opened source, closed with it). */
export interface Agents {
  readonly agent: Agent;
  destroy(): Promise<void>;
}

export function createAgents(): Agents {
  const agent = new Agent(POOL);
  return { agent, destroy: () => agent.destroy() };
}

/** What fetch sent by default and upstreams may rely on (GitHub refuses requests without a User-Agent). */
const DEFAULT_HEADERS = { 'user-agent': 'mcp-gen', 'accept-encoding': 'gzip, deflate' } as const;

export interface UpstreamRequest {
  readonly method: string;
  readonly url: URL;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly statusText: string;
  /** Lower-case names; a repeated header as node:http gives it (Set-Cookie a list, the rest one value). */
  readonly headers: IncomingHttpHeaders;
  /** The URL that answered (after redirects, the last one). */
  readonly url: URL;
  readonly body: UpstreamBody;
}

/** A connection error: `staleConnection` when it was a pooled connection the server had already closed. */
export type UpstreamError = NodeJS.ErrnoException & { staleConnection?: boolean };

/** Sends one request; resolves once the status and headers arrived (read or discard the body next). */
export function send(request: UpstreamRequest, limit: CallLimit, agents: Agents): Promise<UpstreamResponse> {
  if (limit.stopped) return Promise.reject(limit.stopped);
  const { url } = request;
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return Promise.reject(new Error(`${url.protocol} URLs are not supported (http and https are)`));
  const headers: Record<string, string> = { ...DEFAULT_HEADERS, ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  return new Promise((resolve, reject) => {
    const exchange = new Exchange(url, limit, resolve, reject);
    const options = { origin: url.origin, path: url.pathname + url.search, method: request.method, headers, body: request.body ?? null };
    agents.agent.dispatch(options as Dispatcher.DispatchOptions, exchange);
  });
}

/** One request's handler: settles `send`'s promise at the headers, then feeds the body. */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private body: UpstreamBody | undefined;
  private settled = false;

  constructor(
    private readonly url: URL,
    private readonly limit: CallLimit,
    private readonly resolve: (response: UpstreamResponse) => void,
    private readonly reject: (e: Error) => void
  ) {
    // Before the headers a stop fails the call at once, even while the request waits for a connection.
    limit.onStop((e) => {
      this.fail(e);
      this.controller?.abort(e);
    });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.limit.stopped) controller.abort(this.limit.stopped);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[]>, text?: string) {
    if (status < 200 || this.settled) return;
    this.settled = true;
    const body = (this.body = new UpstreamBody(controller));
    // From here on a stop ends the body instead (readBody and discard take over).
    this.limit.onStop((e) => body.destroy(e));
    this.resolve({ status, statusText: text ?? '', headers: asNode(headers), url: this.url, body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body?.push(chunk);
  }

  onResponseEnd(): void {
    this.body?.finish();
  }

  onResponseError(_controller: Dispatcher.DispatchController, e: Error): void {
    if (this.body) return this.body.fail(this.body.destroyed ? e : truncated(e));
    this.fail(this.limit.stopped ?? connectionError(e));
  }

  private fail(e: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(e);
  }
}

/**
 * undici's "other side closed" (the server dropped the connection before answering) as node:http named it: the
 * message callers have always seen, and ECONNRESET, which retries an idempotent request. On a connection that had
 * already carried answers (a pooled one, node:http's `reusedSocket`) it is a stale connection: retried at once.
 */
function connectionError(e: Error): Error {
  if (!(e instanceof errors.SocketError)) return e;
  const reset: UpstreamError = new Error('socket hang up', { cause: e });
  reset.code = 'ECONNRESET';
  if ((e.socket?.bytesRead ?? 0) > 0) reset.staleConnection = true;
  return reset;
}

function truncated(e: Error): Error {
  return e instanceof errors.SocketError ? new Error('the connection closed before the whole response arrived', { cause: e }) : e;
}

/** node:http keeps one value of a repeated single-valued header (the first), and joins the others; Set-Cookie stays a list. */
const SINGLE = new Set(['content-type', 'content-length', 'location', 'retry-after', 'etag', 'last-modified']);

function asNode(headers: Record<string, string | string[]>): IncomingHttpHeaders {
  for (const name in headers) {
    const value = headers[name]!;
    if (typeof value === 'string' || name === 'set-cookie') continue;
    headers[name] = SINGLE.has(name) ? value[0]! : value.join(', ');
  }
  return headers;
}
