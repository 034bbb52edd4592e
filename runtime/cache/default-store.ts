import type { Artifact } from '../artifact/ir.js';

const isRedis = (store: string | undefined): store is string => store !== undefined && /^(rediss?:\/\/|\$\{)/.test(store);

/**
 * Where cached results live when `cache.store` is not set: THE one place that default is decided.
 * The shared state store when there is one (`stateUrl`: `state.store`, `--state` or MCPGEN_STATE, resolved), then
 * the rate-limit store when that is shared (`limits.store` a Redis URL): instances that share their sessions or
 * their limits share their cache too; otherwise this process's memory.
 */
export function defaultCacheStore(artifact: Artifact, stateUrl?: string): string {
  if (stateUrl !== undefined) return stateUrl;
  return isRedis(artifact.limits?.store) ? artifact.limits.store : 'memory';
}

/** The store the artifact's cached entries use, as written (`${VAR}` not yet resolved). */
export function cacheStoreOf(artifact: Artifact, stateUrl?: string): string {
  return artifact.cache?.store ?? defaultCacheStore(artifact, stateUrl);
}
