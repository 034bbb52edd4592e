/**
 * A request's cancellation, with its AbortSignal made only when something reads it. Most calls end without
 * anyone listening, and in Node 20 an AbortController costs more than the rest of a small call's bookkeeping
 * (AbortSignal.any, tens of microseconds and a weak reference each). Code on the hot path subscribes with
 * `onAbort` instead, which costs an array slot.
 */
export class Cancellation {
  private controller: AbortController | undefined;
  private listeners: (() => void)[] | undefined;
  private done = false;
  private why: unknown;

  /** Follows `parents` (each a Cancellation or an AbortSignal): aborted as soon as any of them is. */
  static any(parents: readonly (Cancellation | AbortSignal)[]): Cancellation {
    const child = new Cancellation();
    for (const parent of parents) onAbort(parent, () => child.abort(parent.reason));
    return child;
  }

  get aborted(): boolean {
    return this.done;
  }

  /** What abort() was given (undefined before it). */
  get reason(): unknown {
    return this.why;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.done) this.controller.abort(this.why);
    }
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.why = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  /** Runs `listener` once when aborted (now, if already aborted); returns its removal. */
  onAbort(listener: () => void): () => void {
    if (this.done) {
      listener();
      return noop;
    }
    (this.listeners ??= []).push(listener);
    return () => {
      const i = this.listeners?.indexOf(listener) ?? -1;
      if (i !== -1) this.listeners!.splice(i, 1);
    };
  }
}

const noop = (): void => {};

/** The signal of a cancellation, made when first read. */
export const signalOf = (c: Cancellation | AbortSignal): AbortSignal => (c instanceof Cancellation ? c.signal : c);

/** `listener` once `source` aborts (now, if it has); returns its removal. Either kind of source. */
export function onAbort(source: Cancellation | AbortSignal, listener: () => void): () => void {
  if (source instanceof Cancellation) return source.onAbort(listener);
  if (source.aborted) {
    listener();
    return noop;
  }
  source.addEventListener('abort', listener, { once: true });
  return () => source.removeEventListener('abort', listener);
}
