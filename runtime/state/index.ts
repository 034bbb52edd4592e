import { ArtifactError } from '../artifact/load.js';
import { interpolateEnv } from '../env.js';
import type { Logger } from '../log.js';
import { MemoryStateStore } from './memory.js';
import { redactStateUrl } from './redis.js';
import type { StateStore } from './store.js';

export type { Bus, SessionRecord, StateStore, StoredEvent } from './store.js';
export { MemoryStateStore } from './memory.js';

/** `state:` of the manifest (IR), its store still unresolved (`${VAR}` kept: a Redis URL may carry a password). */
export interface StateSetting {
  readonly store: string;
  readonly prefix: string;
}

export const DEFAULT_STATE: StateSetting = { store: 'memory', prefix: 'mcpgen:' };

/**
 * The store to use: `--state` wins over MCPGEN_STATE, which wins over the manifest's `state.store`; `${VAR}`s are
 * resolved here, at start, and the resolved URL is never written anywhere. `source` names where it came from for errors.
 */
export function resolveStateSetting(
  manifest: StateSetting | undefined,
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env
): { url: string; prefix: string } {
  const fromEnv = env.MCPGEN_STATE === '' ? undefined : env.MCPGEN_STATE;
  const [raw, source] =
    flag !== undefined
      ? [flag, '--state']
      : fromEnv !== undefined
        ? [fromEnv, 'MCPGEN_STATE']
        : [manifest?.store ?? 'memory', 'state.store'];
  const { value: url, missing } = interpolateEnv(raw, env);
  if (missing.length > 0) throw new ArtifactError(`${source} uses ${missing.join(', ')}, which is not set: set it, or use memory`);
  if (url !== 'memory' && !/^rediss?:\/\/\S+$/.test(url))
    throw new ArtifactError(`${source} must be memory or a redis:// (rediss://) URL, got ${JSON.stringify(redactStateUrl(url))}`);
  return { url, prefix: manifest?.prefix ?? DEFAULT_STATE.prefix };
}

/**
 * Opens the store: memory at once; Redis through a dynamic import (memory users never load ioredis), never failing
 * for an unreachable server (the store reports itself to /readyz and reconnects). `secret`: MCPGEN_STATE_KEY, the
 * configured requestState key, which wins over the one kept in Redis.
 */
export async function openStateStore(
  setting: { url: string; prefix: string },
  log: Logger,
  secret: string | undefined = process.env.MCPGEN_STATE_KEY || undefined
): Promise<StateStore> {
  if (setting.url === 'memory') return new MemoryStateStore(false, secret);
  const { RedisStateStore } = await import('./redis.js');
  const store = await RedisStateStore.connect(setting.url, setting.prefix, log, secret);
  log.info(`state store ${redactStateUrl(setting.url)} (prefix ${setting.prefix}): 2025 sessions are shared by every instance using it`);
  return store;
}
