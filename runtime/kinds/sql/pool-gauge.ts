import type { KindTelemetry } from '../../core/telemetry.js';

/** A source's connections now: in use by a query, idle in the pool, and queries waiting for one. */
export interface PoolUsage {
  readonly used: number;
  readonly free: number;
  readonly pending: number;
}

type PoolState = 'used' | 'free' | 'pending';

/**
 * `mcpgen_sql_pool_connections{source, state}`, read at scrape time from the source's runners (a knex pool per
 * resolved URL; a SQLite source's one thread counts as one connection). Returns the function that stops it.
 */
export function poolGauge(telemetry: KindTelemetry, source: string, usages: () => Iterable<PoolUsage>): () => void {
  return telemetry.gauge<'source' | 'state'>(
    {
      name: 'mcpgen_sql_pool_connections',
      help: 'Connections of each SQL source: used (running a query), free (idle in the pool), pending (queries waiting for one)',
      labelNames: ['source', 'state']
    },
    function* () {
      const total = { used: 0, free: 0, pending: 0 };
      for (const u of usages()) {
        total.used += u.used;
        total.free += u.free;
        total.pending += u.pending;
      }
      for (const state of ['used', 'free', 'pending'] as const satisfies readonly PoolState[])
        yield [{ source, state }, total[state]] as const;
    }
  );
}

/** What a tarn pool (knex's) says of itself. */
export function tarnUsage(pool: { numUsed(): number; numFree(): number; numPendingAcquires(): number } | undefined): PoolUsage {
  if (!pool) return { used: 0, free: 0, pending: 0 };
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() };
}
