import type { ToolContext, ToolResult } from '../../kinds/kind.js';
import type { Logger } from '../../log.js';
import { Sandbox, SandboxFailure } from './sandbox.js';
import type { SandboxSettings } from './settings.js';

/** An idle sandbox beyond the first is stopped after this long; one stays warm. */
export const IDLE_MS = 30_000;

/**
 * Sandboxes for handlers that share settings: each runs one call at a time, so a call that loops or
 * crashes takes down only itself; up to `workers` calls run at once and the rest wait in line.
 */
export class SandboxPool {
  private readonly live = new Set<Sandbox>();
  private readonly idle: Sandbox[] = [];
  private readonly idleTimers = new Map<Sandbox, NodeJS.Timeout>();
  private readonly waiting: { take(s: Sandbox): void; fail(e: unknown): void }[] = [];
  private closed = false;

  constructor(
    private readonly settings: SandboxSettings,
    private readonly entry: string,
    /** Extra paths a strict sandbox may read: the handlers' own modules. */
    private readonly readable: readonly string[],
    private readonly log: Logger
  ) {}

  async run(module: string, args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult> {
    if (ctx.signal.aborted) throw new SandboxFailure('the call was cancelled');
    const sandbox = await this.acquire(ctx.signal);
    try {
      return await sandbox.run(module, args, ctx);
    } finally {
      this.release(sandbox);
    }
  }

  /** Start-up: a module that fails to import or has no default export function fails `mcp-gen run`. */
  async check(module: string): Promise<void> {
    const sandbox = await this.acquire();
    try {
      await sandbox.load(module);
    } finally {
      this.release(sandbox);
    }
  }

  close(): void {
    this.closed = true;
    for (const s of this.live) s.kill('the server is shutting down');
  }

  get size(): number {
    return this.live.size;
  }

  /** Sandboxes running a call (or starting for one) and idle ones, for the workers gauge. */
  get usage(): { readonly mode: string; readonly busy: number; readonly idle: number } {
    return { mode: this.settings.mode, busy: this.live.size - this.idle.length, idle: this.idle.length };
  }

  private acquire(signal?: AbortSignal): Promise<Sandbox> {
    const ready = this.idle.pop();
    if (ready) {
      clearTimeout(this.idleTimers.get(ready));
      this.idleTimers.delete(ready);
      ready.busy();
      return Promise.resolve(ready);
    }
    if (this.live.size < this.settings.workers) return this.spawn();
    return new Promise((take, fail) => {
      const waiter = { take, fail };
      this.waiting.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.waiting.indexOf(waiter);
          if (i !== -1) this.waiting.splice(i, 1);
          fail(new SandboxFailure('the call was cancelled'));
        },
        { once: true }
      );
    });
  }

  private async spawn(): Promise<Sandbox> {
    if (this.closed) throw new SandboxFailure('the server is shutting down');
    const sandbox = new Sandbox(this.settings, this.entry, this.readable, (s, reason, duringCall) => this.died(s, reason, duringCall));
    this.live.add(sandbox);
    await sandbox.ready;
    return sandbox;
  }

  private release(sandbox: Sandbox): void {
    if (sandbox.dead) return;
    const next = this.waiting.shift();
    if (next) return next.take(sandbox);
    sandbox.idle();
    this.idle.push(sandbox);
    if (this.idle.length > 1) this.idleTimers.set(sandbox, setTimeout(() => sandbox.kill('idle'), IDLE_MS).unref());
  }

  private died(sandbox: Sandbox, reason: string, duringCall: boolean): void {
    this.live.delete(sandbox);
    const i = this.idle.indexOf(sandbox);
    if (i !== -1) this.idle.splice(i, 1);
    clearTimeout(this.idleTimers.get(sandbox));
    this.idleTimers.delete(sandbox);
    // A death during a call is logged with the call's tool error; between calls (a stray timer throwing…) here.
    if (!duringCall && reason !== 'idle' && !this.closed)
      this.log.warn(`a handler sandbox (${this.settings.mode}) stopped between calls: ${reason}`);
    // A caller waiting in line takes a fresh sandbox in place of the dead one.
    const next = this.waiting.shift();
    if (next) this.spawn().then(next.take, next.fail);
  }
}
