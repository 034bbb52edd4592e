/** Messages between the server and the SQLite thread (see sqlite-thread.ts and sqlite-executor.ts). */

export interface SqliteOpen {
  readonly filename: string;
  readonly readonly: boolean;
}

export interface SqliteJob {
  readonly id: number;
  readonly statements: readonly { readonly text: string; readonly values: readonly unknown[] }[];
  readonly readOnly: boolean;
  readonly rowLimit: number;
  /** busy_timeout: how long a statement waits for another connection's lock. */
  readonly busyMs: number;
}

export type SqliteReply =
  | { readonly id: number; readonly rows: Record<string, unknown>[]; readonly columns: readonly string[]; readonly affectedRows?: number }
  /** `query`: SQLite refused the statement or its values; `unavailable`: the file could not be opened or read. */
  | { readonly id: number; readonly error: string; readonly kind: 'query' | 'unavailable' };
