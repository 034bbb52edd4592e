import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where the exposition comes from: a prom-client Registry, or the whole server's aggregate under `run --workers`. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface MetricsEndpointOptions {
  /** When set, scrapers must send `Authorization: Bearer <token>` (`transport.metrics.token`). */
  readonly token?: string;
}

/**
 * `GET /metrics`: the source's Prometheus text exposition. Outside MCP auth: with a token, only a bearer
 * of it reads the figures (compared in constant time, so timing tells nothing of it).
 */
export function createMetricsEndpoint(
  registry: MetricsSource,
  options: MetricsEndpointOptions = {}
): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = options.token !== undefined && options.token !== '' ? digest(options.token) : undefined;
  return (req, res) => {
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed: GET /metrics\n', { allow: 'GET, HEAD' });
    if (expected && !authorized(req.headers.authorization, expected)) {
      return plain(res, 401, 'Unauthorized: send Authorization: Bearer <transport.metrics.token>\n', {
        'www-authenticate': 'Bearer realm="metrics"'
      });
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, {
          'content-type': registry.contentType,
          'cache-control': 'no-store',
          'content-length': Buffer.byteLength(text)
        });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      () => plain(res, 500, 'Internal error while collecting metrics\n')
    );
  };
}

/** Digests have one length whatever was sent, so timingSafeEqual compares them without telling the token's length. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = header !== undefined ? /^Bearer +(\S+) *$/i.exec(header) : null;
  return match !== null && timingSafeEqual(digest(match[1]!), expected);
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);
}
