import { onAbort } from '../../../core/cancellation.js';
import type { PoolUsage } from '../pool-gauge.js';
import { SqlQueryError, SqlUnavailableError, type BoundStatement, type Dialect, type RawResult } from '../dialect.js';
import { sqlite } from './sqlite.js';
import { openLink, type SqliteLink } from './sqlite-links.js';
import type { SqliteIsolation, SqliteJob, SqliteOpen, SqliteReply } from './sqlite-protocol.js';

/** A SQL source the runtime runs statements on. */
export interface StatementRunner {
  /** How values and identifiers are written into this source's statements. */
  readonly dialect: Dialect;
  run(statements: readonly BoundStatement[], options: RunRequest): Promise<RawResult>;
  close(): Promise<void>;
  /** Its connections now (the pool gauge reads it at scrape time). */
  usage(): PoolUsage;
}

export interface RunRequest {
  readonly readOnly: boolean;
  readonly timeoutMs: number;
  readonly rowLimit: number;
  /** The call's cancellation: `onCancel` when the caller has it (no AbortSignal made), else the signal. */
  readonly cancel: { readonly signal: AbortSignal; onCancel?(listener: () => void): () => void };
}

/** Ended threads still finishing the step of a stopped statement; past this, new calls are refused. */
const MAX_STOPPING = 4;
/** How long a cancelled statement may go on finishing before its thread is ended. */
const CANCEL_GRACE_MS = 100;

interface Job {
  readonly message: SqliteJob;
  readonly timeoutMs: number;
  readonly resolve: (r: RawResult) => void;
  readonly reject: (e: Error) => void;
  done: boolean;
  timer: NodeJS.Timeout | undefined;
  unsubscribe: () => void;
}

/**
 * Runs one SQLite source's statements in a thread (or a process) of their own, in order. A statement that
 * overruns its timeout, or whose call is cancelled, answers at once; if it had not started it is skipped; if
 * it is running, the thread is ended (it stops at the next row it returns, or when SQLite finishes the step
 * it is in) or the process killed, and a fresh one takes the statements queued behind it.
 */
export class SqliteExecutor implements StatementRunner {
  private link: SqliteLink | undefined;
  /** The current link has loaded: timers of new statements start at once (before, when it reports ready). */
  private ready = false;
  private readonly queue: Job[] = [];
  private nextId = 1;
  private stopping = 0;
  private opened = 0;
  private closed = false;
  readonly dialect: Dialect = sqlite;

  constructor(
    private readonly open: SqliteOpen,
    private readonly isolation: SqliteIsolation = 'thread',
    private readonly maxStopping = MAX_STOPPING
  ) {}

  run(statements: readonly BoundStatement[], options: RunRequest): Promise<RawResult> {
    if (this.closed) return Promise.reject(new SqlUnavailableError('the server is shutting down'));
    if (this.stopping >= this.maxStopping)
      return Promise.reject(new SqlUnavailableError(`${this.stopping} stopped statements are still finishing`));
    return new Promise<RawResult>((resolve, reject) => {
      const id = this.nextId;
      this.nextId = id >= 0x7ffffffe ? 1 : id + 1;
      const message: SqliteJob = {
        id,
        statements,
        readOnly: options.readOnly,
        rowLimit: options.rowLimit,
        busyMs: Math.max(0, Math.floor(options.timeoutMs))
      };
      const job: Job = { message, timeoutMs: options.timeoutMs, resolve, reject, done: false, timer: undefined, unsubscribe: noop };
      const stop = () => this.stop(job, new SqlQueryError('cancelled'), CANCEL_GRACE_MS);
      job.unsubscribe = options.cancel.onCancel ? options.cancel.onCancel(stop) : onAbort(options.cancel.signal, stop);
      if (job.done) return;
      this.queue.push(job);
      const link = this.current();
      if (this.queue.length === 1) link.busy(true);
      if (this.ready) this.arm(job);
      link.send(message);
    });
  }

