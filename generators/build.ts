import { relative, resolve } from 'node:path';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { loadManifest, type LoadedManifest } from './load/load-manifest.js';
import { lower } from './lower/lower.js';
import type { LowerContext } from './lower/context.js';
import { validateManifestSchema } from './validate/manifest-schema.js';
import { isUnquotedTextAt, unquotedTextDiagnostics } from './validate/unquoted-text.js';
import { sourceKinds } from './kinds/registry.js';
import type { CheckMode, CheckOptions, Entry, SourceLoadContext } from './kinds/kind.js';
import { mcpgenEnv } from '../runtime/env-prefix.js';
import { emitLists } from './emit/lists.js';
import { emitTypes } from './emit/types.js';
import { emitTemplates } from './emit/templates.js';
import { bundleSource } from './emit/bundle.js';
import { compileHandlers, typecheckHandlers } from './emit/handlers.js';
import { emitInputs } from './emit/inputs.js';
import { checkArtifactForSecrets, recordSecrets } from './security/secrets.js';
import { checkSchemaPatterns, type SourcePatterns } from './validate/schema-patterns.js';
import {
  ARTIFACT_FILE,
  INPUTS_FILE,
  LISTS_FILE,
  TEMPLATES_FILE,
  TYPES_FILE,
  VALIDATORS_FILE,
  type Artifact,
  type ToolIR
} from '../runtime/artifact/ir.js';
import { baseDefault } from './validate/defaults.js';
import { listTokens } from './lower/tokens.js';
import { EXAMPLES_FILE, lowerExamples } from './lower/examples.js';
import { rootTools } from '../runtime/artifact/toolsets.js';

export interface BuildOptions {
  readonly manifest: string;
  /** Artifact directory; default `.mcp-gen` next to the manifest. */
  readonly outDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Check sources against the live systems (e.g. SQL statements on their database): default from MCPGEN_DB_CHECK. */
  readonly check?: CheckMode;
  /** Create missing local data from seed files, e.g. SQLite `seed:` (the CLI does; the library writes nothing by default). */
  readonly seed?: boolean;
  /** Called as each phase starts (the CLI's progress line on a terminal). */
  readonly onPhase?: (phase: string) => void;
}

export interface BuildResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Artifact files by path relative to outDir; empty when there are errors. */
  readonly files: ReadonlyMap<string, string>;
  readonly outDir: string;
  readonly artifact?: Artifact;
  /** Every file the build read (the manifest and what it references). */
  readonly inputs: readonly string[];
}

type Phase = (name: string) => void;

/** MCPGEN_DB_CHECK=1 requires the check against the live systems, =0 turns it off; the CLI's flag requires it. */
export function checkModeFrom(env: NodeJS.ProcessEnv, flag: boolean): CheckMode {
  if (flag) return 'required';
  const value = mcpgenEnv(env, 'DB_CHECK');
  return value === '1' ? 'required' : value === '0' ? 'off' : 'auto';
}

/** What each source's kind loads before lowering (documents, upstreams), by source name; failures are diagnostics. */
interface LoadSourcesOptions {
  readonly manifest: LoadedManifest;
  readonly out: Diagnostic[];
  readonly inputs: string[];
  readonly phase: Phase;
  /** Sources whose settings the schema refused are not loaded (their errors are already reported). */
  readonly skip: (pointer: string) => boolean;
  readonly outDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly check: CheckMode;
}

async function loadSources(options: LoadSourcesOptions): Promise<Map<string, unknown>> {
  const { manifest, out, inputs, phase } = options;
  const loaded = new Map<string, unknown>();
  const declared = Object.entries(((manifest.value as Record<string, unknown>).sources ?? {}) as Record<string, Entry>).filter(
    ([name]) => !options.skip(`/sources/${name}`)
  );
  const report = (severity: 'error' | 'warning') => (code: Diagnostic['code'], message: string, pointer: string) => {
    out.push(diagnostic(code, message, manifest.source.locate(pointer), pointer, severity === 'warning' ? { severity } : {}));
  };
  const ctx: SourceLoadContext = {
    manifest,
    outDir: options.outDir,
    env: options.env,
    check: options.check,
    error: report('error'),
    warn: report('warning'),
    input: (path: string) => inputs.push(path)
  };
  for (const { source: kind } of sourceKinds()) {
    const { load } = kind;
    if (!load) continue;
    const mine = declared.filter(([, s]) => s?.[kind.key] !== undefined);
    if (mine.length === 0) continue;
    phase(kind.phases?.load ?? 'loading sources');
    await Promise.all(
      mine.map(async ([name, settings]) => {
        const value = await load.call(kind, name, settings, ctx);
        if (value !== undefined) loaded.set(name, value);
      })
    );
  }
  return loaded;
}

