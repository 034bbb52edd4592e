import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SandboxIR } from '../../artifact/ir.js';
import type { Services, ToolExecutor } from '../../kinds/kind.js';
import { packageRoot } from '../../package-root.js';
import { SandboxPool } from './pool.js';
import { sandboxSettings, type SandboxSettings } from './settings.js';

export { sandboxDefaults, sandboxSettings, permissionFlag, type SandboxSettings } from './settings.js';

/** Pools per catalog (one set per artifact generation), shared by tools with the same settings. */
const pools = new WeakMap<Services, Map<string, SandboxPool>>();
/** Every pool not yet closed, for shutdown. */
const open = new Set<SandboxPool>();
/** A catalog replaced by `mcp-gen dev` is dropped: its sandboxes stop once its executors are collected. */
const retire = new FinalizationRegistry<SandboxPool>((pool) => {
  open.delete(pool);
  pool.close();
});

/** Shutdown, once calls have drained: stops every sandbox. */
export function closeSandboxes(): void {
  for (const pool of open) pool.close();
  open.clear();
}

/** The compiled entry script: next to this module in dist/, or dist/'s copy when running from the sources. */
export function sandboxEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'entry.js'), join(packageRoot(), 'dist', 'runtime', 'security', 'sandbox', 'entry.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`the handler sandbox entry ${join(here, 'entry.js')} is missing: build mcp-gen (npm run build)`);
}

/** A handler tool that runs in a worker thread or a strict child process instead of the server's thread. */
export async function sandboxedTool(exec: { module: string; sandbox?: SandboxIR }, services: Services, tool: string): Promise<ToolExecutor> {
  const settings = sandboxSettings(exec.sandbox, services.root);
  const pool = poolFor(services, settings);
  // Each catalog (each rebuild under `mcp-gen dev`) has its own pools, hence fresh module caches: no generation query.
  const url = pathToFileURL(resolve(services.artifactDir, exec.module)).href;
  try {
    await pool.check(url);
  } catch (e) {
    throw new Error(`handler of tool "${tool}": ${(e as Error).message}`);
  }
  const execute: ToolExecutor = (args, ctx) => pool.run(url, args, ctx);
  retire.register(execute, pool);
  return execute;
}

function poolFor(services: Services, settings: SandboxSettings): SandboxPool {
  let byKey = pools.get(services);
  if (!byKey) pools.set(services, (byKey = new Map()));
  const key = JSON.stringify(settings);
  let pool = byKey.get(key);
  if (!pool) {
    byKey.set(key, (pool = new SandboxPool(settings, sandboxEntry(), [join(services.artifactDir, 'handlers')], services.log)));
    open.add(pool);
  }
  return pool;
}
