import {
  ARTIFACT_FORMAT,
  type Artifact,
  type PromptIR,
  type ResourceIR,
  type ResourceTemplateIR,
  type ToolIR,
  type TransportIR
} from '../../runtime/artifact/ir.js';
import type { SourceIR } from '../../runtime/artifact/ir.js';
import { packageVersion } from '../../runtime/package-root.js';
import { OPS_PATHS } from '../../runtime/observe/paths.js';
import type { LoadedManifest } from '../load/load-manifest.js';
import type { Entry } from '../kinds/kind.js';
import { LowerContext } from './context.js';
import { loweringFor, sourceKinds } from '../kinds/registry.js';
import { lowerPrompt, lowerResource, lowerResourceTemplate, lowerTool } from './entries.js';
import { lowerSecurity } from './security.js';
import { serverDefs } from '../validate/base-schema/server.js';
import { baseDefault, defaultsOf } from '../validate/defaults.js';
import { lowerLimitsAndAudit } from './limits.js';
import { lowerCache } from './cache.js';
import { fitToBudget, type FitCandidate } from './fit.js';
import { listTokens } from './tokens.js';
import { lowerToolsets } from './toolsets.js';
import { lowerSelect } from './select.js';
import { lowerContinuation } from './continuation.js';

export interface Lowered {
  readonly artifact: Artifact;
  readonly ctx: LowerContext;
}

/** The manifest schema's transport defaults (every TransportIR key has one). */
const transportDefaults = defaultsOf(serverDefs.transport!) as unknown as TransportIR;

/**
 * Manifest → IR. Entry descriptors are resolved at build (they are public text shown to every client);
 * `server` and `transport` keep their `${VAR}` references, resolved by the runtime at start.
 */
export interface LowerOptions {
  /** The manifest directory, relative to the artifact directory. */
  readonly manifestDir: string;
  /** Entries with schema errors are not lowered (their errors are already reported). */
  readonly skip: (pointer: string) => boolean;
  /** What each source's kind loaded (async) before lowering, by source name. */
  readonly loaded?: ReadonlyMap<string, unknown>;
}

export function lower(manifest: LoadedManifest, options: LowerOptions): Lowered {
  const ctx = new LowerContext(manifest);
  const { skip } = options;
  const value = manifest.value as Record<string, unknown>;
  const raw = manifest.raw as Record<string, unknown>;

  const tools = collect(value.tools, '/tools', skip, (e, p) => (refines(e) ? refine(e, p, ctx) : lowerTool(e, p, ctx)));
  const resourceEntries = (Array.isArray(value.resources) ? value.resources : []) as Entry[];
  const resources: ResourceIR[] = [];
  const resourceTemplates: ResourceTemplateIR[] = [];
  resourceEntries.forEach((e, i) => {
    const pointer = `/resources/${i}`;
    if (skip(pointer)) return;
    if ('uriTemplate' in e && !('uri' in e)) push(resourceTemplates, lowerResourceTemplate(e, pointer, ctx));
    else if ('uri' in e) push(resources, lowerResource(e, pointer, ctx));
  });
  const prompts = collect(value.prompts, '/prompts', skip, (e, p) => lowerPrompt(e, p, ctx));
  // Sources after the entries: the tools they generate follow the manifest's own.
  const own = [...tools];
  const generated = lowerSources(value, options.loaded ?? new Map(), ctx, tools);
  tools.push(...generated.tools);
  resources.push(...generated.resources);
  resourceTemplates.push(...generated.resourceTemplates);
  prompts.push(...generated.prompts);
  uniqueGenerated(ctx, tools, new Set(generated.tools), (t) => t.name, 'tool name');
  uniqueGenerated(ctx, resources, new Set(generated.resources), (r) => r.uri, 'resource URI');
  uniqueGenerated(ctx, resourceTemplates, new Set(generated.resourceTemplates), (r) => r.uriTemplate, 'resource URI template');
  uniqueGenerated(ctx, prompts, new Set(generated.prompts), (p) => p.name, 'prompt name');

  unique(ctx, (Array.isArray(value.tools) ? value.tools : []) as Entry[], '/tools', 'name', 'tool name');
  unique(ctx, resourceEntries, '/resources', 'name', 'resource name');
  unique(ctx, resourceEntries, '/resources', 'uri', 'resource URI');
  unique(ctx, resourceEntries, '/resources', 'uriTemplate', 'resource URI template');
  unique(ctx, (Array.isArray(value.prompts) ? value.prompts : []) as Entry[], '/prompts', 'name', 'prompt name');

  const sets = lowerToolsets(
    value,
    { own, sources: generated.all, root: tools, compacted: generated.compacted, budget: generated.budget },
    ctx
  );
  tools.push(...sets.tools);
  const server = (raw.server ?? {}) as Record<string, unknown>;
  const resolvedServer = (value.server ?? {}) as Record<string, unknown>;
  const artifact: Artifact = {
    format: ARTIFACT_FORMAT,
    generator: { name: 'mcp-gen', version: packageVersion() },
    manifestDir: options.manifestDir,
    server: {
      name: String(server.name ?? ''),
      version: String(server.version ?? ''),
      ...(server.title !== undefined ? { title: String(server.title) } : {}),
      ...(server.instructions !== undefined ? { instructions: String(server.instructions) } : {}),
      pageSize: typeof resolvedServer.pageSize === 'number' ? resolvedServer.pageSize : baseDefault<number>('server', 'pageSize')
    },
    transport: { ...transportDefaults, ...((raw.transport ?? {}) as Partial<TransportIR>) },
    sources: { ...generated.sources, ...sets.sources },
    tools,
    resources,
    resourceTemplates,
    prompts,
    ...(sets.toolsets ? { toolsets: sets.toolsets } : {})
  };
  reservedPath(ctx, artifact.transport.path);
  return {
    artifact: lowerCache(lowerLimitsAndAudit(lowerSecurity(lowerContinuation(lowerSelect(artifact, ctx), ctx), ctx), ctx), ctx),
    ctx
  };
}

