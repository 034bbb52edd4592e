import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../../runtime/log.js';
import { createOpsRoutes } from '../../runtime/observe/health.js';
import { createMetricsEndpoint } from '../../runtime/observe/metrics-endpoint.js';
import { answer, isClusterMessage, Questions, type ClusterMessage } from './cluster-ipc.js';
import { clusterView } from './cluster-view.js';
import { listenSide } from './ops-flags.js';
import { onShutdownSignal } from './shutdown.js';

export interface PrimaryOptions {
  readonly count: number;
  readonly log: Logger;
  /** --drain-timeout: how long workers drain; past it and a margin, the primary kills those still running. */
  readonly graceMs: number;
  /** --metrics-port: the side listener, served here with the whole server's metrics and readiness. */
  readonly side?: { readonly host: string; readonly port: number };
  /** `transport.metrics`: off (false), on, or behind a token. */
  readonly metrics: boolean | { readonly token: string };
  /** Printed once every worker listens (the connection help of a single process). */
  readonly banner: (url: string) => string;
}

/** The crash-loop guard: more than MAX_DEATHS deaths within DEATH_WINDOW_MS and the primary gives up. */
export const MAX_DEATHS = 5;
export const DEATH_WINDOW_MS = 30_000;
/** A restart waits RESTART_BASE_MS, doubled for each recent death, at most RESTART_MAX_MS. */
const RESTART_BASE_MS = 100;
const RESTART_MAX_MS = 5_000;
/** How long after the drain timeout the primary waits for a worker before killing it. */
const DRAIN_MARGIN_MS = 5_000;

/**
 * The primary of `mcp-gen run --workers N`: it forks N workers (each re-runs this command and serves the artifact
 * with its own core, pools and sandboxes on the shared port), serves no MCP itself, restarts a worker that dies
 * (with backoff; a crash loop ends it with exit code 1), answers the workers' questions for the whole server
 * (metrics, readiness: cluster-view.ts), and on SIGTERM/SIGINT drains them all. Resolves with the exit code.
 */
export function runPrimary(options: PrimaryOptions): Promise<number> {
  const { log, count } = options;
  const questions = new Map<Worker, Questions>();
  const listening = new Set<Worker>();
  const deaths: number[] = [];
  const restarts = new Set<NodeJS.Timeout>();
  let serving = false;
  let draining = false;
  let finalCode = 0;
  let over = false;
  let settle: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (settle = resolve));
  const finish = (code: number) => {
    over = true;
    settle(code);
  };
  const view = clusterView(() => [...listening].map((w) => questions.get(w)!), log);

  const fork = () => {
    const worker = cluster.fork();
    const q = new Questions((m) => void worker.send(m, undefined, {}, () => {}));
    questions.set(worker, q);
    worker.on('error', (e) => log.warn(`worker ${worker.id}: ${e.message}`, { worker: worker.id }));
    worker.on('message', (m: unknown) => {
      if (!isClusterMessage(m)) return;
      if (m.mcpgen === 'answer') q.answered(m);
      else if (m.mcpgen === 'ask') answer((r) => void worker.send(r, undefined, {}, () => {}), m, view.answer);
      else if (m.mcpgen === 'listening') listened(worker, m.url);
    });
  };

  const listened = (worker: Worker, url: string) => {
    listening.add(worker);
    view.changed(listening.size);
    if (serving)
      return log.info(`worker ${worker.id} (pid ${worker.process.pid}) serving again`, { worker: worker.id, pid: worker.process.pid });
    if (listening.size < count) return;
    serving = true;
    process.stdout.write(options.banner(url));
    log.info(`serving with ${count} worker${count === 1 ? '' : 's'}`, { workers: count });
  };

  const exited = (worker: Worker, code: number, signal: string) => {
    // Not one of ours: a worker of an earlier primary in this process (tests) whose exit came late.
    if (over || !questions.has(worker)) return;
    questions.get(worker)?.failAll(`worker ${worker.id} exited`);
    questions.delete(worker);
    listening.delete(worker);
    view.changed(listening.size);
    const fields = { worker: worker.id, pid: worker.process.pid, exit_code: code, signal };
    if (draining) {
      if (code !== 0) finalCode = 1;
      log.info(`worker ${worker.id} exited${code !== 0 ? ` (${signal ?? `code ${code}`})` : ''}`, fields);
      if (questions.size === 0) finish(finalCode);
      return;
    }
    if (!serving) {
      // Not all of them ever listened: a start-up failure (its message is on stderr), the same for every restart.
      log.error(`worker ${worker.id} failed to start (${signal ?? `code ${code}`}): stopping`, fields);
      for (const w of questions.keys()) w.process.kill('SIGKILL');
      return finish(code === 0 || code === null ? 1 : code);
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths[0]! < now - DEATH_WINDOW_MS) deaths.shift();
    view.restarted();
    if (deaths.length > MAX_DEATHS) {
      log.error(
        `crash loop: ${deaths.length} worker deaths within ${DEATH_WINDOW_MS / 1000} s, giving up: draining the others and exiting`,
        fields
      );
      finalCode = 1;
      return drainAll();
    }
    const delay = Math.min(RESTART_BASE_MS * 2 ** (deaths.length - 1), RESTART_MAX_MS);
    log.error(`worker ${worker.id} died (${signal ?? `code ${code}`}): restarting it in ${delay} ms`, { ...fields, restart_in_ms: delay });
    const timer = setTimeout(() => (restarts.delete(timer), fork()), delay);
    restarts.add(timer);
  };

  const drainAll = () => {
    draining = true;
    for (const t of restarts) clearTimeout(t);
    restarts.clear();
    if (questions.size === 0) return finish(finalCode);
    log.info(`shutting down: draining ${questions.size} worker${questions.size === 1 ? '' : 's'} (up to ${options.graceMs / 1000} s)`);
    for (const w of questions.keys()) w.send({ mcpgen: 'drain' } satisfies ClusterMessage, undefined, {}, () => {});
    setTimeout(() => {
      for (const w of questions.keys()) {
        log.warn(`worker ${w.id} still running ${DRAIN_MARGIN_MS / 1000} s after the drain timeout: killing it`, { worker: w.id });
        w.process.kill('SIGKILL');
      }
    }, options.graceMs + DRAIN_MARGIN_MS).unref();
  };

  return (async () => {
    // The side listener first: a port in use is a usage error before any worker exists.
    const ops = options.side
      ? await listenSide(
          createOpsRoutes({
            core: view.readiness,
            draining: () => draining,
            ...(options.metrics !== false ? { metrics: createMetricsEndpoint(view.exposition, tokenOf(options.metrics)) } : {})
          }),
          options.side,
          log
        )
      : undefined;
    const shutdown = onShutdownSignal(log, drainAll);
    // However the primary ends (a second signal exits at once), no worker outlives it.
    const killLeft = () => {
      for (const w of questions.keys()) w.process.kill('SIGKILL');
    };
    process.once('exit', killLeft);
    cluster.on('exit', exited);
    for (let i = 0; i < count; i++) fork();
    const code = await done;
    shutdown.dispose();
    cluster.off('exit', exited);
    process.off('exit', killLeft);
    await ops?.close();
    log.flush();
    return code;
  })();
}

function tokenOf(setting: boolean | { readonly token: string }): { token?: string } {
  return typeof setting === 'object' ? { token: setting.token } : {};
}
