import { isAbsolute, resolve } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { nullable, quoteWith, SqlQueryError, type Dialect, type RawResult } from '../dialect.js';

/** `sqlite:./shop.db`, `sqlite:///abs/shop.db`, `sqlite::memory:` → a file path (relative to the manifest). */
export function sqlitePath(url: string, root: string): string {
  const rest = url.replace(/^sqlite3?:/, '').replace(/^\/\/(?=\/|\.)/, '');
  if (rest === ':memory:' || rest === '') return ':memory:';
  return isAbsolute(rest) ? rest : resolve(root, rest);
}

/** SQLite through better-sqlite3: synchronous, in-process, one connection per source. */
export const sqlite: Dialect = {
  name: 'sqlite',
  config(url, source, root) {
    return {
      client: 'better-sqlite3',
      connection: { filename: sqlitePath(url, root), options: { readonly: source.readOnly && sqlitePath(url, root) !== ':memory:' } },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 }
    };
  },
  placeholder: () => '?',
  quoteIdent: quoteWith('"'),
  bind: (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v !== null && typeof v === 'object' ? JSON.stringify(v) : v),
  async run(conn, statements, options) {
    const db = conn as Database;
    if (options.signal.aborted) throw new SqlQueryError('cancelled');
    // better-sqlite3 runs a statement to completion on this thread: no timeout or cancel can interrupt it.
    // busy_timeout only bounds lock waits; set when it changes, not on every call.
    const busy = Math.max(0, Math.floor(options.timeoutMs));
    if (busyTimeouts.get(db) !== busy) {
      db.pragma(`busy_timeout = ${busy}`);
      busyTimeouts.set(db, busy);
    }
    const runAll = (): RawResult => {
      let result: RawResult = { rows: [], columns: [] };
      for (const s of statements) result = runOne(db, prepare(db, s.text), s.values, options.rowLimit);
      return result;
    };
    try {
      if (options.readOnly && !db.readonly) {
        // A writable database serving a read-only query: SQLite itself refuses writes while query_only is on.
        db.pragma('query_only = ON');
        try {
          return runAll();
        } finally {
          db.pragma('query_only = OFF');
        }
      }
      return options.readOnly ? runAll() : db.transaction(runAll).immediate();
    } catch (e) {
      throw sqliteError(e);
    }
  },
  async describe(conn, statement) {
    let stmt: Statement;
    try {
      stmt = prepare(conn as Database, statement.text);
    } catch (e) {
      throw sqliteError(e);
    }
    if (!stmt.reader) return undefined;
    return stmt.columns().map((c) => ({ name: c.name, schema: nullable(affinity(c.type)) }));
  }
};

const busyTimeouts = new WeakMap<Database, number>();
/** Prepared statements per connection: a tool runs the same few texts again and again. */
const prepared = new WeakMap<Database, Map<string, Statement>>();
const MAX_PREPARED = 256;

function prepare(db: Database, text: string): Statement {
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

function runOne(db: Database, stmt: Statement, values: readonly unknown[], limit: number): RawResult {
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
  void db;
  return { rows, columns: columnsOf(stmt) };
}

const columnNames = new WeakMap<Statement, string[]>();
function columnsOf(stmt: Statement): string[] {
  let names = columnNames.get(stmt);
  if (!names) columnNames.set(stmt, (names = stmt.columns().map((c) => c.name)));
  return names;
}

function sqliteError(e: unknown): Error {
  if (e instanceof SqlQueryError) return e;
  const err = e as { code?: string; message?: string };
  if (typeof err.code === 'string' && err.code.startsWith('SQLITE_') && !/CANTOPEN|NOTADB|IOERR/.test(err.code)) return new SqlQueryError(String(err.message));
  if (e instanceof RangeError || e instanceof TypeError) return new SqlQueryError(String(err.message));
  return e as Error;
}

/** SQLite's type affinity rules (section 3.1 of its datatype docs) applied to a declared column type. */
export function affinity(declared: string | null): Record<string, unknown> {
  if (!declared) return {};
  const t = declared.toUpperCase();
  // Integers past 2^53 come back as strings (see values.ts).
  if (t.includes('INT')) return { type: ['integer', 'string'] };
  if (/CHAR|CLOB|TEXT|DATE|TIME/.test(t)) return { type: 'string' };
  if (t.includes('BLOB')) return { type: 'string', contentEncoding: 'base64' };
  if (/REAL|FLOA|DOUB/.test(t)) return { type: 'number' };
  // NUMERIC affinity keeps text that does not look like a number: leave it open.
  return {};
}
