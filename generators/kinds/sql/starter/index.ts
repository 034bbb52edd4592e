import { introspectMysql } from './mysql.js';
import { introspectPostgres } from './postgres.js';
import type { Introspect, TableInfo } from './schema.js';
import { introspectSqlite } from './sqlite.js';
import { renderDatabaseStarter } from './starter.js';
import { parseDatabaseUrl, type DatabaseTarget, type Dialect } from './url.js';

const INTROSPECT: Record<Dialect, Introspect> = { sqlite: introspectSqlite, postgres: introspectPostgres, mysql: introspectMysql };

/** Connects with knex, reads the tables, columns, types and primary keys, and disconnects. */
export async function introspectDatabase(target: DatabaseTarget): Promise<TableInfo[]> {
  // Loaded on use: plain `init` must not pay for knex and the drivers.
  const { default: knex } = await import('knex');
  const quiet = () => undefined;
  // knex logs failed connections with their stacks; the one error that matters is returned instead.
  const log = { warn: quiet, error: quiet, debug: quiet, deprecate: quiet };
  const db = knex({ ...target.knex, pool: { min: 0, max: 1 }, useNullAsDefault: true, acquireConnectionTimeout: 15_000, log });
  try {
    return await INTROSPECT[target.dialect](db, {
      ...(target.schema ? { schema: target.schema } : {}),
      qualify: target.schema !== undefined || target.searchPath === true
    });
  } finally {
    await db.destroy();
  }
}

/** The driver's message, without the password (drivers may echo parts of the connection settings). */
function scrub(e: unknown, target: DatabaseTarget): string {
  const err = e as { code?: unknown; message?: unknown };
  let message = typeof err?.message === 'string' && err.message ? err.message.split('\n')[0]! : String(e);
  if (target.secret) message = message.replaceAll(target.secret, '***').replaceAll(encodeURIComponent(target.secret), '***');
  return typeof err?.code === 'string' && !message.includes(err.code) ? `${message} (${err.code})` : message;
}

/** A starter manifest for the database at `url`: a source, and per table a list tool and a get-by-key template. */
export async function databaseStarter(
  schema: string,
  url: string,
  dir: string
): Promise<{ text: string; target: DatabaseTarget; tables: number } | { error: string }> {
  const target = parseDatabaseUrl(url, dir);
  if ('error' in target) return target;
  let tables: TableInfo[];
  try {
    tables = await introspectDatabase(target);
  } catch (e) {
    return { error: `cannot read the schema of ${target.display}: ${scrub(e, target)}` };
  }
  return { text: renderDatabaseStarter(schema, target, tables), target, tables: tables.length };
}
