import { fork } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { redact } from '../../redact.js';
import { trackWorker, watchExternal } from './memory.js';
import { permissionFlag, type SandboxSettings } from './settings.js';
import type { GuestMessage, HostMessage } from './protocol.js';

/** One worker thread or child process, seen through the few operations the host needs. */
export interface Link {
  send(message: HostMessage): void;
  /** Keeps the server's event loop alive only while a call runs. */
  ref(): void;
  unref(): void;
  kill(): void;
  /** Watches the memory outside the heap while a call runs (workers); returns the stop function. */
  watch(): () => void;
}

export interface LinkEvents {
  message(message: GuestMessage): void;
  /** The sandbox ended; `reason` says why, for the tool error. */
  exit(reason: string): void;
}

/** Worker threads for `worker`, a child process under Node's permission model for `strict`. */
export function openLink(settings: SandboxSettings, entry: string, readable: readonly string[], events: LinkEvents): Link {
  return settings.mode === 'strict' ? childLink(settings, entry, readable, events) : workerLink(settings, entry, events);
}

function workerLink(settings: SandboxSettings, entry: string, events: LinkEvents): Link {
  const worker = new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: settings.heapMb } });
  trackWorker(worker);
  let reason: string | undefined;
  worker.on('message', (m: GuestMessage) => (m.t === 'output' ? process.stderr.write(redact(m.text)) : events.message(m)));
  worker.on('error', (e: Error & { code?: string }) => {
    reason = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory(settings) : `it crashed: ${e.message}`;
  });
  worker.on('exit', (code) => events.exit(reason ?? `it ended its worker (exit code ${code})`));
  return {
    send: (m) => worker.postMessage(m),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    kill: () => void worker.terminate(),
    watch: () =>
      watchExternal(worker, settings.heapMb, (bytes) => {
        reason =
          `it used ${Math.round(bytes / 1048576)} MB outside its heap (Buffers, typed arrays, large ` +
          `strings; limit ${settings.heapMb} MB, sandbox heapMb) and was stopped`;
        void worker.terminate();
      })
  };
}

function childLink(settings: SandboxSettings, entry: string, readable: readonly string[], events: LinkEvents): Link {
  const runtimeDir = resolve(dirname(entry), '..', '..');
  const packageJson = resolve(runtimeDir, '..', '..', 'package.json');
  const execArgv = [
    permissionFlag(),
    ...[runtimeDir, packageJson, ...readable, ...settings.allowRead].map((p) => `--allow-fs-read=${p}`),
    ...settings.allowWrite.map((p) => `--allow-fs-write=${p}`),
    `--max-old-space-size=${settings.heapMb}`,
    '--disable-warning=ExperimentalWarning'
  ];
  const child = fork(entry, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let tail = '';
  forward(child.stdout!);
  forward(child.stderr!, (text) => {
    tail = (tail + text).slice(-4096);
    // V8's out-of-memory dump says nothing the tool error does not: the call reports the heap limit.
    return !/<--- Last few GCs --->|heap limit|out of memory/i.test(tail);
  });
  child.on('message', (m: GuestMessage) => (m.t === 'output' ? undefined : events.message(m)));
  child.on('error', () => {}); // a failed send after the child died: 'exit' reports it
  child.on('exit', (code, signal) => {
    if (/heap limit|out of memory/i.test(tail)) events.exit(outOfMemory(settings));
    else events.exit(signal ? `its process was ended (${signal})` : `it ended its process (exit code ${code})`);
  });
  const handles = () => [child, child.channel, child.stdout, child.stderr] as ({ ref?(): void; unref?(): void } | null | undefined)[];
  return {
    send: (m) => {
      if (child.connected) child.send(m);
    },
    ref: () => handles().forEach((h) => h?.ref?.()),
    unref: () => handles().forEach((h) => h?.unref?.()),
    kill: () => void child.kill('SIGKILL'),
    // A child's Buffers are its own process's memory, not the server's: only its heap is bounded.
    watch: () => () => {}
  };
}

function outOfMemory(settings: SandboxSettings): string {
  return `it ran out of memory (heap limit ${settings.heapMb} MB, sandbox heapMb) and was stopped`;
}

/** A child's output goes to stderr (on stdio, stdout is the protocol channel), redacted. */
function forward(stream: NodeJS.ReadableStream, keep: (text: string) => boolean = () => true): void {
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    if (keep(text)) process.stderr.write(redact(text));
  });
}
