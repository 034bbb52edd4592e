import { existsSync } from 'node:fs';
import { basename, extname, isAbsolute, relative, resolve } from 'node:path';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** A database URL as `init --database` uses it: how to connect now, and what to write into the manifest. */
export interface DatabaseTarget {
  readonly dialect: Dialect;
  /** knex's `client` and `connection` for the introspection (read-only where the driver allows it). */
  readonly knex: { client: string; connection: Record<string, unknown> | string };
  /** The URL for `sources.<name>.database`: credentials as `${VAR}` references, SQLite paths relative to the manifest. */
  readonly manifestUrl: string;
  /** Variables the manifest URL reads, with what each is for. */
  readonly env: readonly { name: string; meaning: string }[];
  /** The URL without its password, for messages. */
  readonly display: string;
  /** The password (when the URL has one), so error messages from drivers can be scrubbed of it. */
  readonly secret?: string;
  readonly sourceName: string;
  /** PostgreSQL: the schema `?schema=` names (the driver ignores it: introspection and the SQL use it). */
  readonly schema?: string;
  /** PostgreSQL: the URL sets `options=-c search_path=…`, so the schema is the first of it that exists. */
  readonly searchPath?: boolean;
}

const SCHEMES: Record<string, Dialect> = {
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql'
};
const CLIENTS: Record<Dialect, string> = { sqlite: 'better-sqlite3', postgres: 'pg', mysql: 'mysql2' };
/** Query parameters that carry secrets: moved to the environment like the password. */
const SECRET_PARAM = /pass|secret|token|key$/i;

/** A source name the manifest accepts (and a URI scheme can be made from): lowercase, starts with a letter. */
export function sourceNameOf(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);
  return name || 'db';
}

export const envName = (...parts: string[]): string =>
  parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * Parses `sqlite:PATH`, `postgres://…` (or `postgresql:`) and `mysql://…` (or `mariadb:`). `dir` is where the
 * manifest goes: a relative SQLite path given on the command line (relative to the current directory) is
 * rewritten relative to it.
 */
export function parseDatabaseUrl(url: string, dir: string): DatabaseTarget | { error: string } {
  const scheme = /^([a-z][a-z0-9]*):/i.exec(url)?.[1]?.toLowerCase();
  const dialect = scheme ? SCHEMES[scheme] : undefined;
  if (!dialect) return { error: 'expected a database URL: sqlite:PATH, postgres://USER@HOST:PORT/DB or mysql://USER@HOST:PORT/DB' };
  if (dialect === 'sqlite') return sqliteTarget(url.slice(url.indexOf(':') + 1).replace(/^\/\/(?=\/|\.)/, ''), dir);

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: `not a valid ${scheme} URL (a password with special characters must be percent-encoded)` };
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database || database.includes('/'))
    return { error: `the URL names no database: add it as the path, e.g. ${scheme}://${parsed.host || 'HOST'}/mydb` };
  if (!parsed.hostname) return { error: 'the URL names no host' };
  const sourceName = sourceNameOf(database);
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const env: { name: string; meaning: string }[] = [];

  // The user name is an identifier, not a secret: kept as the default so the manifest works as written.
  const userRef = user ? `\${${envName(sourceName, 'db_user')}:-${encodeURIComponent(user)}}` : '';
  if (user) env.push({ name: envName(sourceName, 'db_user'), meaning: `database user (default ${user})` });
  const passwordRef = password ? `:\${${envName(sourceName, 'db_password')}}` : '';
  if (password) env.push({ name: envName(sourceName, 'db_password'), meaning: 'database password (required)' });
  const params = [...parsed.searchParams].map(([k, v]) => {
    if (!SECRET_PARAM.test(k)) return `${k}=${encodeURIComponent(v)}`;
    const name = envName(sourceName, 'db', k);
    env.push({ name, meaning: `the URL's ${k} parameter` });
    return `${k}=\${${name}}`;
  });
  const base = `${scheme}://${userRef}${passwordRef}${user || password ? '@' : ''}${parsed.host}/${encodeURIComponent(database)}`;
  const manifestUrl = params.length > 0 ? `${base}?${params.join('&')}` : base;
  const display = `${scheme}://${user ? `${encodeURIComponent(user)}@` : ''}${parsed.host}/${database}`;
  const connection: Record<string, unknown> = {
    host: parsed.hostname,
    database,
    ...(user ? { user } : {}),
    ...(password ? { password } : {})
  };
  if (parsed.port) connection.port = Number(parsed.port);
  // The schema: what the server resolves for the manifest's URL is what introspection must read.
  const options = dialect === 'postgres' ? (parsed.searchParams.get('options') ?? undefined) : undefined;
  const schema = dialect === 'postgres' ? (parsed.searchParams.get('schema') ?? undefined) : undefined;
  if (options !== undefined) connection.options = options;
  const chosen = { ...(schema ? { schema } : {}), ...(options !== undefined && /search_path/i.test(options) ? { searchPath: true } : {}) };
  // Each driver fails on its own when the server is down: a short timeout keeps `init` from hanging.
  if (dialect === 'postgres') connection.connectionTimeoutMillis = 10_000;
  else connection.connectTimeout = 10_000;
  return {
    dialect,
    knex: { client: CLIENTS[dialect], connection },
    manifestUrl,
    env,
    display,
    ...(password ? { secret: password } : {}),
    sourceName,
    ...chosen
  };
}

function sqliteTarget(path: string, dir: string): DatabaseTarget | { error: string } {
  if (path === '' || path === ':memory:') return { error: 'sqlite: needs the path of a database file, e.g. sqlite:./data/app.db' };
  const file = resolve(path);
  // better-sqlite3 would create a missing file: an empty database is never what the user meant.
  if (!existsSync(file)) return { error: `no SQLite database at ${path}` };
  let location = isAbsolute(path) ? path : relative(resolve(dir), file).replace(/\\/g, '/');
  if (!location.startsWith('.') && !location.startsWith('/')) location = `./${location}`;
  return {
    dialect: 'sqlite',
    knex: { client: CLIENTS.sqlite, connection: { filename: file, options: { readonly: true } } },
    manifestUrl: `sqlite:${location}`,
    env: [],
    display: `sqlite:${location}`,
    sourceName: sourceNameOf(basename(file, extname(file)))
  };
}
