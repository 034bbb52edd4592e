import type { Artifact } from '../../../runtime/artifact/ir.js';
import { patternSites } from '../../validate/schema-patterns.js';
import type { DocumentPattern, SourceKind } from '../kind.js';
import { expandSource } from './expand.js';
import { loadSpec, type LoadedSpec } from './load.js';
import { defaultOf } from '../../validate/defaults.js';
import { openapiSchema } from './manifest-schema.js';

type Obj = Record<string, unknown>;

/** `sources.NAME.openapi`: an HTTP API described by an OpenAPI (or Swagger 2.0) document. */
export const openapiSource: SourceKind = {
  key: 'openapi',
  // Resolved when a call needs them: a variable missing at build is a warning (the build never calls the API).
  credentials: ['auth'],
  runtimeOnly: ['auth'],
  phases: { load: 'loading OpenAPI documents' },

  /** The document, bundled; one that fails to load is one diagnostic at its `openapi:`. */
  async load(name, settings, ctx) {
    const location = String(settings.openapi);
    const given = settings.allowRemoteRefs ?? defaultOf(openapiSchema.defs!.openapiSource!, 'allowRemoteRefs');
    const allowRemoteRefs = given as boolean | string[];
    const variables = settings.serverVariables as Record<string, string> | undefined;
    const result = await loadSpec(name, location, ctx.manifest.dir, variables, allowRemoteRefs);
    if ('error' in result) {
      ctx.error('MCPGEN_OPENAPI_LOAD', `${location}: ${result.error}`, `/sources/${name}/openapi`);
      return undefined;
    }
    if (!/^https?:/i.test(result.spec.file)) ctx.input(result.spec.file);
    return result.spec;
  },

  async starter(schema, file, dir) {
    // Loaded on use: `init` with another starter must not pay for this one.
    const { openapiStarter } = await import('./starter.js');
    const result = await openapiStarter(schema, file, dir);
    return 'error' in result ? { error: `${file}: ${result.error}` } : { text: result.text, notes: result.note ? [result.note] : [] };
  },

  lower(name, settings, loaded, ctx) {
    return loaded === undefined ? undefined : expandSource(name, settings as Obj, loaded as LoadedSpec, ctx);
  },

  /** The source with the most tools (one per operation) is where `mode: dynamic` saves most. */
  advice(artifact) {
    const perSource = new Map<string, number>();
    for (const { exec } of artifact.tools) {
      if (exec.kind === 'openapi' && !('meta' in exec)) perSource.set(exec.source, (perSource.get(exec.source) ?? 0) + 1);
    }
    const [source, tools] = [...perSource].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (source === undefined || tools === undefined) return undefined;
    return { source, tools, advice: 'set mode: dynamic on it (three tools instead), select fewer operations, or raise server.tokenBudget' };
  },

  /** The document's patterns that reach a generated tool's (or a dynamic-mode operation's) schemas. */
  patterns(loaded, artifact): DocumentPattern[] {
    const spec = loaded as LoadedSpec;
    const compiled = compiledPatterns(artifact);
    return patternSites(spec.doc, '#')
      .filter((s) => compiled.has(s.pattern))
      .map((s) => ({ ...s, ...(spec.place?.(s.pointer) !== undefined ? { place: spec.place(s.pointer)! } : {}) }));
  }
};

/** Patterns the artifact's validators will run: every tool's (and dynamic-mode operation's) schemas. */
function compiledPatterns(artifact: Artifact): Set<string> {
  const operations = Object.values(artifact.sources).flatMap((s) => (s.kind === 'openapi' ? (s.operations ?? []) : []));
  const descriptors = [...artifact.tools, ...operations].map((t) => t.descriptor);
  const sites = descriptors.flatMap((d) => [...patternSites(d.inputSchema, ''), ...patternSites(d.outputSchema, '')]);
  return new Set(sites.map((s) => s.pattern));
}
