import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OpsRoutes } from '../transports/http-context.js';

export interface OpsServer {
  /** The bound base URL (http://host:port), known once `listen` resolved. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The side listener of `mcp-gen run --metrics-port`: /healthz, /readyz and /metrics alone, for stdio servers (which
 * have no HTTP listener) or to keep probes and scrapes off the MCP port. No MCP, no authentication: bind it to a
 * private address (127.0.0.1 by default).
 */
export async function listenOps(routes: OpsRoutes, host: string, port: number): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    if (routes.handle(req, res, q === -1 ? url : url.slice(0, q))) return;
    req.resume();
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: 'Not found: this listener serves /healthz, /readyz and /metrics' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  const url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}
