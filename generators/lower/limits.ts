import type { Artifact, AuditIR, LimitsIR, RateIR, ToolLimitsIR } from '../../runtime/artifact/ir.js';
import { hasEnvReference } from '../../runtime/env.js';
import type { LowerContext } from './context.js';
import type { Audit, Limits, Manifest, ToolLimits } from '../manifest-types.js';
import { baseDefault } from '../validate/defaults.js';
import { obj, unchecked, type Unchecked } from '../plain.js';

const defaultStore = baseDefault<string>('limits', 'store');
const defaultOnStoreError = baseDefault<LimitsIR['onStoreError']>('limits', 'onStoreError');
const defaultFlushMs = baseDefault<number>('audit', 'flushMs');

const windows: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** `60/minute` or `{ rate: 60/minute, burst: 10 }` (shape already checked by the schema). */
export function lowerRate(value: unknown): RateIR | undefined {
  const text = typeof value === 'string' ? value : obj(value).rate;
  const m = typeof text === 'string' ? /^([1-9][0-9]*)\/(second|minute|hour|day)$/.exec(text) : null;
  if (!m) return undefined;
  const limit = Number(m[1]);
  const burst = obj(value).burst;
  return { limit, windowMs: windows[m[2]!]!, burst: typeof burst === 'number' ? burst : limit, text: text as string };
}

/** A store is `memory` or a Redis URL; one written with `${VAR}` is checked at start, when it is resolved. */
function isStoreUrl(store: string): boolean {
  return store === 'memory' || /^rediss?:\/\/[^\s]+$/.test(store);
}

/**
 * `limits:` and `audit:` → IR. The store keeps its `${VAR}` references (a Redis URL may carry a password);
 * per-tool limits must name a tool the build serves.
 */
export function lowerLimitsAndAudit(artifact: Artifact, ctx: LowerContext): Artifact {
  const value = unchecked<Manifest>(ctx.manifest.value);
  const raw = unchecked<Limits>(unchecked<Manifest>(ctx.manifest.raw).limits);
  const limits = value.limits === undefined ? undefined : lowerLimits(unchecked<Limits>(value.limits), raw, artifact, ctx);
  const audit = value.audit === undefined ? undefined : lowerAudit(unchecked<Audit>(value.audit));
  const state = value.state === undefined ? undefined : lowerState(obj(unchecked<Manifest>(ctx.manifest.raw).state), ctx);
  return { ...artifact, ...(state ? { state } : {}), ...(limits ? { limits } : {}), ...(audit ? { audit } : {}) };
}

/** `state:`: the store keeps its `${VAR}` references, like limits.store (runtime/state resolves them at start). */
function lowerState(raw: Record<string, unknown>, ctx: LowerContext): { store: string; prefix: string } {
  const store = typeof raw.store === 'string' ? raw.store : 'memory';
  if (!hasEnvReference(store) && !isStoreUrl(store)) {
    ctx.error('MCPGEN_INVALID_VALUE', `state.store must be memory or a redis:// URL, got ${JSON.stringify(store)}`, '/state/store', {
      hint: 'Write store: memory (one process) or store: redis://host:6379 (shared by every instance); ${VAR} works.'
    });
  }
  return { store, prefix: typeof raw.prefix === 'string' ? raw.prefix : 'mcpgen:' };
}

function lowerLimits(value: Unchecked<Limits>, raw: Unchecked<Limits>, artifact: Artifact, ctx: LowerContext): LimitsIR {
  const store = typeof raw.store === 'string' ? raw.store : defaultStore;
  if (!hasEnvReference(store) && !isStoreUrl(store)) {
    ctx.error('MCPGEN_INVALID_VALUE', `limits.store must be memory or a redis:// URL, got ${JSON.stringify(store)}`, '/limits/store', {
      hint: 'Write store: memory (one process) or store: redis://host:6379 (shared by every instance); ${VAR} works.'
    });
  }
  // Tools skipped for their own errors still count as declared: no second error for them here.
  const entries = unchecked<Manifest>(ctx.manifest.value).tools;
  const declared = (Array.isArray(entries) ? (entries as unknown[]) : []).map((t) => obj(t).name);
  const names = new Set([...artifact.tools.map((t) => t.name), ...declared.filter((n): n is string => typeof n === 'string')]);
  const tools: Record<string, ToolLimitsIR> = {};
  for (const [name, entry] of Object.entries(obj(value.tools))) {
    if (!names.has(name)) {
      const known = [...names].slice(0, 20).join(', ');
      ctx.error(
        'MCPGEN_INVALID_VALUE',
        `limits.tools names "${name}", which is not a tool of this server (tools: ${known || 'none'})`,
        `/limits/tools/${name}`,
        {
          key: true,
          hint: 'Name a tool declared under tools: or generated from a source (`mcp-gen list` shows them all).'
        }
      );
      continue;
    }
    tools[name] = rates(unchecked<ToolLimits>(entry), ['tool', 'principalTool']);
  }
  return {
    store,
    ...(typeof raw.store === 'string' ? {} : { storeUnset: true as const }),
    onStoreError: value.onStoreError === 'open' || value.onStoreError === 'closed' ? value.onStoreError : defaultOnStoreError,
    ...rates(value, ['global', 'principal', 'tool', 'principalTool']),
    tools
  };
}

type Rates<K extends string> = Partial<Record<K, RateIR>> & { concurrency?: number };

function rates<K extends string>(value: Unchecked<Record<K | 'concurrency', unknown>>, keys: readonly K[]): Rates<K> {
  const out: Rates<K> = {};
  for (const k of keys) {
    const rate = lowerRate(value[k]);
    if (rate) out[k] = rate as (typeof out)[K];
  }
  if (typeof value.concurrency === 'number') out.concurrency = value.concurrency;
  return out;
}

function lowerAudit(value: Unchecked<Audit>): AuditIR {
  const file = obj(value.sink).file;
  if (typeof file !== 'string') return { sink: 'stderr' };
  return { sink: 'file', path: file, flushMs: typeof value.flushMs === 'number' ? value.flushMs : defaultFlushMs };
}
