import type { SqlSourceIR } from '../../../runtime/kinds/sql/ir.js';
import { dialectOfUrl } from '../../../runtime/kinds/sql/connection.js';
import type { LowerContext } from '../../lower/context.js';
import type { CheckMode } from '../kind.js';
import { defaultOf } from '../../validate/defaults.js';
import { sqlSchema } from './manifest-schema.js';
import { obj } from '../../plain.js';

const sourceSchema = sqlSchema.defs!.sqlSource!;
/** The manifest schema's defaults of a source. */
const defaults = {
  readOnly: defaultOf<boolean>(sourceSchema, 'readOnly'),
  min: defaultOf<number>(sourceSchema, 'pool', 'min'),
  max: defaultOf<number>(sourceSchema, 'pool', 'max'),
  statementTimeoutMs: defaultOf<number>(sourceSchema, 'statementTimeoutMs'),
  check: defaultOf<CheckMode>(sourceSchema, 'check')
};

export interface LoweredSource {
  readonly ir: SqlSourceIR;
  /** The URL with `${VAR}` resolved at build (for the build-time check only; never stored). */
  readonly url: string;
  /** Absolute path of the seed SQL file (SQLite). */
  readonly seed?: string;
  /** The source's own build-time check setting. */
  readonly check: CheckMode;
}

const lowered = new WeakMap<LowerContext, Map<string, LoweredSource>>();

/** The manifest's SQL sources (`database:`), lowered once per build. */
export function sqlSources(ctx: LowerContext): Map<string, LoweredSource> {
  let out = lowered.get(ctx);
  if (out) return out;
  out = new Map();
  lowered.set(ctx, out);
  const raw = obj(obj(ctx.manifest.raw).sources);
  for (const [name, settings] of Object.entries(obj(obj(ctx.manifest.value).sources))) {
    const s = obj(settings);
    if (typeof s.database !== 'string') continue;
    const pointer = `/sources/${name}`;
    const dialect = dialectOfUrl(s.database);
    // The schema's pattern already reported an unsupported scheme.
    if (!dialect) continue;
    let seed: string | undefined;
    if (typeof s.seed === 'string') {
      if (dialect !== 'sqlite') ctx.error('MCPGEN_SQL_SOURCE', `source "${name}": seed: is for SQLite files only`, `${pointer}/seed`);
      else {
        const rel = ctx.existingPath(s.seed, `${pointer}/seed`, 'file');
        if (rel !== undefined) seed = ctx.absolute(rel);
      }
    }
    if (s.isolation !== undefined && dialect !== 'sqlite')
      ctx.error(
        'MCPGEN_SQL_SOURCE',
        `source "${name}": isolation: is for SQLite only (the database servers stop statements themselves)`,
        `${pointer}/isolation`
      );
    const pool = obj(s.pool);
    const ir: SqlSourceIR = {
      kind: 'sql',
      dialect,
      database: typeof obj(raw[name]).database === 'string' ? String(obj(raw[name]).database) : s.database,
      readOnly: typeof s.readOnly === 'boolean' ? s.readOnly : defaults.readOnly,
      pool: { min: typeof pool.min === 'number' ? pool.min : defaults.min, max: typeof pool.max === 'number' ? pool.max : defaults.max },
      statementTimeoutMs: typeof s.statementTimeoutMs === 'number' ? s.statementTimeoutMs : defaults.statementTimeoutMs,
      ...(dialect === 'sqlite' && s.isolation === 'process' ? { isolation: 'process' as const } : {})
    };
    if (ir.pool.min > ir.pool.max)
      ctx.error(
        'MCPGEN_SQL_SOURCE',
        `source "${name}": pool.min (${ir.pool.min}) is larger than pool.max (${ir.pool.max})`,
        `${pointer}/pool`
      );
    const check = s.check === 'required' || s.check === 'off' || s.check === 'auto' ? s.check : defaults.check;
    out.set(name, { ir, url: s.database, check, ...(seed ? { seed } : {}) });
  }
  return out;
}
