import type { SqlSourceIR } from './ir.js';

/** One statement ready for the driver: dialect placeholders and positional values. */
export interface BoundStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

export interface RunOptions {
  readonly readOnly: boolean;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Rows wanted from the last statement; engines that can stop reading early stop there. */
  readonly rowLimit: number;
  /** Cancels the statement running on this connection (from another connection). */
  cancel(): Promise<void>;
}

export interface RawResult {
  readonly rows: Record<string, unknown>[];
  readonly columns: readonly string[];
  /** Rows changed by the last statement when it returned none. */
  readonly affectedRows?: number;
}

/** A result column described at build: its name and JSON Schema. */
export interface DescribedColumn {
  readonly name: string;
  readonly schema: Record<string, unknown>;
}

/** What differs between SQLite, PostgreSQL and MySQL/MariaDB; everything else is shared. */
export interface Dialect {
  readonly name: SqlSourceIR['dialect'];
  /** The knex client and connection settings for a resolved URL (paths relative to `root`). */
  config(url: string, source: SqlSourceIR, root: string): Record<string, unknown>;
  placeholder(index: number): string;
  quoteIdent(name: string): string;
  /** Driver values for one argument (booleans, objects). */
  bind(value: unknown): unknown;
  /** Runs statements on a pooled connection; absent for SQLite, whose statements run in a thread of their own. */
  run?(conn: unknown, statements: readonly BoundStatement[], options: RunOptions): Promise<RawResult>;
  /** Prepares (never runs) a statement; returns its result columns, or undefined when it returns none. */
  describe(conn: unknown, statement: BoundStatement): Promise<DescribedColumn[] | undefined>;
}

/** A database the server could not reach or log in to; its message never carries the URL or credentials. */
export class SqlUnavailableError extends Error {}

/** An error the database reported about the query itself (syntax, constraint, read-only, timeout). */
export class SqlQueryError extends Error {
  constructor(
    message: string,
    /** 1-based character position in the statement text, when the engine gives one. */
    readonly position?: number
  ) {
    super(message);
  }
}

export const quoteWith = (q: string) => (name: string) =>
  name
    .split('.')
    .map((p) => q + p.split(q).join(q + q) + q)
    .join('.');

export const nullable = (schema: Record<string, unknown>): Record<string, unknown> =>
  schema.type ? { ...schema, type: [...(Array.isArray(schema.type) ? schema.type : [schema.type]), 'null'] } : schema;
