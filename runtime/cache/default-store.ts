import type { Artifact } from '../artifact/ir.js';

const isRedis = (store: string | undefined): store is string => store !== undefined && /^(rediss?:\/\/|\$\{)/.test(store);

/**
 * Where cached results live when `cache.store` is not set: THE one place that default is decided.
 * Today: the rate-limit store when that is shared (`limits.store` a Redis URL), so several instances that share
 * their limits share their cache too; otherwise this process's memory.
 * (Issue 15 adds a top-level `state.store`: at merge, this returns it first.)
 */
export function defaultCacheStore(artifact: Artifact): string {
  return isRedis(artifact.limits?.store) ? artifact.limits.store : 'memory';
}

/** The store the artifact's cached entries use, as written (`${VAR}` not yet resolved). */
export function cacheStoreOf(artifact: Artifact): string {
  return artifact.cache?.store ?? defaultCacheStore(artifact);
}