/** Every tool description costs context on every turn: warn when a list (the root's, each toolset's) outgrows its budget. */
function checkTokenBudget(artifact: Artifact, manifest: LoadedManifest, out: Diagnostic[]): void {
  const value = manifest.value as { server?: { tokenBudget?: number }; toolsets?: Record<string, { tokenBudget?: number }> };
  const budget = value.server?.tokenBudget ?? baseDefault<number>('server', 'tokenBudget');
  overBudget(artifact, rootTools(artifact.tools), budget, 'the tool list', '/server', manifest, out);
  const byName = new Map(artifact.tools.map((t) => [t.name, t] as const));
  for (const [name, set] of Object.entries(artifact.toolsets ?? {})) {
    const tools = set.tools.flatMap((t) => byName.get(t) ?? []);
    const own = value.toolsets?.[name]?.tokenBudget ?? budget;
    overBudget(artifact, tools, own, `toolset "${name}"`, `/toolsets/${name}`, manifest, out);
  }
}

function overBudget(
  artifact: Artifact,
  tools: readonly ToolIR[],
  budget: number,
  what: string,
  pointer: string,
  manifest: LoadedManifest,
  out: Diagnostic[]
): void {
  const tokens = listTokens(tools);
  if (tokens <= budget) return;
  const biggest = [...tools]
    .sort((a, b) => JSON.stringify(b.descriptor).length - JSON.stringify(a.descriptor).length)
    .slice(0, 3)
    .map((t) => t.name);
  // The source that generates most tools is where its kind's advice saves most.
  const advised = sourceKinds()
    .flatMap(({ source }) => source.advice?.({ ...artifact, tools }) ?? [])
    .sort((a, b) => b.tools - a.tools)[0];
  const advice = advised
    ? `; source "${advised.source}" gives ${advised.tools} of them: ${advised.advice}`
    : '; describe fewer or shorter tools, or raise server.tokenBudget';
  const message = `${what} is about ${tokens} tokens, over the budget of ${budget} (${tools.length} tools; largest: ${biggest.join(', ')})${advice}`;
  out.push(diagnostic('MCPGEN_TOKEN_BUDGET', message, manifest.source.locate(pointer), pointer, { severity: 'warning' }));
}

/** Each kind's check against the live systems, in registry order; none once lowering has failed. */
async function checkSources(artifact: Artifact, ctx: LowerContext, options: CheckOptions, phase: Phase): Promise<Artifact> {
  let checked = artifact;
  for (const { source: kind } of sourceKinds()) {
    if (!kind.check) continue;
    phase(kind.phases?.check ?? 'checking sources');
    if (!hasErrors(ctx.diagnostics)) checked = await kind.check(checked, ctx, options);
  }
  return checked;
}

/** Patterns in the documents sources loaded that the artifact's validators run, by source. */
function documentPatterns(manifest: LoadedManifest, loaded: ReadonlyMap<string, unknown>, artifact: Artifact): SourcePatterns[] {
  const declared = ((manifest.value as Record<string, unknown>).sources ?? {}) as Record<string, Entry>;
  return sourceKinds().flatMap(({ source: kind }) => {
    const { patterns } = kind;
    if (!patterns) return [];
    const mine = [...loaded].filter(([name]) => typeof declared[name]?.[kind.key] === 'string');
    return mine.map(([name, value]) => ({ pointer: `/sources/${name}/${kind.key}`, sites: patterns.call(kind, value, artifact) }));
  });
}

const structural = new Set(['MCPGEN_BACKEND_CHOICE', 'MCPGEN_MISSING_KEY', 'MCPGEN_TYPE']);

