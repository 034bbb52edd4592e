import type { Knex } from 'knex';
import type { SqlSourceIR } from './ir.js';
import type { SourceHandle } from '../kind.js';
import { interpolateEnv } from '../../env.js';
import { SqlQueryError, SqlUnavailableError, type BoundStatement, type Dialect, type RawResult, type RunOptions } from './dialect.js';
import type { RunRequest, StatementRunner } from './dialects/sqlite-executor.js';
import { sqlitePath } from './dialects/sqlite.js';
import { poolGauge, tarnUsage } from './pool-gauge.js';
import type { KindTelemetry } from '../../core/telemetry.js';
import type { StatementObserver } from './observe.js';

export { SqlUnavailableError };

/** Longest a readiness `SELECT 1` may run (a shorter statementTimeoutMs wins). */
const READY_STATEMENT_MS = 2_000;

export interface Opened {
  readonly knex: Knex;
  readonly dialect: Dialect;
}

export async function dialectFor(name: SqlSourceIR['dialect']): Promise<Dialect> {
  // Each driver is loaded only when a source of its engine is first used.
  if (name === 'sqlite') return (await import('./dialects/sqlite.js')).sqlite;
  if (name === 'postgres') return (await import('./dialects/postgres.js')).postgres;
  return (await import('./dialects/mysql.js')).mysql;
}

/** The engine a URL names, or undefined. */
export function dialectOfUrl(url: string): SqlSourceIR['dialect'] | undefined {
  const scheme = /^([a-z0-9+]+):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite' || scheme === 'sqlite3' || scheme === 'file') return 'sqlite';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  if (scheme === 'mysql' || scheme === 'mariadb') return 'mysql';
  return undefined;
}

/** Where a source points, for messages: engine and host, never the user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol.startsWith('sqlite') || u.protocol === 'file:') return `SQLite ${url.replace(/^[a-z0-9]+:(\/\/)?/i, '')}`;
    return `${u.protocol.replace(/:$/, '')}://${u.host}${u.pathname}`;
  } catch {
    return 'the database';
  }
}

/**
 * A SQL source opened for one served artifact: where its statements run, created on first use and connecting
 * only when a statement needs it (SQLite in a thread of its own, see sqlite-executor.ts; the servers through a
 * knex pool). One runner per resolved URL, so a changed `${VAR}` takes effect; all closed on dispose.
 */
export class SqlSource implements SourceHandle {
  private readonly runners = new Map<string, Promise<StatementRunner>>();
  /** The runners that have started (the pool gauge reads them synchronously). */
  private readonly started = new Set<StatementRunner>();
  private readonly stopGauge: () => void;
  private disposed = false;
  /** Spans and durations of this source's queries (query.ts makes it on first use). */
  observer: StatementObserver | undefined;

  constructor(
    readonly name: string,
    readonly ir: SqlSourceIR,
    private readonly root: string,
    telemetry?: KindTelemetry
  ) {
    this.stopGauge = telemetry ? poolGauge(telemetry, name, () => [...this.started].map((r) => r.usage())) : () => {};
  }

  runner(env: NodeJS.ProcessEnv = process.env): Promise<StatementRunner> {
    const { value: url, missing } = interpolateEnv(this.ir.database, env);
    const unavailable = (why: string) => Promise.reject(new SqlUnavailableError(`source "${this.name}" ${why}`));
    if (missing.length > 0) return unavailable(`needs ${missing.join(', ')} (set it in the environment)`);
    if (this.disposed) return unavailable('is closed (the server is shutting down)');
    let runner = this.runners.get(url);
    if (!runner) {
      const where = () => `source "${this.name}" (${describeUrl(url)})`;
      const { ir, root } = this;
      const acquireTimeoutMs = Math.max(1000, ir.statementTimeoutMs);
      const pooled = () => createPool(url, ir, root, acquireTimeoutMs).then((opened) => poolRunner(opened, where));
      runner = ir.dialect === 'sqlite' ? sqliteRunner(url, ir, root) : pooled();
      this.runners.set(url, runner);
      runner.then(
        (r) => void (this.disposed ? undefined : this.started.add(r)),
        () => {}
      );
    }
    return runner;
  }

