import { resolve } from 'node:path';
import { moduleUrl, type LoadedArtifact } from '../artifact/load.js';
import type { CompiledValidator, CompletionIR, KindName, PromptIR, ResourceIR, ResourceTemplateIR, ToolIR } from '../artifact/ir.js';
import { runtimeKinds } from '../kinds/registry.js';
import { structuredArguments } from './arguments.js';
import { declaredArguments, type DeclaredArguments } from './undeclared.js';
import type { ChangingList, PromptGetter, ServedPrompt, Services, ToolExecutor, VariableCompleter, WatchedReader } from '../kinds/kind.js';
import { OpenedResources } from './sources.js';
import { projector, type Projector } from './select.js';
import { noTelemetry, type KindTelemetry } from './telemetry.js';
import type { Logger } from '../log.js';
import { parseUriTemplate, type UriMatcher } from '../uri-template.js';
import { uriMatcher } from '../uri-match.js';

export interface PreparedTool {
  readonly ir: ToolIR;
  /** `tool:<name>`: what a 2026 round's requestState is bound to. */
  readonly target: string;
  /** Object and array arguments that clients sometimes send as JSON text; parsed before validation. */
  readonly jsonArguments: readonly string[];
  readonly validate: CompiledValidator;
  readonly validateOutput?: CompiledValidator;
  /** What the tool declares, when undeclared arguments are refused (`refuseUndeclared`). */
  readonly declared?: DeclaredArguments;
  readonly execute: ToolExecutor;
  /** `select:`: shapes a result before the model sees it (and before the output check). */
  readonly project?: Projector;
}

export interface PreparedResource {
  readonly ir: ResourceIR;
  readonly read: WatchedReader;
  /** Its kind's resources change without a rebuild (RuntimeKind.changing). */
  readonly changing: boolean;
}

export interface PreparedTemplate {
  readonly ir: ResourceTemplateIR;
  /** Matches concrete URIs (linear in their length; groups in `ir.variables` order). */
  readonly regex: UriMatcher;
  readonly read: WatchedReader;
  readonly complete?: VariableCompleter;
  readonly changing: boolean;
}

/** Everything the artifact declares, with one executor per entry, built once at start-up. */
export interface Catalog {
  readonly tools: ReadonlyMap<string, PreparedTool>;
  readonly resources: ReadonlyMap<string, PreparedResource>;
  readonly templates: readonly PreparedTemplate[];
  readonly prompts: ReadonlyMap<string, PromptIR>;
  /** Prompts with kind-backed argument completions (`complete:`), by prompt name. */
  readonly promptCompleters: ReadonlyMap<string, VariableCompleter>;
  /** Prompts a kind serves (`exec`), by prompt name; the others are rendered from their templates. */
  readonly promptGetters: ReadonlyMap<string, PromptGetter>;
  /** Some source may change its lists while serving: the core declares listChanged. */
  readonly changesLists: boolean;
  /** Renders a precompiled template by its artifact name. */
  render(template: string, data: unknown): string;
  /** The sources and kind resources this artifact opened; the core disposes of them. */
  readonly opened: OpenedResources;
}

type AnyFactory = (exec: unknown, services: Services, entry: { name: string; mimeType?: string }) => unknown;

function factory(kind: string, type: 'tool' | 'resource' | 'resourceTemplate' | 'prompt'): AnyFactory {
  const f = (runtimeKinds as unknown as Record<string, Record<string, AnyFactory | undefined>>)[kind]?.[type];
  if (!f) throw new Error(`this runtime has no "${kind}" backend for ${type}s: rebuild the artifact with this mcp-gen version`);
  return f;
}

/**
 * Opens the artifact's sources and prepares every entry; on failure, whatever was opened is disposed of.
 * `listChanged`: a source's report that its part of a list changed (the core notifies clients).
 */
export async function prepareCatalog(
  loaded: LoadedArtifact,
  log: Logger,
  listChanged: (list: ChangingList) => void = () => {},
  telemetry: KindTelemetry = noTelemetry.kinds
): Promise<Catalog> {
  const opened = new OpenedResources(log);
  const base: Omit<Services, 'kindResources'> = {
    root: loaded.root,
    artifactDir: loaded.dir,
    templates: loaded.templates,
    log,
    sources: loaded.artifact.sources ?? {},
    validators: loaded.validators,
    importModule: (path) => import(moduleUrl(resolve(loaded.dir, path), loaded.generation)),
    source: (name) => opened.source(name),
    listChanged,
    telemetry
  };
  const byKind = new Map<KindName, Services>();
  const servicesFor = (kind: KindName): Services => {
    let services = byKind.get(kind);
    if (!services) byKind.set(kind, (services = { ...base, kindResources: <T>() => opened.kind<T>(kind) }));
    return services;
  };
  try {
    await opened.open(loaded.artifact, servicesFor);
    return await prepareEntries(loaded, opened, servicesFor);
  } catch (e) {
    await opened.dispose();
    throw e;
  }
}

