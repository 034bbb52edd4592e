import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { NotReadyError, type ReadinessFailure } from '../../runtime/core/readiness.js';
import type { Logger } from '../../runtime/log.js';
import type { Questions } from './cluster-ipc.js';

/** What a worker is asked: its own metrics (prom-client JSON) and its own readiness (the failures; none: ready). */
export const WORKER_METRICS = 'metrics';
export const WORKER_READY = 'ready';
/** What a worker asks the primary, for its /metrics and /readyz on the MCP port: the whole server's view. */
export const CLUSTER_METRICS = 'cluster-metrics';
export const CLUSTER_READY = 'cluster-ready';

/** How long a worker has to hand over its metrics. */
const METRICS_TIMEOUT_MS = 5_000;

export interface ClusterView {
  /** The whole server's readiness, for /readyz (createOpsRoutes' `core`). */
  readonly readiness: { ready(timeoutMs?: number): Promise<void> };
  /** The whole server's metrics, for /metrics (createMetricsEndpoint's source). */
  readonly exposition: { readonly contentType: string; metrics(): Promise<string> };
  /** Answers a worker's question (CLUSTER_METRICS, CLUSTER_READY). */
  answer(what: string, timeoutMs: number): Promise<unknown>;
  /** How many workers serve now (the `mcpgen_workers` gauge). */
  changed(serving: number): void;
  /** A worker died and is restarted (`mcpgen_worker_restarts_total`). */
  restarted(): void;
}

/**
 * The primary's view of the whole server, from the workers that listen (`serving()`, one IPC channel each).
 * Metrics: every worker's registry, summed by prom-client's AggregatorRegistry (counters and histograms add up;
 * each metric's own aggregator otherwise), plus the primary's own (its process, the worker gauge and restarts).
 * Readiness: ready when at least one worker serves and every serving worker's dependencies answer; the failures of
 * all of them otherwise (the same dependency failing in several workers is named once).
 */
export function clusterView(serving: () => Questions[], log: Logger): ClusterView {
  const own = new Registry();
  collectDefaultMetrics({ register: own });
  let count = 0;
  new Gauge({
    name: 'mcpgen_workers',
    help: 'Workers serving now (mcp-gen run --workers).',
    registers: [own],
    collect(this: Gauge) {
      this.set(count);
    }
  });
  const restarts = new Counter({ name: 'mcpgen_worker_restarts_total', help: 'Workers that died and were restarted.', registers: [own] });

  const failures = async (timeoutMs: number): Promise<ReadinessFailure[]> => {
    const workers = serving();
    if (workers.length === 0) return [{ dependency: 'workers', reason: 'no worker is serving' }];
    const lists = await Promise.all(
      workers.map((q) =>
        q.ask(WORKER_READY, timeoutMs).then(
          (v) => v as ReadinessFailure[],
          (e: Error) => [{ dependency: 'worker', reason: e.message }]
        )
      )
    );
    const seen = new Map<string, ReadinessFailure>();
    for (const f of lists.flat()) seen.set(`${f.dependency}\n${f.reason}`, f);
    return [...seen.values()];
  };

  const metrics = async (): Promise<string> => {
    const lists = await Promise.all(
      serving().map((q) =>
        q.ask(WORKER_METRICS, METRICS_TIMEOUT_MS).catch((e: Error) => {
          log.warn(`metrics: a worker's figures are missing from this scrape (${e.message})`);
          return undefined;
        })
      )
    );
    const all = [...lists.filter((l) => l !== undefined), await own.getMetricsAsJSON()];
    return AggregatorRegistry.aggregate(all as object[]).metrics();
  };

  return {
    readiness: {
      async ready(timeoutMs = 2_000) {
        const failing = await failures(timeoutMs);
        if (failing.length > 0) throw new NotReadyError(failing);
      }
    },
    exposition: { contentType: own.contentType, metrics },
    answer(what, timeoutMs) {
      if (what === CLUSTER_METRICS) return metrics();
      if (what === CLUSTER_READY) return failures(timeoutMs);
      return Promise.reject(new Error(`unknown question ${what}`));
    },
    changed: (n) => void (count = n),
    restarted: () => restarts.inc()
  };
}
