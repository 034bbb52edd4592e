import type { SqlSourceIR } from '../../../runtime/kinds/sql/ir.js';
import type { KindDeploy } from '../kind.js';

/** The driver each engine loads (runtime/kinds/sql/dialects/*.ts); knex pools every engine. */
const drivers: Record<SqlSourceIR['dialect'], string> = { sqlite: 'better-sqlite3', postgres: 'pg', mysql: 'mysql2' };

/** Where the SQLite statements run (sqlite-links.ts): compiled into the bundle's workers/ under the same names. */
const sqliteWorkers = {
  'sqlite-thread.js': new URL('../../../runtime/kinds/sql/dialects/sqlite-thread.js', import.meta.url),
  'sqlite-process.js': new URL('../../../runtime/kinds/sql/dialects/sqlite-process.js', import.meta.url)
};

/**
 * A bundle needs knex and the driver of each engine its sources use (native better-sqlite3 and knex, which loads
 * drivers by name, cannot be bundled); a SQLite source also needs its worker scripts and its database file,
 * when that is a file in the manifest's folder (a `${VAR}` or an absolute path is the deployment's to provide).
 */
export const sqlDeploy: KindDeploy = {
  external: ['knex', ...Object.values(drivers)],
  needs(artifact) {
    const sources = Object.values(artifact.sources).filter((s): s is SqlSourceIR => s.kind === 'sql');
    if (sources.length === 0) return {};
    const sqlite = sources.filter((s) => s.dialect === 'sqlite');
    return {
      packages: ['knex', ...new Set(sources.map((s) => drivers[s.dialect]))],
      ...(sqlite.length > 0 ? { workers: sqliteWorkers } : {}),
      files: sqlite.flatMap((s) => databaseFile(s.database) ?? [])
    };
  }
};

/** `sqlite:./data/shop.db` → `./data/shop.db`; undefined for memory, absolute paths and `${VAR}` URLs. */
export function databaseFile(url: string): string | undefined {
  const rest = url.replace(/^(sqlite3?|file):/, '').replace(/^\/\/(?=\.)/, '');
  if (rest === '' || rest === ':memory:' || rest.startsWith('/') || rest.includes('${')) return undefined;
  return rest;
}
