import { fork } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../../../package-root.js';
import { SqlUnavailableError } from '../dialect.js';
import type { ProcessMessage, SqliteIsolation, SqliteJob, SqliteOpen, SqliteReply, ThreadMessage } from './sqlite-protocol.js';

/** The executor's side of the thread or process a SQLite source runs in. */
export interface SqliteLink {
  send(job: SqliteJob): void;
  /** Marks a job as stopped: it is skipped if it has not started; true when it is running (end the link to stop it). */
  stop(id: number): boolean;
  /** Ends the thread or process; resolves once it is gone (a thread first finishes the step it is in). */
  end(): Promise<void>;
  /** Keeps the server process alive while statements are pending (true), or lets it exit when idle (false). */
  busy(pending: boolean): void;
}

export interface LinkEvents {
  /** Loaded and listening: statement timeouts count from here, not from the start of the thread or process. */
  ready(): void;
  reply(reply: SqliteReply): void;
  /** The thread or process ended without being asked to. */
  exit(): void;
  /** A job stopped while queued has started anyway (process only): end the link. */
  stoppedRunning(): void;
}

/** Slots of the thread's shared "stopped before it started" table (job id modulo this). */
const SLOTS = 4096;

export function openLink(isolation: SqliteIsolation, open: SqliteOpen, events: LinkEvents): SqliteLink {
  return isolation === 'process' ? processLink(open, events) : threadLink(open, events);
}

function threadLink(open: SqliteOpen, events: LinkEvents): SqliteLink {
  const running = new Int32Array(new SharedArrayBuffer(4));
  const skipped = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  const worker = new Worker(entry('sqlite-thread.js'), { workerData: { ...open, running, skipped } });
  // An idle thread must not keep the server process alive (busy() holds it while statements are pending).
  worker.unref();
  let ending = false;
  worker.on('message', (m: ThreadMessage) => (m === 'ready' ? events.ready() : events.reply(m)));
  worker.on('error', () => undefined);
  worker.on('exit', () => ending || events.exit());
  return {
    send: (job) => worker.postMessage(job),
    stop(id) {
      // The thread marks what it runs before it checks for a skip, this side the other way round: one of the two sees the other.
      Atomics.store(skipped, id % SLOTS, id);
      return Atomics.load(running, 0) === id;
    },
    async end() {
      ending = true;
      await worker.terminate();
    },
    busy: (pending) => (pending ? worker.ref() : worker.unref())
  };
}

function processLink(open: SqliteOpen, events: LinkEvents): SqliteLink {
  const child = fork(entry('sqlite-process.js'), [JSON.stringify(open)], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc']
  });
  child.unref();
  child.channel?.unref();
  let running = 0;
  let ending = false;
  const stopped = new Set<number>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (m: ProcessMessage) => {
    if (m.t === 'ready') return events.ready();
    if (m.t === 'started') {
      running = m.id;
      if (stopped.has(m.id)) events.stoppedRunning();
      // Ids only grow: earlier stopped ones were skipped, and are forgotten.
      for (const id of stopped) if (id < m.id) stopped.delete(id);
      return;
    }
    running = 0;
    stopped.delete(m.reply.id);
    events.reply(m.reply);
  });
  child.on('error', () => undefined);
  void exited.then(() => ending || events.exit());
  return {
    send: (job) => child.send({ t: 'job', job }),
    stop(id) {
      if (running === id) return true;
      stopped.add(id);
      if (child.connected) child.send({ t: 'skip', id });
      return false;
    },
    async end() {
      ending = true;
      child.kill('SIGKILL');
      await exited;
    },
    busy(pending) {
      if (pending) {
        child.ref();
        child.channel?.ref();
      } else {
        child.unref();
        child.channel?.unref();
      }
    }
  };
}

/** A compiled entry script: next to this module in dist/, dist/'s copy when running from the sources, or a bundle's. */
function entry(file: string): string {
  const found = workerEntry(dirname(fileURLToPath(import.meta.url)), ['runtime', 'kinds', 'sql', 'dialects'], file);
  if (found) return found;
  throw new SqlUnavailableError(`the SQLite script ${file} is missing: build mcp-gen (npm run build)`);
}
