/* The messages between the primary of `mcp-gen run --workers` and its workers, over node:cluster's IPC channel. */

/** A question (`what`, with its `timeoutMs` for the answerer's own work) that the other side answers once. */
export interface Ask {
  readonly mcpgen: 'ask';
  readonly id: number;
  readonly what: string;
  readonly timeoutMs: number;
}

export interface Answer {
  readonly mcpgen: 'answer';
  readonly id: number;
  readonly value?: unknown;
  readonly error?: string;
}

/** Worker → primary: its HTTP listener is up (at `url`). Primary → worker: drain and exit. */
export type Notice = { readonly mcpgen: 'listening'; readonly url: string } | { readonly mcpgen: 'drain' };

export type ClusterMessage = Ask | Answer | Notice;

/** Ours, not another library's message on the same channel. */
export function isClusterMessage(m: unknown): m is ClusterMessage {
  return typeof m === 'object' && m !== null && typeof (m as { mcpgen?: unknown }).mcpgen === 'string';
}

type Send = (message: ClusterMessage) => void;

/**
 * The questions one side asked over one channel: each settles with its answer, or fails after its timeout or
 * when the channel goes (a worker that died answers nothing). One instance per channel, no shared table.
 */
export class Questions {
  private next = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();

  constructor(private readonly send: Send) {}

  /** Asks `what`; the answerer has `timeoutMs` for its work, the asker waits a second more for the message. */
  ask(what: string, timeoutMs: number): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(id, undefined, `no answer to "${what}" within ${timeoutMs / 1000 + 1} s`),
        timeoutMs + 1000
      );
      timer.unref();
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.send({ mcpgen: 'ask', id, what, timeoutMs });
      } catch (e) {
        this.settle(id, undefined, (e as Error).message);
      }
    });
  }

  /** Settles the question an answer is for (an answer that came too late is dropped). */
  answered(answer: Answer): void {
    this.settle(answer.id, answer.value, answer.error);
  }

  /** The channel is gone: every question still open fails with `reason`. */
  failAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, reason);
  }

  private settle(id: number, value: unknown, error: string | undefined): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (error !== undefined) p.reject(new Error(error));
    else p.resolve(value);
  }
}

/** Answers `ask` with what `work` resolves to (or its error); a channel closed meanwhile is not an error here. */
export function answer(send: Send, ask: Ask, work: (what: string, timeoutMs: number) => Promise<unknown>): void {
  const reply = (m: Answer) => {
    try {
      send(m);
    } catch {
      // The asker is gone (the primary exited, the worker died): nobody is waiting for this answer.
    }
  };
  Promise.resolve()
    .then(() => work(ask.what, ask.timeoutMs))
    .then(
      (value) => reply({ mcpgen: 'answer', id: ask.id, value }),
      (e: unknown) => reply({ mcpgen: 'answer', id: ask.id, error: (e as Error)?.message ?? String(e) })
    );
}