  /**
   * /readyz: `SELECT 1` through the source's pool or SQLite thread (made if not yet), within the source's
   * statement timeout (the probe's caller bounds it too). Errors name the source and its host, never credentials.
   */
  async ready(env: NodeJS.ProcessEnv = process.env): Promise<void> {
    const runner = await this.runner(env);
    const timeoutMs = Math.min(this.ir.statementTimeoutMs, READY_STATEMENT_MS);
    await runner.run([{ text: 'SELECT 1', values: [] }], {
      readOnly: true,
      timeoutMs,
      rowLimit: 1,
      cancel: { signal: AbortSignal.timeout(timeoutMs) }
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.stopGauge();
    this.started.clear();
    const all = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(all.map(async (r) => (await r.catch(() => undefined))?.close()));
  }
}

async function sqliteRunner(url: string, source: SqlSourceIR, root: string): Promise<StatementRunner> {
  const { SqliteExecutor } = await import('./dialects/sqlite-executor.js');
  const filename = sqlitePath(url, root);
  return new SqliteExecutor({ filename, readonly: source.readOnly && filename !== ':memory:' }, source.isolation ?? 'thread');
}

function poolRunner(opened: Opened, where: () => string): StatementRunner {
  return {
    dialect: opened.dialect,
    run: (statements, options: RunRequest) =>
      runOn(opened, where(), statements, {
        readOnly: options.readOnly,
        timeoutMs: options.timeoutMs,
        rowLimit: options.rowLimit,
        signal: options.cancel.signal
      }),
    close: () => opened.knex.destroy(),
    usage: () => tarnUsage((opened.knex.client as { pool?: Parameters<typeof tarnUsage>[0] }).pool)
  };
}

/** A new knex pool (no connection yet); the caller owns it and destroys it. */
export async function createPool(url: string, source: SqlSourceIR, root: string, acquireTimeoutMs: number): Promise<Opened> {
  const dialect = await dialectFor(source.dialect);
  const knexModule = (await import('knex')) as unknown as { default: (config: Knex.Config) => Knex };
  // knex's own logger prints driver errors to the console; ours are reported without connection details.
  const quiet = () => undefined;
  const log = { warn: quiet, error: quiet, deprecate: quiet, debug: quiet };
  const knex = knexModule.default({ ...dialect.config(url, source, root), acquireConnectionTimeout: acquireTimeoutMs, log } as Knex.Config);
  return { knex, dialect };
}

/** Runs bound statements on one pooled connection; connection trouble becomes SqlUnavailableError. */
export async function runOn(
  opened: Opened,
  where: string,
  statements: readonly BoundStatement[],
  options: Omit<RunOptions, 'cancel'>
): Promise<RawResult> {
  const client = opened.knex.client as {
    acquireConnection(): Promise<unknown>;
    releaseConnection(c: unknown): Promise<void>;
    cancelQuery?(c: unknown): Promise<void>;
  };
  let conn: unknown;
  try {
    conn = await client.acquireConnection();
  } catch (e) {
    throw new SqlUnavailableError(`cannot connect to ${where}: ${reason(e)}`);
  }
  try {
    return await opened.dialect.run!(conn, statements, { ...options, cancel: async () => client.cancelQuery?.(conn) });
  } catch (e) {
    if (e instanceof SqlQueryError) throw e;
    throw new SqlUnavailableError(`lost the connection to ${where}: ${reason(e)}`);
  } finally {
    await client.releaseConnection(conn);
  }
}

/** Runs a callback on one connection (the build-time check). */
export async function withConnection<T>(opened: Opened, fn: (conn: unknown) => Promise<T>): Promise<T> {
  const client = opened.knex.client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> };
  const conn = await client.acquireConnection();
  try {
    return await fn(conn);
  } finally {
    await client.releaseConnection(conn);
  }
}

/** A short, credential-free reason: the error code, or a generic phrase. */
function reason(e: unknown): string {
  const err = e as { code?: unknown; name?: string; message?: string };
  if (typeof err.code === 'string' && /^[A-Z_0-9]+$/.test(err.code)) return err.code;
  if (err.name === 'KnexTimeoutError') return 'timed out waiting for a connection';
  return 'connection failed';
}
