import { setFlagsFromString } from 'node:v8';

/**
 * V8 "pretenures" an allocation site (allocates its objects straight into the old generation) once most objects
 * from it were seen surviving young-generation collections. Under load, a server's warm-up can tip sites whose
 * objects live for one request over that line. From then on each such object, dead within milliseconds, still
 * points from the old generation at its request's young objects: every scavenge keeps and promotes them (about
 * 2 MB per scavenge in bench:openapi's tools/call, against 0.5 MB for the calls in flight) until the next full collection, and the
 * scavenges take several times longer. It happens in most runs, not all (it depends on the warm-up), and turning
 * pretenuring off while serving removes it: 14 % less CPU per tools/call (median of six slices side by side,
 * docs/benchmarks.md). Building the artifact (loading, compiling) runs before this, with V8's default.
 */
const FLAG = 'allocation-site-pretenuring';

/**
 * Whether the operator set the flag themselves (`node --allocation-site-pretenuring …`): then it is left alone.
 * Only node's own arguments can carry it (NODE_OPTIONS refuses V8 flags of this kind).
 */
export function pretenuringChosen(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => arg.replaceAll('_', '-').includes(FLAG));
}

/** Turns V8's allocation-site pretenuring off for a serving process, unless it was chosen on the command line. */
export function tuneHeapForServing(execArgv: readonly string[] = process.execArgv): boolean {
  if (pretenuringChosen(execArgv)) return false;
  setFlagsFromString(`--no-${FLAG}`);
  return true;
}
