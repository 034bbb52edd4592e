import { relative, resolve } from 'node:path';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { loadSpec, type LoadedSpec } from './kinds/openapi/load.js';
import { loadManifest, type LoadedManifest } from './load/load-manifest.js';
import { lower } from './lower/lower.js';
import { validateManifestSchema } from './validate/manifest-schema.js';
import { isUnquotedTextAt, unquotedTextDiagnostics } from './validate/unquoted-text.js';
import { checkModeFrom, checkSql, type SqlCheckOptions } from './kinds/sql/check.js';
import { emitLists } from './emit/lists.js';
import { emitTypes } from './emit/types.js';
import { emitTemplates } from './emit/templates.js';
import { bundleSource } from './emit/bundle.js';
import { compileHandlers, typecheckHandlers } from './emit/handlers.js';
import { emitInputs } from './emit/inputs.js';
import { checkArtifactForSecrets, recordSecrets } from './security/secrets.js';
import { checkSchemaPatterns } from './validate/schema-patterns.js';
import { ARTIFACT_FILE, INPUTS_FILE, LISTS_FILE, TEMPLATES_FILE, TYPES_FILE, VALIDATORS_FILE, type Artifact } from '../runtime/artifact/ir.js';

export interface BuildOptions {
  readonly manifest: string;
  /** Artifact directory; default `.mcp-gen` next to the manifest. */
  readonly outDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The SQL build-time check: default from MCPGEN_DB_CHECK (1: required, 0: off), else auto. */
  readonly dbCheck?: SqlCheckOptions['check'];
  /** Create missing SQLite databases from their `seed:` file (the CLI does; the library writes nothing by default). */
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

/** OpenAPI documents of the manifest's sources; a document that fails to load is one diagnostic at its `openapi:`. */
async function loadSources(manifest: LoadedManifest, out: Diagnostic[], inputs: string[]): Promise<Map<string, LoadedSpec>> {
  const specs = new Map<string, LoadedSpec>();
  const sources = ((manifest.value as Record<string, unknown>).sources ?? {}) as Record<string, { openapi?: unknown; serverVariables?: Record<string, string>; allowRemoteRefs?: boolean | string[] }>;
  await Promise.all(
    Object.entries(sources).map(async ([name, s]) => {
      if (typeof s?.openapi !== 'string') return;
      const pointer = `/sources/${name}/openapi`;
      const result = await loadSpec(name, s.openapi, manifest.dir, s.serverVariables, s.allowRemoteRefs ?? false);
      if ('spec' in result) {
        specs.set(name, result.spec);
        if (!/^https?:/i.test(result.spec.file)) inputs.push(result.spec.file);
      } else out.push(diagnostic('MCPGEN_OPENAPI_LOAD', `${s.openapi}: ${result.error}`, manifest.source.locate(pointer), pointer));
    })
  );
  return specs;
}

/** Every tool description costs context on every turn: warn when the list outgrows the budget. */
function checkTokenBudget(artifact: Artifact, manifest: LoadedManifest, out: Diagnostic[]): void {
  const budget = ((manifest.value as { server?: { tokenBudget?: number } }).server?.tokenBudget) ?? 50_000;
  const tokens = Math.ceil(artifact.tools.reduce((n, t) => n + Buffer.byteLength(JSON.stringify(t.descriptor)), 0) / 4);
  if (tokens <= budget) return;
  const biggest = [...artifact.tools].sort((a, b) => JSON.stringify(b.descriptor).length - JSON.stringify(a.descriptor).length).slice(0, 3).map((t) => t.name);
  // The OpenAPI source with the most tools (one per operation) is where mode: dynamic saves most.
  const perSource = new Map<string, number>();
  for (const t of artifact.tools) if (t.exec.kind === 'openapi' && !('meta' in t.exec)) perSource.set(t.exec.source, (perSource.get(t.exec.source) ?? 0) + 1);
  const [source, count] = [...perSource].sort((a, b) => b[1] - a[1])[0] ?? [];
  const advice = source ? `; source "${source}" gives ${count} of them: set mode: dynamic on it (three tools instead), select fewer operations, or raise server.tokenBudget` : '; describe fewer or shorter tools, or raise server.tokenBudget';
  out.push(
    diagnostic('MCPGEN_TOKEN_BUDGET', `the tool list is about ${tokens} tokens, over the budget of ${budget} (${artifact.tools.length} tools; largest: ${biggest.join(', ')})${advice}`, manifest.source.locate('/server'), '/server', { severity: 'warning' })
  );
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
  const sql: SqlCheckOptions = { check: options.dbCheck ?? checkModeFrom(options.env ?? process.env, false), seed: options.seed ?? false };
  return buildLoaded(loaded.manifest, outDir, loaded.diagnostics, sql, phase);
}

async function buildLoaded(manifest: LoadedManifest, outDir: string, early: Diagnostic[], sql: SqlCheckOptions, phase: (name: string) => void): Promise<BuildResult> {
  // A value left empty by a missing variable is reported once, as the missing variable.
  const envMissing = new Set(early.filter((d) => d.code === 'MCPGEN_ENV_MISSING' || d.code === 'MCPGEN_SECRET').map((d) => d.pointer));
  // Text YAML made into a key is one warning, not also an unknown key.
  const unquoted = unquotedTextDiagnostics(manifest);
  const schemaDiagnostics = [...unquoted, ...validateManifestSchema(manifest).filter((d) => !envMissing.has(d.pointer) && !(d.code === 'MCPGEN_UNKNOWN_KEY' && isUnquotedTextAt(manifest.value, d.pointer)))];
  // Entries whose shape is wrong are not lowered; a bad name or an unknown key does not stop the other checks.
  const broken = schemaDiagnostics.filter((d) => structural.has(d.code) || d.pointer.includes('/content')).map((d) => d.pointer);
  const skip = (pointer: string) => broken.some((b) => b === pointer || b.startsWith(pointer + '/'));
  const specFiles: string[] = [];
  phase('loading OpenAPI documents');
  const specs = await loadSources(manifest, early, specFiles);
  phase('lowering the manifest');
  const lowered = lower(manifest, { manifestDir: relative(outDir, manifest.dir).replace(/\\/g, '/') || '.', skip, specs });
  const { ctx } = lowered;
  for (const file of specFiles) ctx.inputs.add(file);
  phase('checking SQL statements');
  const artifact = recordSecrets(hasErrors(ctx.diagnostics) ? lowered.artifact : await checkSql(lowered.artifact, ctx, sql), manifest);
  await checkSchemaPatterns(manifest, specs, artifact, ctx.diagnostics);
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
    [INPUTS_FILE, emitInputs(ctx.inputs, manifest.dir, artifact)],
    ...handlers
  ]);
  const leaks = checkArtifactForSecrets(files, manifest);
  if (leaks.length > 0) return { diagnostics: sortDiagnostics([...all, ...leaks]), files: new Map(), outDir, inputs };
  return { diagnostics: all, files, outDir, artifact, inputs };
}
