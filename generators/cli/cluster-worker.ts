import cluster from 'node:cluster';
import type { Registry } from 'prom-client';
import { NotReadyError, type ReadinessFailure } from '../../runtime/core/readiness.js';
import type { MetricsSource } from '../../runtime/observe/metrics-endpoint.js';
import { answer, isClusterMessage, Questions, type ClusterMessage } from './cluster-ipc.js';
import { CLUSTER_METRICS, CLUSTER_READY, WORKER_METRICS, WORKER_READY } from './cluster-view.js';

/** How long a worker's /metrics waits for the primary's aggregate. */
const AGGREGATE_TIMEOUT_MS = 10_000;

/** A worker's side of `run --workers`: what `serve` does differently in a worker (see cluster-primary.ts). */
export interface WorkerLink {
  /** cluster's worker id (1, 2, …; a restarted worker gets the next one): the `worker` field of its log lines. */
  readonly id: number;
  /** For observabilityFor: answers the primary with `local`, and serves the primary's aggregate at /metrics. */
  exposed(local: Registry): MetricsSource;
  /** The served core, whose readiness the primary asks for. */
  serving(core: { ready(timeoutMs?: number): Promise<void> }): void;
  /** /readyz on the MCP port: the primary's view of the whole server. */
  readonly readiness: { ready(timeoutMs?: number): Promise<void> };
  /** Tells the primary this worker's listener is up. */
  listening(url: string): void;
  /** Runs `begin` when the primary asks for a drain. */
  onDrain(begin: () => void): void;
  /** Closes the IPC channel once the worker has drained (or failed to start), so that the process can end. */
  close(): void;
}

/** The link to the primary when this process is a cluster worker; undefined otherwise. */
export function workerLink(): WorkerLink | undefined {
  if (!cluster.isWorker || !cluster.worker) return undefined;
  const worker = cluster.worker;
  return linkOver(
    {
      get connected() {
        return process.connected;
      },
      send: (m, handle, options, callback) => process.send!(m, handle, options, callback),
      // The worker's own disconnect: process.disconnect() alone would make node:cluster exit the process at once with
      // code 0 (it takes a disconnect it did not ask for as its primary's death), losing the exit code and what is
      // still to flush.
      disconnect: () => worker.disconnect(),
      on: (event: 'message' | 'disconnect', listener: (m: unknown) => void) => process.on(event, listener)
    },
    worker.id
  );
}

/** What a worker uses of its IPC channel to the primary (`process` in a cluster worker). */
export interface Channel {
  readonly connected: boolean;
  send(message: ClusterMessage, handle: undefined, options: object, callback: (e: Error | null) => void): unknown;
  disconnect(): void;
  on(event: 'message', listener: (m: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

export function linkOver(channel: Channel, id: number): WorkerLink {
  const send = (m: ClusterMessage) => {
    if (!channel.connected) throw new Error('the primary is gone');
    channel.send(m, undefined, {}, () => {});
  };
  const questions = new Questions(send);
  let registry: Registry | undefined;
  let core: { ready(timeoutMs?: number): Promise<void> } | undefined;
  let drain: (() => void) | undefined;
  let drainAsked = false;
  const startDrain = () => {
    drainAsked = true;
    drain?.();
  };
  const local = async (what: string, timeoutMs: number): Promise<unknown> => {
    if (what === WORKER_METRICS) return registry ? registry.getMetricsAsJSON() : [];
    if (what !== WORKER_READY) throw new Error(`unknown question ${what}`);
    if (!core) return [{ dependency: 'worker', reason: 'starting' }];
    return core.ready(timeoutMs).then(
      () => [],
      (e: unknown) => (e instanceof NotReadyError ? e.failures : [{ dependency: 'server', reason: (e as Error)?.message ?? String(e) }])
    );
  };
  channel.on('message', (m: unknown) => {
    if (!isClusterMessage(m)) return;
    if (m.mcpgen === 'answer') questions.answered(m);
    else if (m.mcpgen === 'ask') answer(send, m, local);
    else if (m.mcpgen === 'drain') startDrain();
  });
  // (When the primary dies, node:cluster ends the worker at once: no connection can reach it any more.)
  channel.on('disconnect', () => questions.failAll('the primary is gone'));
  return {
    id,
    exposed(reg) {
      registry = reg;
      return { contentType: reg.contentType, metrics: async () => (await questions.ask(CLUSTER_METRICS, AGGREGATE_TIMEOUT_MS)) as string };
    },
    serving: (c) => void (core = c),
    readiness: {
      async ready(timeoutMs = 2_000) {
        const failing = (await questions.ask(CLUSTER_READY, timeoutMs)) as ReadinessFailure[];
        if (failing.length > 0) throw new NotReadyError(failing);
      }
    },
    listening: (url) => send({ mcpgen: 'listening', url }),
    onDrain(begin) {
      drain = begin;
      if (drainAsked) begin();
    },
    close: () => {
      if (channel.connected) channel.disconnect();
    }
  };
}
