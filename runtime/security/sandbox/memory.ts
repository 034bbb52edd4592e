import { createRequire } from 'node:module';
import type { Session } from 'node:inspector';
import type { Worker } from 'node:worker_threads';

/**
 * A worker's resourceLimits bound its V8 heap only: Buffers, typed arrays and large strings live outside it
 * (V8's "external" memory) and would grow the server's memory without bound. The server's thread measures a
 * running call's external memory through the in-process inspector, which interrupts the worker's JavaScript:
 * it answers even while the handler allocates in a synchronous loop, which a timer inside the worker would not.
 */

/**
 * A running call is measured at most WATCH_MAX_MS apart, and more often as it nears its budget (assuming it
 * writes up to 2 MB per ms), down to WATCH_MIN_MS: a handler can overshoot by what it writes in that time.
 */
const WATCH_MIN_MS = 10;
const WATCH_MAX_MS = 50;
const WRITE_BYTES_PER_MS = 2 * 1024 * 1024;
/**
 * Over budget, the worker is measured again after a full GC, so garbage V8 has not collected yet is not held
 * against it; a handler hovering at its budget gets at most one such GC per this many ms.
 */
const COLLECT_GAP_MS = 100;
/** A worker that spent less than this running (not waiting for I/O) since it was last measured is not measured. */
const ACTIVE_MS = 0.5;

/** The worker's function returning its external memory (entry.ts defines it). */
export const EXTERNAL_MEMORY = Symbol.for('mcp-gen.sandbox.externalMemory');
const measureExpression = `globalThis[Symbol.for('mcp-gen.sandbox.externalMemory')]()`;

type Reply = { result?: { result?: { value?: unknown; objectId?: string } } } | undefined;

/** One inspector session for the process, attached to the sandbox workers (and only to them). */
class WorkerProbe {
  private readonly session: Session | undefined;
  private readonly tracked = new Set<string>();
  /** threadId → inspector session id, and the object whose (absent) instances a GC query looks for. */
  private readonly attached = new Map<string, { sessionId: string; nothing?: string }>();
  private readonly pending = new Map<number, { sessionId: string; settle(reply: Reply): void }>();
  private nextId = 0;
  private enabled = false;

  constructor() {
    let inspector: typeof import('node:inspector');
    try {
      inspector = createRequire(import.meta.url)('node:inspector') as typeof import('node:inspector');
    } catch {
      return; // a Node built without the inspector: heapMb then bounds the heap only
    }
    const session = new inspector.Session();
    session.connect();
    session.on('NodeWorker.attachedToWorker', ({ params }) => {
      const threadId = params.workerInfo.workerId;
      if (this.tracked.has(threadId)) this.attached.set(threadId, { sessionId: params.sessionId });
      else session.post('NodeWorker.detach', { sessionId: params.sessionId }, () => {});
    });
    session.on('NodeWorker.detachedFromWorker', ({ params }) => this.forget(params.sessionId));
    session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
      const reply = JSON.parse(params.message) as { id?: number } & Reply;
      const waiter = reply?.id !== undefined ? this.pending.get(reply.id) : undefined;
      if (waiter) this.pending.delete(reply!.id!), waiter.settle(reply);
    });
    this.session = session;
  }

  get available(): boolean {
    return this.session !== undefined;
  }

  track(worker: Worker): void {
    const threadId = String(worker.threadId);
    this.tracked.add(threadId);
    worker.once('exit', () => (this.tracked.delete(threadId), this.attached.delete(threadId)));
    // Only once a sandbox worker exists: a server without one never attaches to anything.
    if (!this.enabled) this.session?.post('NodeWorker.enable', { waitForDebuggerOnStart: false }, () => {});
    this.enabled = true;
  }

  /** The worker's external memory in bytes, after a full GC if `collect`; undefined while it is not attached. */
  async external(worker: Worker, collect: boolean): Promise<number | undefined> {
    const target = this.attached.get(String(worker.threadId));
    if (!target) return undefined;
    if (collect) {
      // HeapProfiler.collectGarbage waits for the worker's stack to empty, which a synchronous loop never
      // does; a query for live objects collects all garbage at once, in the interrupt.
      target.nothing ??= (
        await this.ask(target.sessionId, 'Runtime.evaluate', { expression: '({})', objectGroup: 'mcp-gen' })
      )?.result?.result?.objectId;
      if (target.nothing) {
        void this.ask(target.sessionId, 'Runtime.queryObjects', { prototypeObjectId: target.nothing, objectGroup: 'mcp-gen-gc' });
        void this.ask(target.sessionId, 'Runtime.releaseObjectGroup', { objectGroup: 'mcp-gen-gc' });
      }
    }
    const value = (await this.ask(target.sessionId, 'Runtime.evaluate', { expression: measureExpression, returnByValue: true }))?.result
      ?.result?.value;
    return typeof value === 'number' ? value : undefined;
  }

  private ask(sessionId: string, method: string, params: object): Promise<Reply> {
    const id = ++this.nextId;
    return new Promise((settle) => {
      this.pending.set(id, { sessionId, settle });
      this.session!.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) }, (e) => {
        if (e) this.pending.delete(id), settle(undefined);
      });
    });
  }

  /** A worker gone: its questions will get no answer. */
  private forget(sessionId: string): void {
    for (const [id, waiter] of this.pending) if (waiter.sessionId === sessionId) this.pending.delete(id), waiter.settle(undefined);
    for (const [threadId, target] of this.attached) if (target.sessionId === sessionId) this.attached.delete(threadId);
  }
}

let probe: WorkerProbe | undefined;

/** Lets the memory of this sandbox worker be measured during its calls. */
export function trackWorker(worker: Worker): void {
  probe ??= new WorkerProbe();
  if (probe.available) probe.track(worker);
}

/** Measures the worker while a call runs, until the returned stop is called; past `limitMb` after a GC, calls `over`. */
export function watchExternal(worker: Worker, limitMb: number, over: (bytes: number) => void): () => void {
  const measure = probe?.available ? probe : undefined;
  if (!measure) return () => {};
  const limit = limitMb * 1024 * 1024;
  let stopped = false;
  let collectedAt = -Infinity;
  let delay = WATCH_MIN_MS;
  let seen: ReturnType<typeof worker.performance.eventLoopUtilization> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const after = (ms: number) => {
    // A failed measurement must not become an unhandled rejection in the server, nor end the watch.
    if (!stopped) timer = setTimeout(() => void tick().catch(() => after(WATCH_MAX_MS)), ms).unref();
  };
  const tick = async () => {
    // A handler waiting on I/O allocates nothing: skip the measurement, which costs both threads.
    const now = worker.performance.eventLoopUtilization();
    if (seen && worker.performance.eventLoopUtilization(now, seen).active < ACTIVE_MS) return after(delay);
    seen = now;
    const bytes = await measure.external(worker, false);
    if (stopped) return;
    if (bytes !== undefined && bytes > limit && performance.now() - collectedAt >= COLLECT_GAP_MS) {
      const live = await measure.external(worker, true);
      collectedAt = performance.now();
      if (stopped) return;
      if (live !== undefined && live > limit) return ((stopped = true), over(live));
    }
    delay = Math.min(WATCH_MAX_MS, Math.max(WATCH_MIN_MS, (limit - (bytes ?? 0)) / WRITE_BYTES_PER_MS));
    after(delay);
  };
  after(WATCH_MIN_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
