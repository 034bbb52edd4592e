import type { Knex } from 'knex';

/** What `init --database` needs to know of one table or view. */
export interface TableInfo {
  readonly name: string;
  readonly kind: 'table' | 'view';
  /** In the table's own order. */
  readonly columns: readonly ColumnInfo[];
  /** Primary-key columns in key order; empty when there is none. */
  readonly primaryKey: readonly string[];
  /** The schema the generated SQL names (PostgreSQL, when the URL chose one); absent: the connection's default. */
  readonly schema?: string;
}

export interface ColumnInfo {
  readonly name: string;
  /** The type as the database spells it (e.g. `numeric(10,2)`, `varchar(80)`, `INTEGER`). */
  readonly type: string;
  readonly nullable: boolean;
}

/** `schema`: the one the URL names (`?schema=`); `qualify`: the URL chose one, so the SQL must name it. */
export type Introspect = (db: Knex, choice: { schema?: string; qualify: boolean }) => Promise<TableInfo[]>;

/** Groups `(table, kind, column…)` rows (ordered by table, then position) and attaches primary keys. */
const byName = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

export function assemble(
  columns: readonly { table: string; kind: string; column: string; type: string; nullable: boolean }[],
  keys: readonly { table: string; column: string }[]
): TableInfo[] {
  const tables = new Map<string, { name: string; kind: 'table' | 'view'; columns: ColumnInfo[]; primaryKey: string[] }>();
  for (const c of columns) {
    let t = tables.get(c.table);
    if (!t) tables.set(c.table, (t = { name: c.table, kind: c.kind === 'view' ? 'view' : 'table', columns: [], primaryKey: [] }));
    t.columns.push({ name: c.column, type: c.type, nullable: c.nullable });
  }
  for (const k of keys) tables.get(k.table)?.primaryKey.push(k.column);
  // Tables first, then views; each by name.
  return [...tables.values()].sort((a, b) => (a.kind === b.kind ? byName(a.name, b.name) : a.kind === 'table' ? -1 : 1));
}
