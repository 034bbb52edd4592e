import { availableParallelism } from 'node:os';
import type { LoadedArtifact } from '../../runtime/artifact/load.js';
import { UsageError } from './args.js';

/* `mcp-gen run --workers N|auto`: how many workers, and whether the state store lets more than one serve. */

/** --workers as a count (`auto`: one per core Node may use); undefined without the flag (one process, no cluster). */
export function workerCount(values: Record<string, unknown>, cores: () => number = availableParallelism): number | undefined {
  const given = values.workers;
  if (given === undefined) return undefined;
  const text = String(given).trim();
  if (text === 'auto') return cores();
  const n = Number(text);
  if (text === '' || !Number.isInteger(n) || n < 1)
    throw new UsageError(`--workers must be a whole number of workers (1 or more) or auto, got ${String(given)}`);
  return n;
}

/** Where 2025 sessions and the other cross-request state live: each process's memory, or a shared store. */
export type StateStore = 'memory' | { readonly url: string };

/**
 * The state store the server will use: `--state`, else MCPGEN_STATE, else the manifest's `state.store`, else
 * memory. The one place `--workers` asks this, so that it follows whatever the state settings become: it reads
 * them defensively (an artifact without `state:`, a CLI without `--state`, are memory).
 */
export function stateStoreOf(
  loaded: Pick<LoadedArtifact, 'artifact'>,
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env
): StateStore {
  const fromManifest = (loaded.artifact as { state?: { store?: unknown } }).state?.store;
  const candidates = [values.state, env.MCPGEN_STATE, fromManifest];
  const chosen = candidates.find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  return chosen === undefined || chosen.trim() === 'memory' ? 'memory' : { url: chosen.trim() };
}

/**
 * Refuses a cluster that would break sessions: a 2025-era session lives in the memory of the worker that opened it,
 * and the OS hands each new connection to any worker, so with memory state a session's next request may land
 * where it is unknown. (No manifest setting limits a server to the stateless 2026-07-28 era, so memory state
 * always refuses more than one worker.)
 */
export function checkWorkers(count: number, stdio: boolean, store: StateStore): void {
  if (stdio)
    throw new UsageError('--workers needs --http: a stdio server is one process talking over one pipe (add --http, or drop --workers)');
  if (count > 1 && store === 'memory')
    throw new UsageError(
      `--workers ${count} needs a shared state store, and state.store is memory: a 2025-era session lives in the memory ` +
        'of one worker while connections are spread across all of them, so sessions would break. Set state.store ' +
        '(or --state, or MCPGEN_STATE) to a redis:// URL, or serve with --workers 1'
    );
}
