import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { SqliteJob, SqliteOpen } from './sqlite-protocol.js';
import { jobRunner } from './sqlite-run.js';

/**
 * The thread a SQLite source runs in (`isolation: thread`, see sqlite-executor.ts). better-sqlite3 runs a
 * statement to completion on its thread: here that blocks only this thread, and the server can end it.
 */
const { running, skipped, ...open } = workerData as SqliteOpen & { running: Int32Array; skipped: Int32Array };
const run = jobRunner(open, (filename, readonly) => new Database(filename, { readonly }));
const port = parentPort!;

port.on('message', (job: SqliteJob) => {
  // Marked as running before the skip check; the server checks the other way round (no job slips between).
  Atomics.store(running, 0, job.id);
  if (Atomics.load(skipped, job.id % skipped.length) === job.id) {
    Atomics.store(running, 0, 0);
    return;
  }
  const reply = run(job);
  Atomics.store(running, 0, 0);
  port.postMessage(reply);
});
port.postMessage('ready');
