import pg, { type ClientBase, type QueryResult } from 'pg';
import { integerText } from '../values.js';
import { nullable, quoteWith, SqlQueryError, type Dialect, type RawResult } from '../dialect.js';

/** Text of PostgreSQL types whose default JS parsing would lose information, parsed losslessly. */
const parsers: Record<number, (text: string) => unknown> = {
  20: integerText, // int8
  21: Number, // int2
  23: Number, // int4
  1082: (t) => t, // date: no time zone shift through a JS Date
  1114: (t) => t.replace(' ', 'T'), // timestamp without time zone
  1184: (t) => t.replace(' ', 'T').replace(/\+00(:00)?$/, 'Z'), // timestamptz (the session runs in UTC)
  1083: (t) => t // time
};

/** Column JSON Schemas by type OID (common types; others are left open). */
const schemas: Record<number, Record<string, unknown>> = {
  16: { type: 'boolean' },
  17: { type: 'string', contentEncoding: 'base64' },
  20: { type: ['integer', 'string'] },
  21: { type: 'integer' },
  23: { type: 'integer' },
  25: { type: 'string' },
  700: { type: 'number' },
  701: { type: 'number' },
  1700: { type: 'string', description: 'exact decimal' },
  1043: { type: 'string' },
  1042: { type: 'string' },
  1082: { type: 'string', format: 'date' },
  1114: { type: 'string' },
  1184: { type: 'string', format: 'date-time' },
  2950: { type: 'string', format: 'uuid' },
  114: {},
  3802: {}
};

/** PostgreSQL through pg: each call in its own transaction, READ ONLY unless the query may write. */
export const postgres: Dialect = {
  name: 'postgres',
  config(url, source) {
    return {
      client: 'pg',
      connection: { connectionString: url, types: { getTypeParser } },
      pool: {
        ...source.pool,
        // A read-only source's sessions are read-only and carry its statement timeout, so a call is one round trip.
        afterCreate: (conn: ClientBase, done: (e: Error | null, c: unknown) => void) => {
          const timeout = Math.max(1, Math.floor(source.statementTimeoutMs));
          const setup =
            `SET TIME ZONE 'UTC'; SET statement_timeout = ` +
            `${timeout}${source.readOnly ? '; SET default_transaction_read_only = on' : ''}`;
          conn.query(setup).then(
            () => {
              sessions.set(conn, { readOnly: source.readOnly, timeoutMs: timeout });
              done(null, conn);
            },
            (e: Error) => done(e, conn)
          );
        }
      }
    };
  },
  placeholder: (i) => `$${i}`,
  quoteIdent: quoteWith('"'),
  bind: (v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v),
  async run(conn, statements, options) {
    const client = conn as ClientBase;
    const onAbort = () => void options.cancel().catch(() => undefined);
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const session = sessions.get(client);
      if (
        session?.readOnly &&
        options.readOnly &&
        statements.length === 1 &&
        session.timeoutMs === Math.max(1, Math.floor(options.timeoutMs))
      ) {
        return shape(await client.query({ text: statements[0]!.text, values: [...statements[0]!.values] }));
      }
      await client.query(options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.timeoutMs))}`);
      let result: RawResult = { rows: [], columns: [] };
      for (const s of statements) result = shape(await client.query({ text: s.text, values: [...s.values] }));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw pgError(e, options.timeoutMs, options.signal);
    } finally {
      options.signal.removeEventListener('abort', onAbort);
    }
  },
  async describe(conn, statement) {
    const client = conn as ClientBase;
    // Selects are wrapped in LIMIT 0 (planned, never scanned); other statements are only EXPLAINed. Rolled back.
    const selects =
      /^\s*(\(\s*)*(select|with|values|table)\b/i.test(statement.text) &&
      !/^\s*with\b[\s\S]*\b(insert|update|delete)\b/i.test(statement.text);
    const prefix = selects ? 'SELECT * FROM (' : 'EXPLAIN ';
    try {
      await client.query('BEGIN READ ONLY');
      const r = await client.query({
        text: selects ? `${prefix}${statement.text}\n) AS mcpgen_describe LIMIT 0` : prefix + statement.text,
        values: [...statement.values]
      });
      if (!selects) return undefined;
      return r.fields.map((f) => ({ name: f.name, schema: nullable(schemas[f.dataTypeID] ?? {}) }));
    } catch (e) {
      const err = pgError(e, 0, undefined);
      throw new SqlQueryError(
        err.message,
        err instanceof SqlQueryError && err.position !== undefined ? err.position - prefix.length : undefined
      );
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
  }
};

/** What a pooled session was set up with (see config's afterCreate). */
const sessions = new WeakMap<ClientBase, { readOnly: boolean; timeoutMs: number }>();

function getTypeParser(oid: number, format?: string): (text: string) => unknown {
  const own = format !== 'binary' ? parsers[oid] : undefined;
  if (own) return own;
  // pg's defaults for everything else (bytea → Buffer, json → objects, arrays, …).
  return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
}

function shape(r: QueryResult): RawResult {
  if (r.fields.length === 0) return { rows: [], columns: [], affectedRows: r.rowCount ?? 0 };
  return { rows: r.rows as Record<string, unknown>[], columns: r.fields.map((f) => f.name) };
}

function pgError(e: unknown, timeoutMs: number, signal: AbortSignal | undefined): Error {
  const err = e as { code?: string; message?: string; position?: string; severity?: string };
  if (
    typeof err.code !== 'string' ||
    !/^[0-9A-Z]{5}$/.test(err.code) ||
    err.code.startsWith('08') ||
    err.code.startsWith('28') ||
    err.code.startsWith('57P')
  )
    return e as Error;
  if (err.code === '57014')
    return new SqlQueryError(signal?.aborted ? 'cancelled' : `the query took longer than ${timeoutMs} ms and was cancelled`);
  return new SqlQueryError(String(err.message), err.position ? Number(err.position) : undefined);
}
