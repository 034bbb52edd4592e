import { createHash } from 'node:crypto';
import type { LoadedArtifact } from '../artifact/load.js';
import { ArtifactError } from '../artifact/load.js';
import { interpolateEnv } from '../env.js';
import type { Logger } from '../log.js';
import { cacheStoreOf } from './default-store.js';
import { MemoryCacheStore } from './memory-store.js';
import { RedisCacheStore, redactRedisUrl } from './redis-store.js';
import { ResultCache } from './result-cache.js';
import { DEFAULT_STATE } from '../state/index.js';

export { ResultCache, type CachePolicy, type Through } from './result-cache.js';
export { MemoryCacheStore } from './memory-store.js';
export { RedisCacheStore } from './redis-store.js';
export { canonicalJson, cacheKey } from './key.js';
export type { CacheStore, Cached } from './store.js';

/**
 * The result caches of one McpCore. Each served artifact gets its own cache, so a `mcp-gen dev` reload starts
 * empty: a new LRU in memory; in Redis a new namespace (the artifact's digest and the reload's generation; the
 * old keys expire by their TTL). The Redis connection itself is kept across reloads that keep the same URL.
 */
export class ResultCaches {
  private shared: { readonly url: string; readonly keyPrefix: string; readonly store: RedisCacheStore } | undefined;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** The shared state store's URL, when it is Redis: the default store of cached results. */
    private readonly stateUrl?: string
  ) {}

  /** The artifact's cache; undefined when no entry has `cache:` and no tool splits its results (`maxResultBytes`). */
  async forArtifact(loaded: LoadedArtifact, log: Logger): Promise<ResultCache | undefined> {
    const { artifact } = loaded;
    const entries = [...artifact.tools, ...artifact.resources, ...artifact.resourceTemplates];
    const used = entries.some((e) => e.cache !== undefined) || artifact.tools.some((t) => t.continuation !== undefined);
    if (!used || !artifact.cache) {
      await this.close();
      return undefined;
    }
    const written = cacheStoreOf(artifact, this.stateUrl);
    const { value: url, missing } = interpolateEnv(written, this.env);
    if (missing.length > 0)
      throw new ArtifactError(`cache.store uses ${missing.join(', ')}, which is not set: set it, or use store: memory`);
    if (url === 'memory') {
      await this.close();
      return new ResultCache(new MemoryCacheStore(artifact.cache.maxBytes), '');
    }
    if (!/^rediss?:\/\/\S+$/.test(url))
      throw new ArtifactError(`cache.store must be memory or a redis:// URL, got ${JSON.stringify(redactRedisUrl(url))}`);
    // Under state.prefix, as every other key of the deployment: deployments sharing one Redis stay apart.
    const keyPrefix = `${artifact.state?.prefix ?? DEFAULT_STATE.prefix}cache:`;
    if (this.shared?.url !== url || this.shared.keyPrefix !== keyPrefix) {
      await this.close();
      this.shared = { url, keyPrefix, store: await RedisCacheStore.connect(url, log, { keyPrefix }) };
    }
    const digest = createHash('sha256').update(JSON.stringify(artifact)).digest('base64url').slice(0, 16);
    return new ResultCache(this.shared.store, `${artifact.server.name}:${digest}:${loaded.generation}:`);
  }

  /** The shared store's readiness probe by name; empty for memory or without cached entries. */
  dependencies(): Map<string, () => Promise<void>> {
    const dependency = this.shared?.store.dependency;
    return dependency ? new Map([[dependency.name, () => dependency.ready()]]) : new Map();
  }

  async close(): Promise<void> {
    const store = this.shared?.store;
    this.shared = undefined;
    await store?.close();
  }
}
