import { isAbsolute, resolve } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { prepare, sqliteFailure } from './sqlite-run.js';
import { nullable, quoteWith, SqlQueryError, type Dialect } from '../dialect.js';

/** `sqlite:./shop.db`, `sqlite:///abs/shop.db`, `sqlite::memory:` → a file path (relative to the manifest). */
export function sqlitePath(url: string, root: string): string {
  const rest = url.replace(/^sqlite3?:/, '').replace(/^\/\/(?=\/|\.)/, '');
  if (rest === ':memory:' || rest === '') return ':memory:';
  return isAbsolute(rest) ? rest : resolve(root, rest);
}

/**
 * SQLite through better-sqlite3. knex opens it for the build-time check; at run time its statements run in a
 * thread of their own (sqlite-executor.ts), so there is no `run` here.
 */
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

function sqliteError(e: unknown): Error {
  const failure = sqliteFailure(e);
  return failure.kind === 'query' ? new SqlQueryError(failure.message) : (e as Error);
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
