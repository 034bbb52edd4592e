import { assemble, type Introspect } from './schema.js';

/**
 * PostgreSQL: tables, views, materialized views and partitioned tables of the current schema (the first of the
 * search_path that exists, usually public), from pg_catalog so types keep their modifiers (numeric(10,2)).
 */
export const introspectPostgres: Introspect = async (db) => {
  const columns = await db.raw(`
    SELECT c.relname AS "table", CASE WHEN c.relkind IN ('v', 'm') THEN 'view' ELSE 'table' END AS kind,
           a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')
    ORDER BY c.relname, a.attnum`);
  const keys = await db.raw(`
    SELECT c.relname AS "table", a.attname AS "column"
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
    WHERE i.indisprimary AND n.nspname = current_schema()
    ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)`);
  return assemble(columns.rows, keys.rows);
};