type ServicesFor = (kind: KindName) => Services;

async function prepareEntries(loaded: LoadedArtifact, opened: OpenedResources, servicesFor: ServicesFor): Promise<Catalog> {
  const { artifact } = loaded;
  const tools = new Map<string, PreparedTool>();
  for (const ir of artifact.tools) {
    const validate = loaded.validators[ir.validator];
    if (!validate) throw new Error(`artifact is missing validator ${ir.validator}: rebuild it`);
    const execute = (await factory(ir.exec.kind, 'tool')(ir.exec, servicesFor(ir.exec.kind), { name: ir.name })) as ToolExecutor;
    const validateOutput = ir.outputValidator ? loaded.validators[ir.outputValidator] : undefined;
    const declared = ir.refuseUndeclared
      ? { declared: declaredArguments(ir.descriptor.inputSchema as Record<string, unknown>, Object.keys(ir.fromAuth ?? {})) }
      : {};
    tools.set(ir.name, {
      ir,
      target: `tool:${ir.name}`,
      validate,
      execute,
      jsonArguments: structuredArguments(ir),
      ...(ir.select ? { project: projector(ir.select) } : {}),
      ...declared,
      ...(validateOutput ? { validateOutput } : {})
    });
  }
  const resources = new Map<string, PreparedResource>();
  for (const ir of artifact.resources) {
    const services = servicesFor(ir.exec.kind);
    const read = (await factory(ir.exec.kind, 'resource')(ir.exec, services, { name: ir.name, mimeType: ir.mimeType })) as WatchedReader;
    resources.set(ir.uri, { ir, read, changing: changing(ir.exec.kind) });
  }
  const templates: PreparedTemplate[] = [];
  for (const ir of artifact.resourceTemplates) {
    const entry = ir.mimeType ? { name: ir.name, mimeType: ir.mimeType } : { name: ir.name };
    const prepare = factory(ir.exec.kind, 'resourceTemplate');
    const read = (await prepare(ir.exec, servicesFor(ir.exec.kind), entry)) as WatchedReader & { complete?: VariableCompleter };
    const changes = changing(ir.exec.kind);
    templates.push({ ir, regex: templateMatcher(ir), read, changing: changes, ...(read.complete ? { complete: read.complete } : {}) });
  }
  const prompts = new Map(artifact.prompts.map((p) => [p.name, p] as const));
  const promptCompleters = new Map<string, VariableCompleter>();
  for (const p of artifact.prompts) {
    const byArgument = new Map(p.arguments.flatMap((a) => (a.complete ? [[a.name, completerOf(a.complete, servicesFor)] as const] : [])));
    if (byArgument.size === 0) continue;
    promptCompleters.set(p.name, async (argument, prefix) => (await byArgument.get(argument)?.(argument, prefix)) ?? []);
  }
  const promptGetters = new Map<string, PromptGetter>();
  for (const p of artifact.prompts) {
    const exec = p.exec as { readonly kind: KindName } | undefined;
    if (!exec) continue;
    const get = (await factory(exec.kind, 'prompt')(exec, servicesFor(exec.kind), { name: p.name })) as ServedPrompt;
    promptGetters.set(p.name, get);
    if (get.complete) promptCompleters.set(p.name, get.complete);
  }
  const changesLists = Object.values(artifact.sources ?? {}).some((s) => sourceKindOf(s.kind)?.changesLists === true);
  const render = (name: string, data: unknown) => {
    const fn = loaded.templates[name];
    if (!fn) throw new Error(`artifact is missing template ${name}: rebuild it`);
    return fn(data);
  };
  return { tools, resources, templates, prompts, promptCompleters, promptGetters, changesLists, render, opened };
}

const changing = (kind: KindName): boolean => runtimeKinds[kind]?.changing === true;

type AnyCompleter = (ir: unknown, services: Services) => VariableCompleter;

function sourceKindOf(kind: string): { readonly changesLists?: boolean } | undefined {
  return (runtimeKinds as unknown as Record<string, { source?: { changesLists?: boolean } } | undefined>)[kind]?.source;
}

function completerOf(ir: CompletionIR, servicesFor: ServicesFor): VariableCompleter {
  const complete = (runtimeKinds as unknown as Record<string, { complete?: AnyCompleter } | undefined>)[ir.kind]?.complete;
  const rebuild = 'rebuild the artifact with this mcp-gen version';
  if (!complete) throw new Error(`this runtime has no "${ir.kind}" backend for prompt completions: ${rebuild}`);
  return complete(ir, servicesFor(ir.kind));
}

/** The template's linear matcher (its `pattern`, a regular expression, backtracks on long URIs). */
function templateMatcher(ir: ResourceTemplateIR): UriMatcher {
  const parsed = parseUriTemplate(ir.uriTemplate);
  if ('error' in parsed) throw new Error(`artifact has an invalid URI template ${ir.uriTemplate} (${parsed.error}): rebuild it`);
  return uriMatcher(parsed.parts);
}