  /** The thread is one connection: used while a statement runs (the first queued), the others wait for it. */
  usage(): PoolUsage {
    const used = this.queue.length > 0 ? 1 : 0;
    return { used, free: this.link && used === 0 ? 1 : 0, pending: Math.max(0, this.queue.length - 1) };
  }

  /** Threads (or processes) started so far: one, plus one per running statement that had to be ended. */
  get started(): number {
    return this.opened;
  }

  /** Ended threads (or processes) still finishing the step of a stopped statement. */
  get stoppingThreads(): number {
    return this.stopping;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, undefined, new SqlUnavailableError('the server is shutting down'));
    const link = this.link;
    this.link = undefined;
    await link?.end();
  }

  private current(): SqliteLink {
    if (this.link) return this.link;
    this.ready = false;
    this.opened++;
    const link: SqliteLink = openLink(this.isolation, this.open, {
      ready: () => {
        if (this.link !== link) return;
        this.ready = true;
        for (const job of this.queue) if (!job.timer) this.arm(job);
      },
      reply: (reply) => this.replied(reply),
      exit: () => {
        if (this.link !== link) return;
        // It died on its own (it should not): what it held fails, the next call starts another.
        this.link = undefined;
        for (const job of this.queue.splice(0))
          this.settle(job, undefined, new SqlUnavailableError(`the SQLite ${this.isolation} stopped`));
      },
      stoppedRunning: () => {
        if (this.link === link) this.restart();
      }
    });
    this.link = link;
    return link;
  }

  /** The statement's timeout, counted once its thread or process is ready (starting one is not the statement's time). */
  private arm(job: Job): void {
    job.timer = setTimeout(
      () => this.stop(job, new SqlQueryError(`the query took longer than ${job.timeoutMs} ms and was stopped`)),
      Math.max(1, job.timeoutMs)
    );
  }

  private replied(reply: SqliteReply): void {
    const i = this.queue.findIndex((j) => j.message.id === reply.id);
    if (i === -1) return;
    const [job] = this.queue.splice(i, 1);
    if ('error' in reply)
      this.settle(job!, undefined, reply.kind === 'query' ? new SqlQueryError(reply.error) : new SqlUnavailableError(reply.error));
    else
      this.settle(
        job!,
        reply.affectedRows === undefined
          ? { rows: reply.rows, columns: reply.columns }
          : { rows: reply.rows, columns: reply.columns, affectedRows: reply.affectedRows },
        undefined
      );
  }

  /**
   * Answers the call now; a statement that has not started is skipped, a running one has its thread ended,
   * at once or (a cancel) only if it is still running `graceMs` later: a client that cancels quick statements
   * must not make the source start a thread for every call.
   */
  private stop(job: Job, error: Error, graceMs = 0): void {
    if (job.done) return;
    this.settle(job, undefined, error);
    const link = this.link;
    const id = job.message.id;
    if (!link?.stop(id)) return;
    if (graceMs === 0) return this.restart();
    setTimeout(() => this.link === link && link.stop(id) && this.restart(), graceMs).unref();
  }

  /** Ends the current thread or process; the statements still waiting go to a fresh one. */
  private restart(): void {
    const link = this.link!;
    this.link = undefined;
    this.stopping++;
    void link.end().finally(() => this.stopping--);
    if (this.queue.length === 0) return;
    const next = this.current();
    next.busy(true);
    for (const j of this.queue) next.send(j.message);
  }

  private settle(job: Job, result: RawResult | undefined, error: Error | undefined): void {
    if (job.done) return;
    job.done = true;
    clearTimeout(job.timer);
    job.unsubscribe();
    if (error) job.reject(error);
    else job.resolve(result!);
    const i = this.queue.indexOf(job);
    if (i !== -1) this.queue.splice(i, 1);
    if (this.queue.length === 0) this.link?.busy(false);
  }
}

const noop = (): void => {};
