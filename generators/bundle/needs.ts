import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Artifact } from '../../runtime/artifact/ir.js';
import { packageRoot } from '../../runtime/package-root.js';
import { generatorKinds } from '../kinds/registry.js';

/** What limits load by name (runtime/security/limits/redis-store.ts) when their store is Redis. */
const REDIS_CLIENT = 'ioredis';

/** What a server bundle of one artifact needs besides server.mjs and the artifact. */
export interface BundleNeeds {
  /** npm packages to install, name → the exact version mcp-gen (or, failing that, the project) has installed. */
  readonly packages: Readonly<Record<string, string>>;
  /** Worker entry scripts: file name in workers/ → the runtime module compiled into it. */
  readonly workers: Readonly<Record<string, URL>>;
  /** Files and folders the server reads at run time, relative to the manifest directory. */
  readonly files: readonly string[];
}

/** Packages kept out of server.mjs, whatever the manifest: each kind's, and the Redis client. */
export function externalPackages(): string[] {
  return [...new Set([...Object.values(generatorKinds).flatMap((k) => k.deploy?.external ?? []), REDIS_CLIENT])].sort();
}

/**
 * Asks every kind what this artifact needs of it (`deploy.needs`), and adds the Redis client when `limits:`
 * keeps its counters in Redis. `files` are the artifact's files (path in the artifact directory → content).
 */
export async function bundleNeeds(artifact: Artifact, files: ReadonlyMap<string, string>, manifestDir: string): Promise<BundleNeeds> {
  const packages = new Set<string>();
  const workers: Record<string, URL> = {};
  const paths = new Set<string>();
  for (const kind of Object.values(generatorKinds)) {
    const needs = await kind.deploy?.needs(artifact, files);
    for (const name of needs?.packages ?? []) packages.add(name);
    Object.assign(workers, needs?.workers);
    for (const path of needs?.files ?? []) paths.add(path);
  }
  // Stores kept in Redis (rate limits, shared state, cached results). A store given only at run time (--state,
  // MCPGEN_STATE) needs `npm install ioredis` in the bundle: docs/deploy.md says so.
  const stores = [artifact.limits?.store, artifact.state?.store, artifact.cache?.store];
  if (stores.some((store) => store !== undefined && store !== 'memory')) packages.add(REDIS_CLIENT);
  const versions: Record<string, string> = {};
  for (const name of [...packages].sort()) versions[name] = installedVersion(name, [packageRoot(), manifestDir]);
  return { packages: versions, workers, files: [...paths].sort() };
}

/**
 * The version of `name` installed where Node would find it from the first of `from` that has it: mcp-gen's own
 * (what its lock file pinned), then the project's (a handler's imports). `*` when neither has it.
 */
export function installedVersion(name: string, from: readonly string[]): string {
  for (const start of from) {
    for (let dir = start; ; dir = dirname(dir)) {
      const file = join(dir, 'node_modules', name, 'package.json');
      if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
      if (dirname(dir) === dir) break;
    }
  }
  return '*';
}
