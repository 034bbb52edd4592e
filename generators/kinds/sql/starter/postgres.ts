import { assemble, type Introspect } from './schema.js';

/**
 * PostgreSQL: tables, views, materialized views and partitioned tables of one schema: the URL's `?schema=`, else
 * the current one (the first of the search_path that exists: public, or what `options=-c search_path=` says),
 * from pg_catalog so types keep their modifiers (numeric(10,2)).
 */
export const introspectPostgres: Introspect = async (db, choice) => {
  const found = await db.raw(`SELECT n.nspname AS schema FROM pg_namespace n WHERE n.nspname = COALESCE(?::text, current_schema())`, [
    choice.schema ?? null
  ]);
  const schema = (found.rows as { schema: string }[])[0]?.schema;
  if (schema === undefined)
    throw new Error(
      choice.schema !== undefined ? `schema ${JSON.stringify(choice.schema)} does not exist` : 'no schema of the search_path exists'
    );
  const columns = await db.raw(
    `
    SELECT c.relname AS "table", CASE WHEN c.relkind IN ('v', 'm') THEN 'view' ELSE 'table' END AS kind,
           a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm')
    ORDER BY c.relname, a.attnum`,
    [schema]
  );
  const keys = await db.raw(
    `
    SELECT c.relname AS "table", a.attname AS "column"
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
    WHERE i.indisprimary AND n.nspname = ?
    ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)`,
    [schema]
  );
  const tables = assemble(columns.rows, keys.rows);
  // The manifest's queries run on a connection of their own: they name the schema the URL chose.
  return choice.qualify ? tables.map((t) => ({ ...t, schema })) : tables;
};
