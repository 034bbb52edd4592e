import type { ToolContext, ToolResult } from '../../kinds/kind.js';
import { RpcError, rpcErrors, type RpcErrorName } from '../../core/errors.js';
import { openLink, type Link } from './link.js';
import { toWireError, type GuestMessage, type WireError } from './protocol.js';
import type { SandboxSettings } from './settings.js';

/** A cancelled call gets this long to end by itself before its sandbox is stopped. */
export const ABORT_GRACE_MS = 2000;

/** A failure of the sandbox rather than of the handler's logic: the message completes "Tool X failed: …". */
export class SandboxFailure extends Error {
  constructor(message: string) {
    super(message);
    // Logged as "tool X failed: sandbox: …": the host's stack says nothing about the handler.
    this.stack = `sandbox: ${message}`;
  }
}

interface Active {
  readonly id: number;
  readonly ctx: ToolContext;
  resolve(result: ToolResult): void;
  reject(e: unknown): void;
  deadline: number;
  /** Asks waiting on the client; the time limit is paused while there are any. */
  waiting: number;
  /** Keeps a 2026 round open until the guest says it has sent every question of its turn. */
  release?: () => void;
  pausedAt?: number;
  timer?: NodeJS.Timeout;
  unwatch?: () => void;
}

let nextId = 0;

/** One worker (or child process) running one call at a time; it dies on a timeout, a crash or an exit. */
export class Sandbox {
  readonly ready: Promise<void>;
  dead: string | undefined;
  private active: Active | undefined;
  private readonly loads = new Map<string, { resolve(): void; reject(e: Error): void }>();
  private readonly link: Link;
  private killedFor: string | undefined;

  constructor(
    private readonly settings: SandboxSettings,
    entry: string,
    readable: readonly string[],
    private readonly onDeath: (sandbox: Sandbox, reason: string, duringCall: boolean) => void
  ) {
    let started!: () => void;
    let failed!: (e: Error) => void;
    this.ready = new Promise((resolve, reject) => ((started = resolve), (failed = reject)));
    this.link = openLink(settings, entry, readable, {
      message: (m) => (m.t === 'ready' ? started() : this.receive(m)),
      exit: (reason) => {
        this.dead = this.killedFor ?? reason;
        failed(new SandboxFailure(`its sandbox did not start: ${this.dead}`));
        for (const l of this.loads.values()) l.reject(new SandboxFailure(this.dead));
        this.loads.clear();
        const duringCall = this.active !== undefined;
        this.finish((a) => a.reject(new SandboxFailure(this.dead!)));
        this.onDeath(this, this.dead, duringCall);
      }
    });
  }

  /** Imports a handler module and checks its default export (start-up checks). */
  load(module: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.loads.set(module, { resolve, reject });
      this.link.send({ t: 'load', module });
    });
  }

  run(module: string, args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult> {
    if (this.dead) return Promise.reject(new SandboxFailure(this.dead));
    const id = ++nextId;
    return new Promise<ToolResult>((resolve, reject) => {
      const active: Active = { id, ctx, resolve, reject, deadline: Date.now() + this.settings.timeoutMs, waiting: 0 };
      this.active = active;
      this.arm();
      active.unwatch = this.link.watch();
      const onAbort = () => {
        this.link.send({ t: 'abort', id });
        if (active.pausedAt !== undefined) this.resume(active);
        active.deadline = Math.min(active.deadline, Date.now() + ABORT_GRACE_MS);
        this.arm();
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => ctx.signal.removeEventListener('abort', onAbort);
      active.resolve = (r) => (cleanup(), resolve(r));
      active.reject = (e) => (cleanup(), reject(e));
      this.link.send({
        t: 'call',
        id,
        module,
        args,
        ctx: { requestId: ctx.requestId, toolName: ctx.toolName, clientCapabilities: ctx.clientCapabilities, state: ctx.state }
      });
    });
  }

  /** Idle: it no longer keeps the process alive. */
  idle(): void {
    this.link.unref();
  }

  /** Taken for work: it keeps the process alive until released. */
  busy(): void {
    this.link.ref();
  }

  kill(reason: string): void {
    if (this.dead || this.killedFor) return;
    this.killedFor = reason;
    this.link.kill();
  }

  private receive(m: GuestMessage): void {
    if (m.t === 'loaded') {
      const l = this.loads.get(m.module);
      this.loads.delete(m.module);
      if (m.error) l?.reject(new SandboxFailure(m.error));
      else l?.resolve();
      return;
    }
    if (m.t === 'ready' || m.t === 'output') return;
    const a = this.active;
    if (!a || a.id !== m.id) return;
    switch (m.t) {
      case 'log':
        return a.ctx.log(m.level, m.message, m.data);
      case 'progress':
        return a.ctx.progress(m.progress, m.total, m.message);
      case 'closeStream':
        return a.ctx.closeStream();
      case 'idle':
        a.release?.();
        a.release = undefined;
        return;
      case 'ask': {
        syncState(a.ctx.state, m.state);
        a.release ??= a.ctx.holdRound?.();
        if (a.waiting++ === 0) this.pause(a);
        const ask = () =>
          m.method === 'elicit'
            ? a.ctx.elicit(m.params, m.key)
            : m.method === 'sample'
              ? a.ctx.sample(m.params, m.key)
              : a.ctx.listRoots(m.key);
        Promise.resolve()
          .then(ask)
          .then(
            (value) => this.link.send({ t: 'answer', id: a.id, ask: m.ask, value }),
            (e: unknown) => this.link.send({ t: 'answer', id: a.id, ask: m.ask, error: toWireError(e) })
          )
          .finally(() => {
            if (--a.waiting === 0 && this.active === a && a.pausedAt !== undefined) this.resume(a);
          });
        return;
      }
      case 'done':
        syncState(a.ctx.state, m.state);
        this.finish((x) => (m.error ? x.reject(fromWire(m.error)) : x.resolve(m.result ?? { content: [] })));
    }
  }

  private finish(settle: (a: Active) => void): void {
    const a = this.active;
    a?.release?.();
    if (!a) return;
    this.active = undefined;
    clearTimeout(a.timer);
    a.unwatch?.();
    settle(a);
  }

  private arm(): void {
    const a = this.active;
    if (!a) return;
    clearTimeout(a.timer);
    if (a.pausedAt !== undefined) return;
    a.timer = setTimeout(
      () => this.kill(`it ran longer than ${this.settings.timeoutMs} ms (sandbox timeoutMs) and was stopped`),
      Math.max(0, a.deadline - Date.now())
    );
  }

  private pause(a: Active): void {
    a.pausedAt = Date.now();
    clearTimeout(a.timer);
  }

  private resume(a: Active): void {
    a.deadline += Date.now() - (a.pausedAt ?? Date.now());
    a.pausedAt = undefined;
    this.arm();
  }
}

/** The handler's state object is the core's: keep it in step with the guest's copy (for 2026-07-28 rounds). */
function syncState(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const k of Object.keys(target)) if (!(k in source)) delete target[k];
  Object.assign(target, source);
}

function fromWire(error: WireError): unknown {
  if (error.rpc && error.rpc.name in rpcErrors) return new RpcError(error.rpc.name as RpcErrorName, error.message, error.rpc.data);
  const e = new Error(error.message);
  if (error.stack) e.stack = error.stack;
  return e;
}
