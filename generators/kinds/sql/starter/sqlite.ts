import { assemble, type Introspect } from './schema.js';

interface PragmaColumn {
  name: string;
  type: string;
  notnull: number;
  /** 1-based position in the primary key, 0 when not part of it. */
  pk: number;
}

/** SQLite: sqlite_schema for the tables and views, PRAGMA table_info for their columns and keys. */
export const introspectSqlite: Introspect = async (db) => {
  const objects = (await db.raw(
    "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
  )) as { name: string; type: string }[];
  const columns: { table: string; kind: string; column: string; type: string; nullable: boolean }[] = [];
  const keys: { table: string; column: string; position: number }[] = [];
  for (const o of objects) {
    // table_info takes a name, not a bound parameter; quoted as a string literal.
    const info = (await db.raw(`PRAGMA table_info('${o.name.replaceAll("'", "''")}')`)) as PragmaColumn[];
    for (const c of info) {
      // A declared PRIMARY KEY column may still hold NULL in SQLite (except INTEGER PRIMARY KEY): reported as is.
      columns.push({
        table: o.name,
        kind: o.type,
        column: c.name,
        type: c.type || 'ANY',
        nullable: c.notnull === 0 && !(c.pk > 0 && /^integer$/i.test(c.type))
      });
      if (c.pk > 0) keys.push({ table: o.name, column: c.name, position: c.pk });
    }
  }
  keys.sort((a, b) => a.position - b.position);
  return assemble(columns, keys);
};
