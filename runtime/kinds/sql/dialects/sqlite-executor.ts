import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../../package-root.js';
import { onAbort } from '../../../core/cancellation.js';
import { SqlQueryError, SqlUnavailableError, type BoundStatement, type Dialect, type RawResult } from '../dialect.js';
import { sqlite } from './sqlite.js';
import type { SqliteJob, SqliteOpen, SqliteReply } from './sqlite-protocol.js';

/** A SQL source the runtime runs statements on. */
export interface StatementRunner {
  /** How values and identifiers are written into this source's statements. */
  readonly dialect: Dialect;
  run(statements: readonly BoundStatement[], options: RunRequest): Promise<RawResult>;
  close(): Promise<void>;
}

export interface RunRequest {
  readonly readOnly: boolean;
  readonly timeoutMs: number;
  readonly rowLimit: number;
  /** The call's cancellation: `onCancel` when the caller has it (no AbortSignal made), else the signal. */
  readonly cancel: { readonly signal: AbortSignal; onCancel?(listener: () => void): () => void };
}

/** Stopped statements whose threads may still be finishing a step; past this, new calls are refused. */
const MAX_STOPPING = 4;
/** Slots of the shared "stopped before it started" table (job id modulo this). */
const SLOTS = 4096;

interface Job {
  readonly message: SqliteJob;
  readonly resolve: (r: RawResult) => void;
  readonly reject: (e: Error) => void;
  done: boolean;
  timer: NodeJS.Timeout | undefined;
  unsubscribe: () => void;
}

/**
 * Runs one SQLite source's statements in its own thread, in order. A statement that overruns its timeout, or
 * whose call is cancelled, answers at once; if it was running, its thread is ended (it stops at the next row
 * it returns, or when SQLite finishes the step it is in) and a fresh thread takes the statements queued behind
 * it; if it had not started, the thread skips it.
 */
export class SqliteExecutor implements StatementRunner {
  private thread: { worker: Worker; running: Int32Array } | undefined;
  private readonly queue: Job[] = [];
  private readonly skipped = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  private nextId = 1;
  private stopping = 0;
  private closed = false;
  readonly dialect: Dialect = sqlite;

  constructor(
    private readonly open: SqliteOpen,
    private readonly maxStopping = MAX_STOPPING
  ) {}

  run(statements: readonly BoundStatement[], options: RunRequest): Promise<RawResult> {
    if (this.closed) return Promise.reject(new SqlUnavailableError('the server is shutting down'));
    if (this.stopping >= this.maxStopping) return Promise.reject(new SqlUnavailableError(`${this.stopping} stopped statements are still finishing`));
    return new Promise<RawResult>((resolve, reject) => {
      const id = this.nextId;
      this.nextId = id >= 0x7ffffffe ? 1 : id + 1;
      const message: SqliteJob = { id, statements, readOnly: options.readOnly, rowLimit: options.rowLimit, busyMs: Math.max(0, Math.floor(options.timeoutMs)) };
      const job: Job = { message, resolve, reject, done: false, timer: undefined, unsubscribe: noop };
      const stop = () => this.stop(job, new SqlQueryError('cancelled'));
      job.unsubscribe = options.cancel.onCancel ? options.cancel.onCancel(stop) : onAbort(options.cancel.signal, stop);
      if (job.done) return;
      job.timer = setTimeout(() => this.stop(job, new SqlQueryError(`the query took longer than ${options.timeoutMs} ms and was stopped`)), Math.max(1, options.timeoutMs));
      this.queue.push(job);
      this.current().worker.postMessage(message);
    });
  }

  /** Ended threads still finishing the step of a stopped statement. */
  get stoppingThreads(): number {
    return this.stopping;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue) this.settle(job, undefined, new SqlUnavailableError('the server is shutting down'));
    this.queue.length = 0;
    const thread = this.thread;
    this.thread = undefined;
    await thread?.worker.terminate();
  }

  private current(): { worker: Worker; running: Int32Array } {
    if (this.thread) return this.thread;
    const running = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(threadEntry(), { workerData: { ...this.open, running, skipped: this.skipped } });
    worker.unref();
    const thread = { worker, running };
    worker.on('message', (reply: SqliteReply) => this.replied(reply));
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.thread !== thread) return;
      // The thread died on its own (it should not): what it held fails, the next call starts another.
      this.thread = undefined;
      for (const job of this.queue.splice(0)) this.settle(job, undefined, new SqlUnavailableError('the SQLite thread stopped'));
    });
    this.thread = thread;
    return thread;
  }

  private replied(reply: SqliteReply): void {
    const i = this.queue.findIndex((j) => j.message.id === reply.id);
    if (i === -1) return;
    const [job] = this.queue.splice(i, 1);
    if ('error' in reply) this.settle(job!, undefined, reply.kind === 'query' ? new SqlQueryError(reply.error) : new SqlUnavailableError(reply.error));
    else this.settle(job!, reply.affectedRows === undefined ? { rows: reply.rows, columns: reply.columns } : { rows: reply.rows, columns: reply.columns, affectedRows: reply.affectedRows }, undefined);
  }

  private stop(job: Job, error: Error): void {
    if (job.done) return;
    this.settle(job, undefined, error);
    const id = job.message.id;
    // The thread marks what it runs before it checks for a skip, this side the other way round: one of the two sees the other.
    Atomics.store(this.skipped, id % SLOTS, id);
    const thread = this.thread;
    if (!thread || Atomics.load(thread.running, 0) !== id) return;
    this.thread = undefined;
    this.stopping++;
    void thread.worker.terminate().finally(() => this.stopping--);
    const waiting = this.queue.filter((j) => !j.done && j !== job);
    this.queue.length = 0;
    if (waiting.length === 0) return;
    this.queue.push(...waiting);
    const next = this.current();
    for (const j of waiting) next.worker.postMessage(j.message);
  }

  private settle(job: Job, result: RawResult | undefined, error: Error | undefined): void {
    if (job.done) return;
    job.done = true;
    clearTimeout(job.timer);
    job.unsubscribe();
    if (error) job.reject(error);
    else job.resolve(result!);
    const i = this.queue.indexOf(job);
    if (i !== -1 && error) this.queue.splice(i, 1);
  }
}

const noop = (): void => {};

/** The compiled thread script: next to this module in dist/, or dist/'s copy when running from the sources. */
function threadEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'sqlite-thread.js'), join(packageRoot(), 'dist', 'runtime', 'kinds', 'sql', 'dialects', 'sqlite-thread.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new SqlUnavailableError(`the SQLite thread script ${join(here, 'sqlite-thread.js')} is missing: build mcp-gen (npm run build)`);
}
