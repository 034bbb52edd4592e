import { ARTIFACT_FORMAT, type Artifact, type PromptIR, type ResourceIR, type ResourceTemplateIR, type ToolIR, type TransportIR } from '../../runtime/artifact/ir.js';
import { packageVersion } from '../../runtime/package-root.js';
import type { LoadedManifest } from '../load/load-manifest.js';
import type { Entry } from '../kinds/kind.js';
import { LowerContext } from './context.js';
import { expandSources } from '../kinds/openapi/expand.js';
import { sqlSources } from '../kinds/sql/sources.js';
import type { LoadedSpec } from '../kinds/openapi/load.js';
import { lowerPrompt, lowerResource, lowerResourceTemplate, lowerTool } from './entries.js';
import { lowerSecurity } from './security.js';
import { DEFAULT_SESSIONS_PER_PRINCIPAL } from '../../runtime/transports/session-quota.js';
import { lowerLimitsAndAudit } from './limits.js';

export interface Lowered {
  readonly artifact: Artifact;
  readonly ctx: LowerContext;
}

const transportDefaults: TransportIR = {
  type: 'stdio',
  host: '127.0.0.1',
  port: 3000,
  path: '/mcp',
  allowedHosts: [],
  allowedOrigins: [],
  maxBodyBytes: 4 * 1024 * 1024,
  maxSessions: 1000,
  maxSessionsPerPrincipal: DEFAULT_SESSIONS_PER_PRINCIPAL,
  trustProxy: false,
  sessionIdleSeconds: 1800,
  logLevel: 'info'
};

/**
 * Manifest → IR. Entry descriptors are resolved at build (they are public text shown to every client);
 * `server` and `transport` keep their `${VAR}` references, resolved by the runtime at start.
 */
export interface LowerOptions {
  /** The manifest directory, relative to the artifact directory. */
  readonly manifestDir: string;
  /** Entries with schema errors are not lowered (their errors are already reported). */
  readonly skip: (pointer: string) => boolean;
  readonly specs?: ReadonlyMap<string, LoadedSpec>;
}

export function lower(manifest: LoadedManifest, options: LowerOptions): Lowered {
  const ctx = new LowerContext(manifest, options.specs);
  const { skip } = options;
  const value = manifest.value as Record<string, unknown>;
  const raw = manifest.raw as Record<string, unknown>;

  // Entries with `operation:` override generated OpenAPI tools; expandSources handles them.
  const tools = collect(value.tools, '/tools', (p) => skip(p) || isOverride(value.tools, p), (e, p) => lowerTool(e, p, ctx));
  const generated = expandSources(value, ctx);
  tools.push(...generated.tools);
  uniqueGenerated(ctx, tools);
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

  unique(ctx, (Array.isArray(value.tools) ? value.tools : []) as Entry[], '/tools', 'name', 'tool name');
  unique(ctx, resourceEntries, '/resources', 'name', 'resource name');
  unique(ctx, resourceEntries, '/resources', 'uri', 'resource URI');
  unique(ctx, resourceEntries, '/resources', 'uriTemplate', 'resource URI template');
  unique(ctx, (Array.isArray(value.prompts) ? value.prompts : []) as Entry[], '/prompts', 'name', 'prompt name');

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
      pageSize: typeof resolvedServer.pageSize === 'number' ? resolvedServer.pageSize : 100
    },
    transport: { ...transportDefaults, ...((raw.transport ?? {}) as Partial<TransportIR>) },
    sources: { ...generated.sources, ...Object.fromEntries([...sqlSources(ctx)].map(([name, s]) => [name, s.ir])) },
    tools,
    resources,
    resourceTemplates,
    prompts
  };
  return { artifact: lowerLimitsAndAudit(lowerSecurity(artifact, ctx), ctx), ctx };
}

function collect<T extends ToolIR | PromptIR>(list: unknown, base: string, skip: (pointer: string) => boolean, lowerOne: (e: Entry, pointer: string) => T | undefined): T[] {
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

function isOverride(tools: unknown, pointer: string): boolean {
  const i = Number(pointer.split('/').pop());
  return Array.isArray(tools) && typeof (tools[i] as Entry | undefined)?.operation === 'string';
}

/** A generated tool may not take a name the manifest already uses. */
function uniqueGenerated(ctx: LowerContext, tools: readonly ToolIR[]): void {
  const seen = new Map<string, ToolIR>();
  for (const t of tools) {
    const first = seen.get(t.name);
    if (first && (first.exec.kind === 'openapi' || t.exec.kind === 'openapi') && first.at.pointer !== t.at.pointer) {
      ctx.error('MCPGEN_DUPLICATE_NAME', `tool name "${t.name}" is used twice (also at ${first.at.pointer}); rename one with an operation: override`, t.at.pointer);
    }
    seen.set(t.name, first ?? t);
  }
}
