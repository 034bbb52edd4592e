import { isAbsolute, resolve } from 'node:path';
import type { SandboxIR } from '../../artifact/sandbox.js';

/** Resolved sandbox settings of one handler tool. */
export interface SandboxSettings {
  readonly mode: 'worker' | 'strict' | 'none';
  /** V8 old-generation heap limit of each worker or child process; in a worker, also its external memory (memory.ts). */
  readonly heapMb: number;
  /** Wall time of one call, not counting time spent waiting for the client (elicit, sample, listRoots). */
  readonly timeoutMs: number;
  /** Calls of the pool that may run at once (one per worker); more wait in line. */
  readonly workers: number;
  /** strict: absolute paths the handler may read / write (besides its own module). */
  readonly allowRead: readonly string[];
  readonly allowWrite: readonly string[];
}

/**
 * Isolation is on by default: a handler that throws, loops or exhausts memory costs one tool error, never the
 * server. 256 MB and 60 s are generous for request handlers and small enough to stop a runaway one.
 */
export const sandboxDefaults: Omit<SandboxSettings, 'allowRead' | 'allowWrite'> = {
  mode: 'worker',
  heapMb: 256,
  timeoutMs: 60_000,
  workers: 4
};

export function sandboxSettings(ir: SandboxIR | undefined, root: string): SandboxSettings {
  const paths = (list: readonly string[] | undefined) => (list ?? []).map((p) => (isAbsolute(p) ? p : resolve(root, p)));
  return {
    mode: ir?.mode ?? sandboxDefaults.mode,
    heapMb: ir?.heapMb ?? sandboxDefaults.heapMb,
    timeoutMs: ir?.timeoutMs ?? sandboxDefaults.timeoutMs,
    workers: ir?.workers ?? sandboxDefaults.workers,
    allowRead: paths(ir?.allowRead),
    allowWrite: paths(ir?.allowWrite)
  };
}

/** Node's permission flag: `--permission` from Node 22.13/23.5, `--experimental-permission` before. */
export function permissionFlag(flags: ReadonlySet<string> = process.allowedNodeEnvironmentFlags): string {
  return flags.has('--permission') ? '--permission' : '--experimental-permission';
}
