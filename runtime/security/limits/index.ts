import type { Artifact } from '../../artifact/ir.js';
import { ArtifactError } from '../../artifact/load.js';
import type { Middleware } from '../../core/pipeline.js';
import { interpolateEnv } from '../../env.js';
import type { Logger } from '../../log.js';
import { createLimits } from './limits.js';
import { MemoryStore } from './memory-store.js';
import { RedisStore, redactUrl } from './redis-store.js';
import type { LimitStore } from './store.js';
import { DEFAULT_STATE } from '../../state/index.js';

export { createLimits, type Limits } from './limits.js';
export { MemoryStore } from './memory-store.js';
export { RedisStore } from './redis-store.js';

/**
 * The limit stores of one McpCore. A swap (mcp-gen dev) that keeps the same store keeps its buckets, so
 * reloading the manifest does not hand every caller a fresh allowance.
 */
export class LimitStores {
  private current: { readonly url: string; readonly store: LimitStore } | undefined;

  /** The `limits:` middleware of an artifact (undefined without `limits:`); a Redis URL's `${VAR}`s are resolved here. */
  async middlewareFor(
    artifact: Artifact,
    log: Logger,
    env: NodeJS.ProcessEnv = process.env,
    /** The shared state store's URL (resolved): where buckets go when limits.store is not written. */
    stateUrl?: string
  ): Promise<Middleware | undefined> {
    const config = artifact.limits;
    if (!config) {
      await this.close();
      return undefined;
    }
    const { value: url, missing } = config.storeUnset && stateUrl ? { value: stateUrl, missing: [] } : interpolateEnv(config.store, env);
    if (missing.length > 0)
      throw new ArtifactError(`limits.store uses ${missing.join(', ')}, which is not set: set it, or use store: memory`);
    if (url !== 'memory' && !/^rediss?:\/\/\S+$/.test(url))
      throw new ArtifactError(`limits.store must be memory or a redis:// URL, got ${JSON.stringify(redactUrl(url))}`);
    if (this.current?.url !== url) {
      const previous = this.current?.store;
      this.current = {
        url,
        store: url === 'memory' ? new MemoryStore() : await RedisStore.connect(url, log, { onStoreError: config.onStoreError })
      };
      // Calls still running on the old store only lose their slot release, which its expiry covers.
      await previous?.close();
    }
    // Keys under state.prefix, as every other key of the deployment: deployments sharing one Redis stay apart.
    const keyPrefix = artifact.state?.prefix ?? DEFAULT_STATE.prefix;
    return createLimits(config, this.current.store, { namespace: artifact.server.name, keyPrefix, log }).middleware;
  }

  /** The current store's readiness probe by name (limits.store a Redis URL); empty for memory or without `limits:`. */
  dependencies(): Map<string, () => Promise<void>> {
    const dependency = this.current?.store.dependency;
    return dependency ? new Map([[dependency.name, () => dependency.ready()]]) : new Map();
  }

  async close(): Promise<void> {
    const store = this.current?.store;
    this.current = undefined;
    await store?.close();
  }
}
