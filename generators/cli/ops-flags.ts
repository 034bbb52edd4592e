import { listenOps, type OpsServer } from '../../runtime/observe/ops-server.js';
import type { Logger } from '../../runtime/log.js';
import { SHUTDOWN_GRACE_MS } from '../../runtime/transports/drain.js';
import type { OpsRoutes } from '../../runtime/transports/http-context.js';
import { UsageError } from './args.js';

/* The operational flags of run and dev: --drain-timeout, --metrics-port, --metrics-host. */

/** --drain-timeout in milliseconds (default SHUTDOWN_GRACE_MS). */
export function drainTimeoutMs(values: Record<string, unknown>): number {
  if (values['drain-timeout'] === undefined) return SHUTDOWN_GRACE_MS;
  const seconds = Number(values['drain-timeout']);
  if (!Number.isFinite(seconds) || seconds < 0 || String(values['drain-timeout']).trim() === '')
    throw new UsageError(`--drain-timeout must be a number of seconds (0 or more), got ${String(values['drain-timeout'])}`);
  return Math.round(seconds * 1000);
}

/** --metrics-port and --metrics-host: where the side listener binds, if asked for. */
export function sideListener(values: Record<string, unknown>): { host: string; port: number } | undefined {
  const host = String(values['metrics-host'] ?? '127.0.0.1');
  if (values['metrics-port'] === undefined) {
    if (values['metrics-host'] !== undefined) throw new UsageError('--metrics-host goes with --metrics-port: give the port too');
    return undefined;
  }
  const port = Number(values['metrics-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || String(values['metrics-port']).trim() === '')
    throw new UsageError(`invalid --metrics-port ${String(values['metrics-port'])}`);
  return { host, port };
}

export async function listenSide(ops: OpsRoutes, side: { host: string; port: number }, log: Logger): Promise<OpsServer> {
  const opsServer = await listenOps(ops, side.host, side.port).catch((e: NodeJS.ErrnoException) => {
    throw listenError(e, side.host, side.port, '--metrics-port');
  });
  log.info(`health and metrics at ${opsServer.url} (/healthz, /readyz, /metrics)`);
  return opsServer;
}

/** A listener that could not bind: the user's to fix (another port), not a crash. */
export function listenError(e: NodeJS.ErrnoException, host: string, port: number, flag: string): Error {
  if (e.code === 'EADDRINUSE')
    return new UsageError(`port ${port} on ${host} is already in use: choose another with ${flag} (0 picks a free one)`);
  if (e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') return new UsageError(`cannot listen on ${host}:${port} (${e.code})`);
  return e;
}