/** Manifest → artifact files, in memory. Never throws for a user mistake: everything lands in `diagnostics`. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const manifestPath = resolve(options.manifest);
  const outDir = resolve(options.outDir ?? resolve(manifestPath, '..', '.mcp-gen'));
  const phase = options.onPhase ?? (() => {});
  phase('reading the manifest');
  const loaded = await loadManifest(manifestPath, options.env);
  if (!loaded.manifest) return { diagnostics: loaded.diagnostics, files: new Map(), outDir, inputs: [manifestPath] };
  const check: CheckOptions = { check: options.check ?? checkModeFrom(options.env ?? process.env, false), seed: options.seed ?? false };
  return buildLoaded(loaded.manifest, outDir, loaded.diagnostics, check, phase, options.env ?? process.env);
}

async function buildLoaded(
  manifest: LoadedManifest,
  outDir: string,
  early: Diagnostic[],
  check: CheckOptions,
  phase: Phase,
  env: NodeJS.ProcessEnv
): Promise<BuildResult> {
  // A value left empty by a missing variable is reported once, as the missing variable.
  const envMissing = new Set(early.filter((d) => d.code === 'MCPGEN_ENV_MISSING' || d.code === 'MCPGEN_SECRET').map((d) => d.pointer));
  // Text YAML made into a key is one warning, not also an unknown key.
  const unquoted = unquotedTextDiagnostics(manifest);
  const schemaDiagnostics = [
    ...unquoted,
    ...validateManifestSchema(manifest).filter(
      (d) => !envMissing.has(d.pointer) && !(d.code === 'MCPGEN_UNKNOWN_KEY' && isUnquotedTextAt(manifest.value, d.pointer))
    )
  ];
  // Entries whose shape is wrong are not lowered; a bad name or an unknown key does not stop the other checks.
  const broken = schemaDiagnostics.filter((d) => structural.has(d.code) || d.pointer.includes('/content')).map((d) => d.pointer);
  const skip = (pointer: string) => broken.some((b) => b === pointer || b.startsWith(pointer + '/'));
  const sourceFiles: string[] = [];
  const loaded = await loadSources({ manifest, out: early, inputs: sourceFiles, phase, skip, outDir, env, check: check.check });
  phase('lowering the manifest');
  const lowered = lower(manifest, { manifestDir: relative(outDir, manifest.dir).replace(/\\/g, '/') || '.', skip, loaded });
  const { ctx } = lowered;
  for (const file of sourceFiles) ctx.inputs.add(file);
  const artifact = recordSecrets(await checkSources(lowered.artifact, ctx, check, phase), manifest);
  await checkSchemaPatterns(manifest, documentPatterns(manifest, loaded, artifact), ctx.diagnostics);
  const examples = lowerExamples(artifact, ctx);
  const collected = () => sortDiagnostics([...early, ...schemaDiagnostics, ...ctx.diagnostics]);
  const inputs = [...ctx.inputs];
  if (hasErrors(collected())) return { diagnostics: collected(), files: new Map(), outDir, inputs };

  checkTokenBudget(artifact, manifest, ctx.diagnostics);
  const types = emitTypes(artifact, (name) => ctx.validators.schemaOf(name));
  phase('compiling handlers');
  const handlers = await compileHandlers(ctx);
  // A handler that does not compile would only repeat its errors as type errors.
  if (!hasErrors(ctx.diagnostics)) await typecheckHandlers(ctx, outDir, types);
  const all = collected();
  inputs.splice(0, inputs.length, ...ctx.inputs);
  if (hasErrors(all)) return { diagnostics: all, files: new Map(), outDir, inputs };

  phase('bundling the artifact');
  const files = new Map<string, string>([
    [ARTIFACT_FILE, JSON.stringify(artifact, null, 2) + '\n'],
    [LISTS_FILE, JSON.stringify(emitLists(artifact)) + '\n'],
    [VALIDATORS_FILE, await bundleSource(ctx.validators.emit(), VALIDATORS_FILE)],
    [TEMPLATES_FILE, emitTemplates(ctx.templates)],
    [TYPES_FILE, types],
    [INPUTS_FILE, emitInputs(ctx.inputs, manifest.dir, ctx.readAtRequest)],
    [EXAMPLES_FILE, JSON.stringify(examples, null, 2) + '\n'],
    ...handlers
  ]);
  const leaks = checkArtifactForSecrets(files, manifest);
  if (leaks.length > 0) return { diagnostics: sortDiagnostics([...all, ...leaks]), files: new Map(), outDir, inputs };
  return { diagnostics: all, files, outDir, artifact, inputs };
}
