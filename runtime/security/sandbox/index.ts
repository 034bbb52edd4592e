import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SandboxIR } from '../../artifact/sandbox.js';
import type { Services, ToolExecutor } from '../../kinds/kind.js';
import { workerEntry } from '../../package-root.js';
import { noTelemetry } from '../../core/telemetry.js';
import { SandboxPool } from './pool.js';
import { sandboxSettings, type SandboxSettings } from './settings.js';

export { sandboxDefaults, sandboxSettings, permissionFlag, type SandboxSettings } from './settings.js';

/**
 * The sandboxes of one served artifact, pooled by settings and shared by the tools that have the same: the handler
 * kind's own resources (its `setUp`), disposed by the server on close and once a rebuild's artifact replaced it.
 */
export class SandboxPools {
  private readonly pools = new Map<string, SandboxPool>();
  private readonly stopGauge: () => void;

  constructor(private readonly services: Services) {
    // Services made by hand (tests, embedders) may have no telemetry: nothing is read then.
    this.stopGauge = (services.telemetry ?? noTelemetry.kinds).gauge<'mode' | 'state'>(
      {
        name: 'mcpgen_sandbox_workers',
        help: 'Handler sandboxes (worker threads or strict child processes) by mode, busy running a call or idle',
        labelNames: ['mode', 'state']
      },
      () => this.usage()
    );
  }

  /** Busy and idle sandboxes of every pool, by mode (pools of one mode with other settings add up). */
  private usage(): [{ mode: string; state: string }, number][] {
    const byMode = new Map<string, { busy: number; idle: number }>();
    for (const pool of this.pools.values()) {
      const { mode, busy, idle } = pool.usage;
      const sum = byMode.get(mode) ?? { busy: 0, idle: 0 };
      byMode.set(mode, { busy: sum.busy + busy, idle: sum.idle + idle });
    }
    return [...byMode].flatMap(([mode, n]) => [
      [{ mode, state: 'busy' }, n.busy],
      [{ mode, state: 'idle' }, n.idle]
    ]);
  }

  poolFor(settings: SandboxSettings): SandboxPool {
    const key = JSON.stringify(settings);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new SandboxPool(settings, sandboxEntry(), [join(this.services.artifactDir, 'handlers')], this.services.log);
      this.pools.set(key, pool);
    }
    return pool;
  }

  async dispose(): Promise<void> {
    this.stopGauge();
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }
}

/** The compiled entry script: next to this module in dist/, dist/'s copy when running from the sources, or a bundle's. */
export function sandboxEntry(): string {
  const found = workerEntry(dirname(fileURLToPath(import.meta.url)), ['runtime', 'security', 'sandbox'], 'entry.js');
  if (found) return found;
  throw new Error('the handler sandbox entry entry.js is missing: build mcp-gen (npm run build)');
}

/** A compiled module (relative to the artifact) and how it runs. */
export interface SandboxedModule {
  readonly module: string;
  readonly sandbox?: SandboxIR;
}

/** A handler tool that runs in a worker thread or a strict child process instead of the server's thread. */
export async function sandboxedTool(exec: SandboxedModule, services: Services, pools: SandboxPools, tool: string): Promise<ToolExecutor> {
  const settings = sandboxSettings(exec.sandbox, services.root);
  const pool = pools.poolFor(settings);
  // Each served artifact (each rebuild under `mcp-gen dev`) has its own pools, hence fresh module caches: no generation query.
  const url = pathToFileURL(resolve(services.artifactDir, exec.module)).href;
  try {
    await pool.check(url);
  } catch (e) {
    throw new Error(`handler of tool "${tool}": ${(e as Error).message}`);
  }
  const { telemetry } = services;
  // A span per sandboxed run (a child of the tool call's): time spent waiting for a worker and running in it.
  const attributes = { 'gen_ai.tool.name': tool, 'mcpgen.sandbox.mode': settings.mode };
  return (args, ctx) => telemetry.span(ctx.trace, `sandbox ${tool}`, attributes, () => pool.run(url, args, ctx), 'internal');
}
