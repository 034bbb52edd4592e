/** The SQL kind's IR: queries split into statements at build, and its database sources. */

/** A piece of one SQL statement: literal text, a bound value (`:name`) or an enum-checked identifier (`:{name}`). */
export type SqlPart = string | { readonly param: string } | { readonly ident: string };

/** A query against a SQL source, split into statements and parts at build (no placeholder parsing at run time). */
export interface SqlQueryIR {
  readonly source: string;
  /** One statement unless the entry allowed `multipleStatements`; run in order in one transaction. */
  readonly statements: readonly (readonly SqlPart[])[];
  /** Allowed values of each identifier property (from its enum, checked at build). */
  readonly identifiers?: Readonly<Record<string, readonly string[]>>;
  readonly readOnly: boolean;
}

/** A SQL-backed tool, resource or resource template: the query and how its rows are shaped. */
export interface SqlExec extends SqlQueryIR {
  readonly format: 'json' | 'markdown' | 'csv';
  readonly maxRows: number;
  readonly maxBytes: number;
  /** Completion queries by URI template variable (resource templates only). */
  readonly complete?: Readonly<Record<string, SqlQueryIR>>;
}

/** A database; `database` keeps its `${VAR}` references (resolved at first use, never logged). */
export interface SqlSourceIR {
  readonly kind: 'sql';
  readonly dialect: 'sqlite' | 'postgres' | 'mysql';
  readonly database: string;
  readonly readOnly: boolean;
  readonly pool: { readonly min: number; readonly max: number };
  readonly statementTimeoutMs: number;
  /** SQLite: where statements run (absent: a thread; `process` can be killed mid-statement). */
  readonly isolation?: 'process';
}
