import { RpcError } from '../core/errors.js';

/** How long a shutdown (SIGTERM, SIGINT) lets requests in flight finish before it cancels them. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** The SSE `retry:` a shutdown sends on the streams it ends: clients reconnect after it, to another instance by then. */
export const SHUTDOWN_RETRY_MS = 2_000;

export function shuttingDownError(graceMs?: number): RpcError {
  return graceMs === undefined
    ? new RpcError('shuttingDown', 'Service unavailable: the server is shutting down; retry on another instance or once it is back')
    : new RpcError(
        'shuttingDown',
        `Service unavailable: the server is shutting down and this request was still running after the ` +
          `${graceMs / 1000} s grace period; it was cancelled`,
        { graceSeconds: graceMs / 1000 }
      );
}

/** One request being served. `cancel`, set once it has reached the core, answers it and stops its work. */
export interface InFlight {
  cancel?: (graceMs: number) => Promise<void> | void;
}

/**
 * The requests in flight on one transport. A shutdown stops taking new ones, lets these finish within the grace
 * period, then cancels those still running: each of them still gets an answer (shuttingDown), never a cut.
 */
export class Drain {
  private readonly running = new Set<InFlight>();
  private idle: (() => void) | undefined;
  private stopping = false;

  /** False once a shutdown has begun: new requests are refused. */
  get accepting(): boolean {
    return !this.stopping;
  }

  enter(): InFlight {
    const request: InFlight = {};
    this.running.add(request);
    return request;
  }

  leave(request: InFlight): void {
    if (this.running.delete(request) && this.running.size === 0) this.idle?.();
  }

  /** Resolves once nothing is in flight, or after `graceMs` once the rest were cancelled; with how many were. */
  async drain(graceMs: number): Promise<number> {
    this.stopping = true;
    if (this.running.size === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    // Not unref'd: the process must live until the grace ends even if the work holds no handle of its own.
    const finished = await new Promise<boolean>((resolve) => {
      this.idle = () => resolve(true);
      timer = setTimeout(() => resolve(false), graceMs);
    });
    clearTimeout(timer);
    if (finished) return 0;
    const rest = [...this.running];
    this.running.clear();
    await Promise.all(rest.map((r) => r.cancel?.(graceMs)));
    return rest.length;
  }
}
