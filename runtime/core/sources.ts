import type { Artifact, KindName } from '../artifact/ir.js';
import { runtimeKinds } from '../kinds/registry.js';
import type { Services, SourceHandle } from '../kinds/kind.js';
import type { Logger } from '../log.js';
import { NotReadyError, probeAll, type Probe } from './readiness.js';

type Opener = (name: string, ir: unknown, services: Services) => SourceHandle | Promise<SourceHandle>;
type SetUp = (services: Services) => SourceHandle;

/**
 * What one served artifact opened: each source's handle (pools, clients, token caches) and each kind's own
 * resources (handler sandboxes). Owned by the McpCore serving the artifact; disposed on close, and after a swap
 * once the calls still running on the old artifact have finished.
 */
export class OpenedResources {
  private readonly sources = new Map<string, SourceHandle>();
  private readonly kinds = new Map<string, SourceHandle>();
  private running = 0;
  private idle: (() => void) | undefined;

  constructor(private readonly log: Logger) {}

  /** Sets up every kind that has kind-wide resources, then opens every source of the artifact. */
  async open(artifact: Artifact, servicesFor: (kind: KindName) => Services): Promise<void> {
    for (const [kind, runtime] of Object.entries(runtimeKinds) as [KindName, { setUp?: SetUp }][]) {
      if (runtime.setUp) this.kinds.set(kind, runtime.setUp(servicesFor(kind)));
    }
    for (const [name, ir] of Object.entries(artifact.sources ?? {})) {
      const runtime = (runtimeKinds as Partial<Record<string, { source?: { open: Opener } }>>)[ir.kind];
      const rebuild = 'rebuild the artifact with this mcp-gen version';
      if (!runtime) throw new Error(`this runtime has no "${ir.kind}" backend for source "${name}": ${rebuild}`);
      if (runtime.source) this.sources.set(name, await runtime.source.open(name, ir, servicesFor(ir.kind)));
    }
  }

  source<T>(name: string): T {
    const handle = this.sources.get(name);
    if (!handle) throw new Error(`artifact has no source "${name}" that this runtime can open: rebuild it`);
    return handle as T;
  }

  kind<T>(kind: KindName): T {
    return this.kinds.get(kind) as T;
  }

  /** A readiness probe per source that can tell (/readyz), by dependency name. */
  probes(): Map<string, Probe> {
    const probes = new Map<string, Probe>();
    for (const [name, handle] of this.sources) if (handle.ready) probes.set(`source "${name}"`, () => handle.ready!());
    return probes;
  }

  /** Readiness of every source that can tell: rejects with a NotReadyError naming each that does not answer. */
  async ready(timeoutMs?: number): Promise<void> {
    const failures = await probeAll(this.probes(), timeoutMs);
    if (failures.length > 0) throw new NotReadyError(failures);
  }

  /**
   * Runs `work(call, run)` on this artifact's resources: a retired artifact disposes of them only once its calls are
   * done. (The work's arguments are passed through rather than closed over: no closure per call.)
   */
  track<C, R, T>(work: (call: C, run: R) => Promise<T>, call: C, run: R): Promise<T> {
    this.running++;
    let pending: Promise<T>;
    try {
      pending = work(call, run);
    } catch (e) {
      pending = Promise.reject(e);
    }
    // Shared callbacks rather than .finally: no closures or extra promises per call.
    return pending.then(this.ended as (value: T) => T, this.failed);
  }

  private readonly ended = <T>(value: T): T => {
    if (--this.running === 0) this.idle?.();
    return value;
  };

  private readonly failed = (e: unknown): never => {
    if (--this.running === 0) this.idle?.();
    throw e;
  };

  /** After a swap: disposes once the calls in flight on this artifact have finished. */
  async retire(): Promise<void> {
    if (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    await this.dispose();
  }

  /** Disposes every handle; a failure is logged, never thrown (the others still close). */
  async dispose(): Promise<void> {
    const handles = [
      ...[...this.sources].map(([name, handle]) => [`source "${name}"`, handle] as const),
      ...[...this.kinds].map(([kind, handle]) => [`the ${kind} kind's resources`, handle] as const)
    ];
    this.sources.clear();
    this.kinds.clear();
    const warn = (what: string) => (e: Error) => this.log.warn(`closing ${what} failed: ${e.message}`);
    const dispose = ([what, handle]: readonly [string, SourceHandle]) => handle.dispose().catch(warn(what));
    await Promise.all(handles.map(dispose));
  }
}
