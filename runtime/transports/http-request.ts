import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../core/context.js';
import type { Channel } from '../core/server.js';
import type { Authentication as Authenticator } from '../core/security.js';
import { decodeHeaderValue, header } from './headers.js';
import type { ResponseStream } from './response-stream.js';
import type { LegacySession } from './sessions.js';

/** How the core answers one HTTP request: on its response stream, in its 2025 session if it has one. */
export function requestChannel(req: IncomingMessage, stream: ResponseStream, session: LegacySession | undefined, principal: Principal | undefined): Channel {
  const caller = principal ? { principal } : {};
  const requestHeader = (n: string) => header(req, n);
  if (session) {
    return {
      legacy: session.state,
      notify: (m) => stream.notify(m),
      request: (method, params, signal) => session.outgoing.send((m) => stream.notify(m), method, params, signal),
      closeStream: () => stream.close(),
      ...caller,
      requestHeader
    };
  }
  return {
    headers: {
      protocolVersion: header(req, 'mcp-protocol-version'),
      method: decodeHeaderValue(header(req, 'mcp-method')),
      name: decodeHeaderValue(header(req, 'mcp-name')),
      param: (n) => {
        const raw = header(req, n);
        return raw === undefined ? undefined : (decodeHeaderValue(raw) ?? null);
      }
    },
    notify: (m) => stream.notify(m),
    ...caller,
    requestHeader
  };
}

/** The RFC 9728 protected resource metadata document, for GET or HEAD (public: browsers read it cross-origin). */
export function serveResourceMetadata(req: IncomingMessage, res: ServerResponse, auth: Authenticator, path: string, serverName: string): void {
  const document = auth.metadata(auth.resource(header(req, 'host'), path), serverName);
  res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'max-age=3600' }).end(req.method === 'HEAD' ? undefined : JSON.stringify(document));
}
