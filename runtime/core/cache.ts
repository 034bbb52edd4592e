import type { CacheHint } from './envelope.js';

/**
 * Caching hints derived from the manifest: everything declared statically is public and stable for an hour;
 * files on disk may change, so their reads get a short TTL.
 */
export const cacheHints = {
  lists: { ttlMs: 3_600_000, cacheScope: 'public' },
  discover: { ttlMs: 3_600_000, cacheScope: 'public' },
  staticRead: { ttlMs: 3_600_000, cacheScope: 'public' },
  fileRead: { ttlMs: 60_000, cacheScope: 'public' }
} as const satisfies Record<string, CacheHint>;