/** /healthz, /readyz and /metrics are answered before the MCP endpoint: one there could never be reached. */
function reservedPath(ctx: LowerContext, path: string): void {
  if (!OPS_PATHS.includes(path)) return;
  ctx.error(
    'MCPGEN_INVALID_VALUE',
    `transport.path ${path} is reserved for the operational endpoints (${OPS_PATHS.join(', ')})`,
    '/transport/path',
    {
      hint: 'choose another endpoint path, e.g. transport.path: /mcp'
    }
  );
}

function collect<T extends ToolIR | PromptIR>(
  list: unknown,
  base: string,
  skip: (pointer: string) => boolean,
  lowerOne: (e: Entry, pointer: string) => T | undefined
): T[] {
  const out: T[] = [];
  if (!Array.isArray(list)) return out;
  list.forEach((e, i) => {
    if (!skip(`${base}/${i}`)) push(out, lowerOne(e as Entry, `${base}/${i}`));
  });
  return out;
}

function push<T>(list: T[], item: T | undefined): void {
  if (item !== undefined) list.push(item);
}

function unique(ctx: LowerContext, entries: readonly Entry[], base: string, key: string, what: string): void {
  const first = new Map<string, number>();
  entries.forEach((e, i) => {
    // An empty list item (`- `) is null: the schema reports it; nothing to compare here.
    const v = (e as Entry | null)?.[key];
    if (typeof v !== 'string') return;
    const earlier = first.get(v);
    if (earlier === undefined) first.set(v, i);
    else ctx.error('MCPGEN_DUPLICATE_NAME', `duplicate ${what} "${v}" (first declared at ${base}/${earlier})`, `${base}/${i}/${key}`);
  });
}

/** Entries whose kind generates tools from its sources, which these refine (OpenAPI `operation:`). */
function refines(entry: Entry | null): boolean {
  return entry !== null && loweringFor('tool', entry)?.overrides === true;
}

/** A refining entry is only checked here: its source's lowering reads it. */
function refine(entry: Entry, pointer: string, ctx: LowerContext): undefined {
  loweringFor('tool', entry)?.lower(entry, { name: String(entry.name ?? ''), pointer, declared: [] }, ctx);
  return undefined;
}

/**
 * Every source, by the kind its key selects, in registry order: its run-time settings and generated tools. Sources
 * that offer a compact form (`mode: auto`) are fitted to server.tokenBudget beside the manifest's own tools.
 */
function lowerSources(value: Record<string, unknown>, loaded: ReadonlyMap<string, unknown>, ctx: LowerContext, own: readonly ToolIR[]) {
  const sources: Record<string, SourceIR> = {};
  const out = {
    tools: [] as ToolIR[],
    resources: [] as ResourceIR[],
    resourceTemplates: [] as ResourceTemplateIR[],
    prompts: [] as PromptIR[]
  };
  const declared = Object.entries((value.sources ?? {}) as Record<string, Entry>);
  const all: FitCandidate[] = [];
  for (const { source: kind } of sourceKinds()) {
    for (const [name, settings] of declared) {
      if (settings?.[kind.key] === undefined) continue;
      const lowered = kind.lower(name, settings, loaded.get(name), ctx);
      if (lowered) all.push({ name, lowered });
    }
  }
  const candidates = all.filter((c) => c.lowered.compact !== undefined);
  const others = [...own, ...all.filter((c) => c.lowered.compact === undefined).flatMap((c) => c.lowered.tools ?? [])];
  const budget = (value.server as { tokenBudget?: number } | undefined)?.tokenBudget ?? baseDefault<number>('server', 'tokenBudget');
  const compacted = candidates.length > 0 ? fitToBudget(listTokens(others), candidates, budget, ctx) : new Set<string>();
  for (const { name, lowered: full } of all) {
    const compact = full.compact;
    const lowered = compacted.has(name) && compact && 'tools' in compact ? { ...full, ...compact } : full;
    if (lowered.source) sources[name] = lowered.source;
    out.tools.push(...(lowered.tools ?? []));
    out.resources.push(...(lowered.resources ?? []));
    out.resourceTemplates.push(...(lowered.resourceTemplates ?? []));
    out.prompts.push(...(lowered.prompts ?? []));
  }
  return { sources, ...out, all, compacted, budget };
}

/** A generated entry may not take a name (or URI) the manifest, or another source, already uses. */
function uniqueGenerated<T extends { readonly at: { readonly pointer: string } }>(
  ctx: LowerContext,
  entries: readonly T[],
  generated: ReadonlySet<T>,
  keyOf: (entry: T) => string,
  what: string
): void {
  const seen = new Map<string, T>();
  for (const e of entries) {
    const key = keyOf(e);
    const first = seen.get(key);
    if (first && (generated.has(first) || generated.has(e)) && first.at.pointer !== e.at.pointer) {
      const hint = 'rename one (an override entry of its source, or a prefix)';
      ctx.error('MCPGEN_DUPLICATE_NAME', `${what} "${key}" is used twice (also at ${first.at.pointer}); ${hint}`, e.at.pointer);
    }
    seen.set(key, first ?? e);
  }
}
