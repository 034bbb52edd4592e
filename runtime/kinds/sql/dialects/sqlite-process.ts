import Database from 'better-sqlite3';
import type { ProcessMessage, SqliteJob, SqliteOpen } from './sqlite-protocol.js';
import { jobRunner } from './sqlite-run.js';

/**
 * The process a SQLite source runs in (`isolation: process`, see sqlite-executor.ts): the server can kill it
 * in the middle of any statement. One job per turn of the event loop, so a skip sent while a statement runs
 * is read before the next job starts; each job is announced before it runs.
 */
const open = JSON.parse(process.argv[2]!) as SqliteOpen;
const run = jobRunner(open, (filename, readonly) => new Database(filename, { readonly }));
const queue: SqliteJob[] = [];
const skipped = new Set<number>();
let scheduled = false;

const send = (m: ProcessMessage) => process.send!(m);

function next(): void {
  scheduled = false;
  const job = queue.shift();
  if (!job) return;
  if (!skipped.delete(job.id)) {
    send({ t: 'started', id: job.id });
    send({ t: 'reply', reply: run(job) });
  }
  schedule();
}

function schedule(): void {
  if (scheduled || queue.length === 0) return;
  scheduled = true;
  setImmediate(next);
}

process.on('message', (m: { t: 'job'; job: SqliteJob } | { t: 'skip'; id: number }) => {
  if (m.t === 'skip') skipped.add(m.id);
  else {
    queue.push(m.job);
    schedule();
  }
});
send({ t: 'ready' });
// The server went away: nothing left to answer.
process.on('disconnect', () => process.exit(0));
