import type { Connection, FieldPacket, ResultSetHeader } from 'mysql2';
import { nullable, quoteWith, SqlQueryError, type Dialect, type RawResult } from '../dialect.js';

type Callback<T> = (err: Error | null, a?: T, b?: FieldPacket[]) => void;

/** mysql2 column type codes whose text needs rewriting to the shared JSON forms. */
const TIMESTAMP = 7;
const DATETIME = 12;

/** Column JSON Schemas by mysql2 column type code. */
const schemas: Record<number, Record<string, unknown>> = {
  1: { type: 'integer' },
  2: { type: 'integer' },
  3: { type: 'integer' },
  9: { type: 'integer' },
  8: { type: ['integer', 'string'] },
  4: { type: 'number' },
  5: { type: 'number' },
  0: { type: 'string', description: 'exact decimal' },
  246: { type: 'string', description: 'exact decimal' },
  10: { type: 'string', format: 'date' },
  7: { type: 'string', format: 'date-time' },
  12: { type: 'string' },
  11: { type: 'string' },
  13: { type: 'integer' },
  15: { type: 'string' },
  253: { type: 'string' },
  254: { type: 'string' },
  245: {}
};
/** BLOB types: binary unless the column has a text character set (63 is `binary`). */
const blobs = new Set([249, 250, 251, 252]);

/** MySQL and MariaDB through mysql2: server-side prepared statements (`execute`), never client-side escaping. */
export const mysql: Dialect = {
  name: 'mysql',
  config(url, source) {
    return {
      client: 'mysql2',
      connection: { uri: url, supportBigNumbers: true, bigNumberStrings: false, dateStrings: true, timezone: 'Z', charset: 'utf8mb4' },
      pool: {
        ...source.pool,
        afterCreate: (conn: Connection, done: (e: Error | null, c: unknown) => void) =>
          conn.query("SET time_zone = '+00:00'", (e) => done(e, conn))
      }
    };
  },
  placeholder: () => '?',
  quoteIdent: quoteWith('`'),
  bind: (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v !== null && typeof v === 'object' ? JSON.stringify(v) : v),
  async run(conn, statements, options) {
    const c = conn as Connection;
    let reason: 'timeout' | 'cancelled' | undefined;
    const stop = (why: 'timeout' | 'cancelled') => {
      reason ??= why;
      void options.cancel().catch(() => undefined);
    };
    const onAbort = () => stop('cancelled');
    options.signal.addEventListener('abort', onAbort, { once: true });
    // MySQL and MariaDB spell statement timeouts differently; KILL QUERY from another connection works on both.
    const timer = setTimeout(() => stop('timeout'), Math.max(1, options.timeoutMs));
    try {
      await query(c, options.readOnly ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION READ WRITE');
      let result: RawResult = { rows: [], columns: [] };
      for (const s of statements) result = await execute(c, s.text, s.values);
      // SLEEP() and some other statements end quietly when killed: a stopped call never returns their rows.
      if (reason) throw new Error(reason);
      await query(c, 'COMMIT');
      return result;
    } catch (e) {
      await query(c, 'ROLLBACK').catch(() => undefined);
      if (reason === 'timeout') throw new SqlQueryError(`the query took longer than ${options.timeoutMs} ms and was cancelled`);
      if (reason === 'cancelled') throw new SqlQueryError('cancelled');
      throw mysqlError(e);
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
    }
  },
  async describe(conn, statement) {
    const c = conn as Connection;
    const prepared = await new Promise<{ columns: FieldPacket[]; close(): void }>((resolve, reject) =>
      c.prepare(statement.text, (err, stmt) =>
        err ? reject(mysqlError(err, statement.text)) : resolve(stmt as unknown as { columns: FieldPacket[]; close(): void })
      )
    );
    try {
      if (prepared.columns.length === 0) return undefined;
      return prepared.columns.map((f) => ({ name: f.name, schema: nullable(schemaOf(f)) }));
    } finally {
      prepared.close();
    }
  }
};

function schemaOf(f: FieldPacket): Record<string, unknown> {
  const type = f.columnType ?? -1;
  if (blobs.has(type)) return f.characterSet === 63 ? { type: 'string', contentEncoding: 'base64' } : { type: 'string' };
  if ((type === 253 || type === 254) && f.characterSet === 63) return { type: 'string', contentEncoding: 'base64' };
  return schemas[type] ?? {};
}

function query(c: Connection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => c.query(sql, (err: Error | null) => (err ? reject(err) : resolve())));
}

function execute(c: Connection, text: string, values: readonly unknown[]): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const done: Callback<unknown> = (err, rows, fields) => {
      if (err) return reject(err);
      if (!Array.isArray(rows)) return resolve({ rows: [], columns: [], affectedRows: (rows as ResultSetHeader).affectedRows });
      resolve({ rows: rewriteDates(rows as Record<string, unknown>[], fields ?? []), columns: (fields ?? []).map((f) => f.name) });
    };
    c.execute(text, [...values] as never, done as never);
  });
}

/** DATETIME text gets the ISO `T`; TIMESTAMP (stored in UTC, session in UTC) also its `Z`. */
function rewriteDates(rows: Record<string, unknown>[], fields: FieldPacket[]): Record<string, unknown>[] {
  const dated = fields.filter((f) => f.columnType === DATETIME || f.columnType === TIMESTAMP);
  if (dated.length === 0) return rows;
  for (const row of rows) {
    for (const f of dated) {
      const v = row[f.name];
      if (typeof v === 'string') row[f.name] = v.replace(' ', 'T') + (f.columnType === TIMESTAMP ? 'Z' : '');
    }
  }
  return rows;
}

/** The text quoted in "… near '…' at line N" (found by index: the expression for it backtracked). */
function quotedNear(message: string): string | undefined {
  const start = message.indexOf("near '");
  const end = message.lastIndexOf("' at line ");
  return start !== -1 && end >= start + 6 && /^\d+$/.test(message.slice(end + 10)) ? message.slice(start + 6, end) : undefined;
}

function mysqlError(e: unknown, text?: string): Error {
  const err = e as { errno?: number; sqlMessage?: string; fatal?: boolean; code?: string };
  if (
    typeof err.errno !== 'number' ||
    !err.sqlMessage ||
    err.fatal ||
    /^(ER_ACCESS_DENIED|ER_DBACCESS|ER_BAD_DB|ER_CON_COUNT|PROTOCOL_)/.test(err.code ?? '')
  )
    return e as Error;
  // "… near 'FORM x' at line 2": find the quoted text to point at it.
  const near = quotedNear(err.sqlMessage);
  const at = text && near ? text.indexOf(near.slice(0, 40)) : -1;
  return new SqlQueryError(err.sqlMessage, at >= 0 ? at + 1 : undefined);
}
