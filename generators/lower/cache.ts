import type { Artifact, CacheIR, CacheSettingsIR, ResourceIR, ResourceTemplateIR, ToolIR } from '../../runtime/artifact/ir.js';
import { hasEnvReference } from '../../runtime/env.js';
import { readOnlyByKind, readOnlyKindsText } from '../kinds/registry.js';
import type { Cache, EntryCache, Manifest } from '../manifest-types.js';
import { obj, unchecked } from '../plain.js';
import { baseDefault } from '../validate/defaults.js';
import { valueAt } from '../validate/pointer.js';
import type { LowerContext } from './context.js';

const defaultTtl = baseDefault<number>('entryCache', 'ttl');
const defaultMaxBytes = baseDefault<number>('cache', 'maxBytes');

/**
 * `cache:` of tools, resources and resource templates, and the top-level `cache:` → IR. Read from the manifest
 * entry each IR entry came from (its `at`), so it also reaches tools a source generates and an entry refines
 * (OpenAPI `operation:`). A tool may be cached only if it only reads: a cached answer skips the tool's work, so a
 * tool that changes something would silently stop doing it.
 */
export function lowerCache(artifact: Artifact, ctx: LowerContext): Artifact {
  const scope: CacheIR['scope'] = artifact.auth ? 'principal' : 'shared';
  const policyOf = (pointer: string): CacheIR | undefined => {
    const entry = obj(valueAt(ctx.manifest.value, pointer));
    if (entry.cache === undefined) return undefined;
    const c = unchecked<EntryCache>(entry.cache);
    return {
      ttlMs: (typeof c.ttl === 'number' ? c.ttl : defaultTtl) * 1000,
      scope: c.scope === 'shared' || c.scope === 'principal' ? c.scope : scope
    };
  };
  const tools = artifact.tools.map((t): ToolIR => {
    const cache = policyOf(t.at.pointer);
    if (!cache) return t;
    if (obj(t.descriptor.annotations).readOnlyHint === true || readOnlyByKind(t)) return { ...t, cache };
    ctx.error('MCPGEN_CACHE_NOT_READ_ONLY', `tool "${t.name}" is not read-only, so its results cannot be cached`, `${t.at.pointer}/cache`, {
      key: true,
      hint: `Expected a read-only tool: annotations: { readOnlyHint: true } (only if it changes nothing), ${readOnlyKindsText()}; otherwise remove cache:.`
    });
    return t;
  });
  const withCache = <E extends ResourceIR | ResourceTemplateIR>(e: E): E => {
    const cache = policyOf(e.at.pointer);
    return cache ? { ...e, cache } : e;
  };
  const resources = artifact.resources.map(withCache);
  const resourceTemplates = artifact.resourceTemplates.map(withCache);
  // Split results (`maxResultBytes`) are kept in the cache store too.
  const used = [...tools, ...resources, ...resourceTemplates].some((e) => e.cache !== undefined) || tools.some((t) => t.continuation);
  const settings = used || obj(ctx.manifest.value).cache !== undefined ? cacheSettings(ctx) : undefined;
  return { ...artifact, tools, resources, resourceTemplates, ...(settings ? { cache: settings } : {}) };
}

/** The top-level `cache:`; the store keeps its `${VAR}` references (a Redis URL may carry a password). */
function cacheSettings(ctx: LowerContext): CacheSettingsIR {
  const value = unchecked<Cache>(unchecked<Manifest>(ctx.manifest.value).cache);
  const raw = unchecked<Cache>(unchecked<Manifest>(ctx.manifest.raw).cache);
  const store = typeof raw.store === 'string' ? raw.store : undefined;
  if (store !== undefined && !hasEnvReference(store) && store !== 'memory' && !/^rediss?:\/\/\S+$/.test(store)) {
    ctx.error('MCPGEN_INVALID_VALUE', `cache.store must be memory or a redis:// URL, got ${JSON.stringify(store)}`, '/cache/store', {
      hint: 'Write store: memory (one process) or store: redis://host:6379 (shared by every instance); ${VAR} works.'
    });
  }
  return {
    ...(store !== undefined ? { store } : {}),
    maxBytes: typeof value.maxBytes === 'number' ? value.maxBytes : defaultMaxBytes
  };
}
