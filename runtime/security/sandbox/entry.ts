/** Entry point of a sandbox worker thread or child process: serves handler calls over its parent channel. */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { serveGuest } from './guest.js';
import { EXTERNAL_MEMORY } from './memory.js';
import type { GuestMessage, HostMessage } from './protocol.js';

if (parentPort) {
  const port = parentPort;
  // Read by the server through the inspector while a call runs (memory.ts); process.memoryUsage() would also
  // read the RSS from /proc, 20 times the cost.
  Object.defineProperty(globalThis, EXTERNAL_MEMORY, { value: () => getHeapStatistics().external_memory });
  // Console output goes to the host, which writes it to stderr (on stdio, stdout is the protocol channel).
  // Not `stdout: true` on the Worker: its stream would keep the server's event loop alive.
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: unknown, encoding?: unknown, done?: unknown) => {
      port.postMessage({
        t: 'output',
        text: typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
      } satisfies GuestMessage);
      const callback = typeof encoding === 'function' ? encoding : done;
      if (typeof callback === 'function') queueMicrotask(() => (callback as () => void)());
      return true;
    }) as typeof stream.write;
  }
  serveGuest({ send: (m) => port.postMessage(m), onMessage: (l) => port.on('message', l) });
} else if (process.send) {
  const send = process.send.bind(process);
  serveGuest({ send: (m: GuestMessage) => void send(m), onMessage: (l) => process.on('message', (m) => l(m as HostMessage)) });
  // The server is gone: nothing is left to answer to.
  process.on('disconnect', () => process.exit(0));
}
