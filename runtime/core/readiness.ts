import { redact } from '../redact.js';

/** How long one dependency may take to answer a readiness probe before it counts as down. */
export const READY_TIMEOUT_MS = 2_000;

/** One dependency that did not answer: what it is (a source's name, "rate-limit store …") and why, without credentials. */
export interface ReadinessFailure {
  readonly dependency: string;
  readonly reason: string;
}

/** McpCore.ready() rejects with this: every dependency that did not answer, not only the first. */
export class NotReadyError extends Error {
  constructor(readonly failures: readonly ReadinessFailure[]) {
    super(failures.map((f) => `${f.dependency}: ${f.reason}`).join('; '));
    this.name = 'NotReadyError';
  }
}

/** A dependency's probe: resolves when it answers. */
export type Probe = () => Promise<void> | undefined;

/**
 * Probes every dependency at once, each bounded by `timeoutMs` (a hung database counts as down after it, it never
 * holds /readyz); resolves with the failures (empty: all ready). Reasons pass through redact: a driver message
 * that quotes a registered secret never leaves the process.
 */
export async function probeAll(probes: ReadonlyMap<string, Probe>, timeoutMs = READY_TIMEOUT_MS): Promise<ReadinessFailure[]> {
  const outcomes = await Promise.all([...probes].map(([dependency, probe]) => probeOne(dependency, probe, timeoutMs)));
  return outcomes.filter((f): f is ReadinessFailure => f !== undefined);
}

async function probeOne(dependency: string, probe: Probe, timeoutMs: number): Promise<ReadinessFailure | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`did not answer within ${timeoutMs / 1000} s`), timeoutMs);
    timer.unref();
  });
  try {
    const reason = await Promise.race([
      Promise.resolve()
        .then(probe)
        .then(
          () => undefined,
          (e: unknown) => (e as Error)?.message ?? String(e)
        ),
      late
    ]);
    return reason === undefined ? undefined : { dependency, reason: redact(reason) };
  } finally {
    clearTimeout(timer);
  }
}
