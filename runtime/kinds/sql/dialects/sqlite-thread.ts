import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { SqliteJob, SqliteOpen, SqliteReply } from './sqlite-protocol.js';
import { runStatements, sqliteFailure } from './sqlite-run.js';

/**
 * The thread one SQLite source runs in (see sqlite-executor.ts). better-sqlite3 runs a statement to completion
 * on its thread: here that blocks only this thread, and the server can end it when a statement must stop.
 */
const { filename, readonly, running, skipped } = workerData as SqliteOpen & { running: Int32Array; skipped: Int32Array };
const port = parentPort!;
let db: Database.Database | undefined;

/** Opened on first use and again after a failure: the file may appear (or come back) while the server runs. */
function connection(): Database.Database {
  return (db ??= new Database(filename, { readonly }));
}

port.on('message', (job: SqliteJob) => {
  // Marked as running before the skip check; the server checks the other way round (no job slips between).
  Atomics.store(running, 0, job.id);
  if (Atomics.load(skipped, job.id % skipped.length) === job.id) {
    Atomics.store(running, 0, 0);
    return;
  }
  let reply: SqliteReply;
  let conn: Database.Database | undefined;
  try {
    conn = connection();
    reply = { id: job.id, ...runStatements(conn, job.statements, job.readOnly, job.rowLimit, job.busyMs) };
  } catch (e) {
    // A file that cannot be opened is never the query's fault, whatever better-sqlite3 throws for it.
    if (!conn) reply = { id: job.id, error: (e as { code?: string }).code ?? 'cannot open the database', kind: 'unavailable' };
    else {
      const failure = sqliteFailure(e);
      reply = { id: job.id, error: failure.message, kind: failure.kind };
    }
  }
  Atomics.store(running, 0, 0);
  port.postMessage(reply);
});
