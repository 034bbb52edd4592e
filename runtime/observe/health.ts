import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotReadyError, READY_TIMEOUT_MS, type ReadinessFailure } from '../core/readiness.js';
import type { OpsRoutes } from '../transports/http-context.js';

/** Serves GET /metrics (its own bearer-token check included): runtime/observe/metrics*.ts. */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface OpsOptions {
  /** The served core: `ready` probes every dependency, each within `timeoutMs` (McpCore.ready). */
  readonly core: { ready(timeoutMs?: number): Promise<void> };
  /** True once a shutdown has begun: /readyz answers 503 at once, so load balancers stop sending work. */
  draining(): boolean;
  readonly metrics?: MetricsHandler;
  /** How long one dependency may take to answer (default 2 s). */
  readonly timeoutMs?: number;
  /** How long a finished probe's answer is reused (default 1 s). */
  readonly reuseMs?: number;
}

type Readiness = { readonly ready: true } | { readonly ready: false; readonly failing: readonly ReadinessFailure[] };

/** How long a finished readiness probe's answer is reused. */
const REUSE_MS = 1_000;

const HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

/**
 * /healthz (liveness: 200 while the process serves), /readyz (200 only when every dependency answers, else 503
 * naming those that do not; 503 at once while draining) and /metrics (when a handler is given, else 404), for the
 * MCP listener (before its Host allow-list and authentication: probes send neither) and the side listener of
 * `--metrics-port`. Concurrent /readyz share one probe: a burst of checks never piles up connections on a database.
 */
export function createOpsRoutes(options: OpsOptions): OpsRoutes {
  const timeoutMs = options.timeoutMs ?? READY_TIMEOUT_MS;
  const reuseMs = options.reuseMs ?? REUSE_MS;
  let probing: Promise<Readiness> | undefined;
  // 0 while a probe runs; then when it settled: its result is reused for reuseMs, so a client looping on /readyz
  // (it needs no credentials) cannot keep a pool connection busy with probes.
  let settledAt = 0;
  const probe = (): Promise<Readiness> => {
    if (probing && (settledAt === 0 || performance.now() - settledAt < reuseMs)) return probing;
    settledAt = 0;
    probing = options.core
      .ready(timeoutMs)
      .then(
        (): Readiness => ({ ready: true }),
        (e: unknown): Readiness => ({
          ready: false,
          failing: e instanceof NotReadyError ? e.failures : [{ dependency: 'server', reason: (e as Error)?.message ?? String(e) }]
        })
      )
      .finally(() => (settledAt = performance.now()));
    return probing;
  };

  const readyz = (res: ServerResponse) => {
    if (options.draining()) return json(res, 503, { status: 'shutting down' });
    void probe().then((r) => {
      if (res.destroyed) return;
      if (r.ready) json(res, 200, { status: 'ready' });
      else json(res, 503, { status: 'not ready', failing: r.failing });
    });
  };

  return {
    handle(req, res, path) {
      if (path !== '/healthz' && path !== '/readyz' && path !== '/metrics') return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...HEADERS, allow: 'GET, HEAD' }).end(JSON.stringify({ error: 'Method not allowed: use GET' }));
        return true;
      }
      // Nothing of a probe's body is read: whatever it sent is drained so the connection can be reused.
      req.resume();
      if (path === '/healthz') json(res, 200, { status: options.draining() ? 'draining' : 'ok' });
      else if (path === '/readyz') readyz(res);
      else if (options.metrics) options.metrics(req, res);
      else json(res, 404, { error: 'Not found: metrics are off on this server' });
      return true;
    }
  };
}

function json(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, HEADERS).end(JSON.stringify(body));
}
