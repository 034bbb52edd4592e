import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import type { CallLimit } from './limit.js';

/**
 * node:http rather than fetch: undici's fetch costs several times the CPU of an Agent request per call
 * (WHATWG streams, Request/Response objects, header lists), and an OpenAPI tool call is little more than
 * one upstream request. An Agent keeps one pool of keep-alive connections per origin (host and port, and
 * the TLS options for https); maxSockets bounds each pool, so a burst of calls to one API queues instead of
 * opening hundreds of connections. Idle connections close after 4 s (or before the server's own
 * `Keep-Alive: timeout`), as fetch's do, so a reused connection is rarely one the server already dropped.
 */
const POOL = { keepAlive: true, maxSockets: 128, timeout: 4_000, scheduling: 'lifo' } as const;

/** One source's connection pools (owned by its opened source, destroyed with it). */
export interface Agents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

export function createAgents(): Agents {
  return { http: new http.Agent(POOL), https: new https.Agent(POOL) };
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
  readonly headers: IncomingHttpHeaders;
  /** The URL that answered (after redirects, the last one). */
  readonly url: URL;
  readonly message: IncomingMessage;
}

/** A connection error on a pooled connection the server had already closed: the request never reached it. */
export type UpstreamError = NodeJS.ErrnoException & { staleConnection?: boolean };

/** Sends one request; resolves once the status and headers arrived (read or discard the body next). */
export function send(request: UpstreamRequest, limit: CallLimit, agents: Agents): Promise<UpstreamResponse> {
  if (limit.stopped) return Promise.reject(limit.stopped);
  const { url } = request;
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') return Promise.reject(new Error(`${url.protocol} URLs are not supported (http and https are)`));
  const headers: Record<string, string | number> = { ...DEFAULT_HEADERS, ...request.headers };
  if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      {
        // WHATWG keeps IPv6 hosts in brackets; node:http wants the bare address.
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        ...(url.port !== '' ? { port: url.port } : {}),
        path: url.pathname + url.search,
        method: request.method,
        headers,
        agent: secure ? agents.https : agents.http
      },
      (message) => {
        // From here on a stop ends the body instead (readBody and discard take over).
        limit.onStop((e) => message.destroy(e));
        resolve({ status: message.statusCode ?? 0, statusText: message.statusMessage ?? '', headers: message.headers, url, message });
      }
    );
    limit.onStop((e) => req.destroy(e));
    req.on('error', (e: UpstreamError) => {
      if (limit.stopped) return reject(limit.stopped);
      if (req.reusedSocket && e.code === 'ECONNRESET') e.staleConnection = true;
      reject(e);
    });
    req.end(request.body);
  });
}

/** Drops a body that will not be read (a redirect's, or a retried 503's), keeping the connection when it is small. */
export function discard(response: UpstreamResponse): void {
  const { message } = response;
  message.on('error', () => {});
  if (message.complete) return;
  if (Number(response.headers['content-length']) <= 65_536) message.resume();
  else message.destroy();
}

/**
 * Reads at most `cap` bytes of the (decoded) body, saying whether it was cut; a longer body's connection is
 * closed rather than drained. gzip and deflate are decoded as fetch did, so the cap applies to what the
 * model would read.
 */
export function readBody(response: UpstreamResponse, cap: number, limit: CallLimit): Promise<{ bytes: Buffer; truncated: boolean }> {
  const { message } = response;
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let decoder: Transform | undefined;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      limit.onStop(undefined);
      return true;
    };
    const fail = (e: Error) => settle() && reject(limit.stopped ?? e);
    const done = () => settle() && resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), truncated: false });
    const take = (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      chunks.push(chunk);
      if (size <= cap) return;
      settle();
      message.destroy();
      decoder?.destroy();
      resolve({ bytes: Buffer.concat(chunks).subarray(0, cap), truncated: true });
    };
    limit.onStop((e) => {
      message.destroy(e);
      fail(e);
    });
    message.on('data', (chunk: Buffer) => {
      if (!encoding || encoding === 'identity') return take(chunk);
      // Made on the first byte: an empty body (204, HEAD) with a Content-Encoding is not a decoding error.
      if (!decoder) {
        decoder = decoderFor(encoding, chunk);
        if (!decoder) return take(chunk);
        decoder
          .on('data', take)
          .on('end', done)
          .on('error', (e) => fail(new Error(`could not decode the ${encoding} response: ${e.message}`)));
      }
      decoder.write(chunk);
    });
    message.on('end', () => (decoder ? decoder.end() : done()));
    message.on('error', fail);
    message.on('close', () => {
      if (!message.complete) fail(new Error('the connection closed before the whole response arrived'));
    });
  });
}

function decoderFor(encoding: string, first: Buffer): Transform | undefined {
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate: the first byte tells (as fetch does).
  if (encoding === 'deflate') return (first[0]! & 0x0f) === 0x08 ? createInflate() : createInflateRaw();
  if (encoding === 'br') return createBrotliDecompress();
  return undefined;
}
