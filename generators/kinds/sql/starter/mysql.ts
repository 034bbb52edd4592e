import { assemble, type Introspect } from './schema.js';

/** MySQL and MariaDB: information_schema of the URL's database (COLUMN_TYPE keeps lengths and UNSIGNED). */
export const introspectMysql: Introspect = async (db) => {
  const [columns] = await db.raw(`
    SELECT c.TABLE_NAME AS \`table\`, IF(t.TABLE_TYPE = 'VIEW', 'view', 'table') AS kind, c.COLUMN_NAME AS \`column\`,
           c.COLUMN_TYPE AS type, c.IS_NULLABLE = 'YES' AS nullable
    FROM information_schema.COLUMNS c
    JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
    WHERE c.TABLE_SCHEMA = DATABASE()
    ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`);
  const [keys] = await db.raw(`
    SELECT TABLE_NAME AS \`table\`, COLUMN_NAME AS \`column\`
    FROM information_schema.KEY_COLUMN_USAGE
    WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'PRIMARY'
    ORDER BY TABLE_NAME, ORDINAL_POSITION`);
  const rows = (columns as { table: string; kind: string; column: string; type: string | Buffer; nullable: number }[]).map((c) => ({
    ...c,
    type: String(c.type),
    nullable: Boolean(c.nullable)
  }));
  return assemble(rows, keys as { table: string; column: string }[]);
};
