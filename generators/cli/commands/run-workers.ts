import type { LoadedArtifact } from '../../../runtime/artifact/load.js';
import { runPrimary } from '../cluster-primary.js';
import { drainTimeoutMs, sideListener } from '../ops-flags.js';
import { checkWorkers, stateStoreOf, workerCount } from '../workers.js';
import { connectionHelp, httpPort, loggerFor, servesStdio, tlsFiles } from './run.js';

/**
 * `mcp-gen run --workers N|auto`, in the primary: the flags every worker would refuse are refused here, once (exit
 * code 2), as is a cluster that would break sessions; then the primary forks and watches the workers.
 */
export async function runWorkers(loaded: LoadedArtifact, values: Record<string, unknown>): Promise<number> {
  const count = workerCount(values)!;
  const store = stateStoreOf(loaded, values);
  checkWorkers(count, servesStdio(values, loaded), store);
  const log = loggerFor(values, loaded);
  httpPort(values, loaded);
  tlsFiles(values, loaded);
  const graceMs = drainTimeoutMs(values);
  const side = sideListener(values);
  log.info(`starting ${count} worker${count === 1 ? '' : 's'}${store === 'memory' ? '' : ', state in the shared store'}`, {
    workers: count
  });
  return runPrimary({
    count,
    log,
    graceMs,
    ...(side ? { side } : {}),
    metrics: loaded.artifact.transport.metrics ?? true,
    banner: (url) => connectionHelp(loaded.artifact.server.name, url, loaded.dir)
  });
}
