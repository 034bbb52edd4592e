/** Messages between the server and the SQLite thread (see sqlite-thread.ts and sqlite-executor.ts). */

export interface SqliteOpen {
  readonly filename: string;
  readonly readonly: boolean;
}

/** Where a source's statements run: a thread (ended at the next row it returns) or a process (killed at once). */
export type SqliteIsolation = 'thread' | 'process';

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

/** From the SQLite process: a job is about to run; a job's reply. */
export type ProcessMessage =
  | { readonly t: 'ready' }
  | { readonly t: 'started'; readonly id: number }
  | { readonly t: 'reply'; readonly reply: SqliteReply };

/** From the SQLite thread: loaded and listening (the first message), then replies. */
export type ThreadMessage = 'ready' | SqliteReply;
