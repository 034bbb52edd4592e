import type { Database, Statement } from 'better-sqlite3';
import type { RawResult } from '../dialect.js';
import type { SqliteJob, SqliteOpen, SqliteReply } from './sqlite-protocol.js';

/**
 * Runs jobs on one connection, opened on first use and again after a failure (the file may appear, or come
 * back, while the server runs). Used by the thread and the process a SQLite source runs in.
 */
export function jobRunner(open: SqliteOpen, connect: (filename: string, readonly: boolean) => Database): (job: SqliteJob) => SqliteReply {
  let db: Database | undefined;
  return (job) => {
    let conn: Database | undefined;
    try {
      conn = db ??= connect(open.filename, open.readonly);
      return { id: job.id, ...runStatements(conn, job.statements, job.readOnly, job.rowLimit, job.busyMs) };
    } catch (e) {
      // A file that cannot be opened is never the query's fault, whatever better-sqlite3 throws for it.
      if (!conn) return { id: job.id, error: (e as { code?: string }).code ?? 'cannot open the database', kind: 'unavailable' };
      const failure = sqliteFailure(e);
      return { id: job.id, error: failure.message, kind: failure.kind };
    }
  };
}

/**
 * Runs a job's statements on one connection: a read-only query with writes refused by SQLite itself
 * (query_only on a writable file), a write in an immediate transaction. Throws what better-sqlite3 throws.
 */
export function runStatements(
  db: Database,
  statements: readonly { text: string; values: readonly unknown[] }[],
  readOnly: boolean,
  rowLimit: number,
  busyMs: number
): RawResult {
  // busy_timeout only bounds lock waits; set when it changes, not on every call.
  if (busyTimeouts.get(db) !== busyMs) {
    db.pragma(`busy_timeout = ${busyMs}`);
    busyTimeouts.set(db, busyMs);
  }
  const runAll = (): RawResult => {
    let result: RawResult = { rows: [], columns: [] };
    for (const s of statements) result = runOne(prepare(db, s.text), s.values, rowLimit);
    return result;
  };
  if (readOnly && !db.readonly) {
    db.pragma('query_only = ON');
    try {
      return runAll();
    } finally {
      db.pragma('query_only = OFF');
    }
  }
  return readOnly ? runAll() : db.transaction(runAll).immediate();
}

/** What went wrong, for the model: SQLite refusing the statement or its values, or the file being unusable. */
export function sqliteFailure(e: unknown): { kind: 'query' | 'unavailable'; message: string } {
  const err = e as { code?: string; message?: string };
  if (typeof err.code === 'string' && err.code.startsWith('SQLITE_') && !/CANTOPEN|NOTADB|IOERR/.test(err.code))
    return { kind: 'query', message: String(err.message) };
  if (e instanceof RangeError || e instanceof TypeError) return { kind: 'query', message: String(err.message) };
  return { kind: 'unavailable', message: typeof err.code === 'string' && /^[A-Z_0-9]+$/.test(err.code) ? err.code : 'database error' };
}

const busyTimeouts = new WeakMap<Database, number>();
/** Prepared statements per connection: a tool runs the same few texts again and again. */
const prepared = new WeakMap<Database, Map<string, Statement>>();
const MAX_PREPARED = 256;

export function prepare(db: Database, text: string): Statement {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let stmt = cache.get(text);
  if (!stmt) {
    stmt = db.prepare(text).safeIntegers(true);
    if (cache.size >= MAX_PREPARED) cache.delete(cache.keys().next().value!);
    cache.set(text, stmt);
  }
  return stmt;
}

/** Rows one at a time (iterate): each row hands control back to JavaScript, where a stopped thread ends. */
function runOne(stmt: Statement, values: readonly unknown[], limit: number): RawResult {
  if (!stmt.reader) {
    const info = stmt.run(...values);
    return { rows: [], columns: [], affectedRows: Number(info.changes) };
  }
  const rows: Record<string, unknown>[] = [];
  const it = stmt.iterate(...values) as IterableIterator<Record<string, unknown>>;
  for (const row of it) {
    rows.push(row);
    if (rows.length >= limit) {
      it.return?.();
      break;
    }
  }
  return { rows, columns: columnsOf(stmt) };
}

const columnNames = new WeakMap<Statement, string[]>();
function columnsOf(stmt: Statement): string[] {
  let names = columnNames.get(stmt);
  if (!names) columnNames.set(stmt, (names = stmt.columns().map((c) => c.name)));
  return names;
}
