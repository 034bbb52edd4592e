import { onAbort } from '../../core/cancellation.js';
import type { ToolContext } from '../kind.js';

/** Why an upstream call stopped before it finished: its deadline passed, or the tool call was cancelled. */
export class CallStopped extends Error {
  constructor(
    readonly reason: 'timeout' | 'cancelled',
    message: string
  ) {
    super(message);
    this.name = 'CallStopped';
  }
}

/**
 * The deadline (timeoutMs, for the whole call: retries, redirects and reading the body included) and the
 * tool call's cancellation, as one hook for whatever is in progress (a request, a body read, a retry wait).
 * Cheaper than AbortSignal.any + AbortSignal.timeout, which cost a signal, a listener set and a weak
 * reference per call; with the core's context (onCancel) no AbortSignal is made at all.
 */
export class CallLimit {
  stopped: CallStopped | undefined;
  private hook: ((e: CallStopped) => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(ctx: Pick<ToolContext, 'signal' | 'onCancel'>, timeoutMs: number) {
    this.timer = setTimeout(() => this.stop(new CallStopped('timeout', `timed out after ${timeoutMs} ms`)), timeoutMs);
    const cancelled = () => this.stop(new CallStopped('cancelled', 'the call was cancelled'));
    this.unsubscribe = ctx.onCancel ? ctx.onCancel(cancelled) : onAbort(ctx.signal, cancelled);
  }

  /** `hook` runs if the call stops while it is set; one at a time, replaced by the next step. Undefined to clear. */
  onStop(hook: ((e: CallStopped) => void) | undefined): void {
    this.hook = hook;
  }

  /** Ends the limit: no timer, no listener left behind. */
  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe();
    this.hook = undefined;
  }

  /** Waits `ms`, or rejects as soon as the call stops. */
  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.hook = undefined;
        resolve();
      }, ms);
      this.onStop((e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  private stop(e: CallStopped): void {
    if (this.stopped) return;
    this.stopped = e;
    clearTimeout(this.timer);
    const hook = this.hook;
    this.hook = undefined;
    hook?.(e);
  }
}
