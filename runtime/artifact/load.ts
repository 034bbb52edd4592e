import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { interpolateEnv } from '../env.js';
import { describeProblem, resolveArtifactSecrets } from '../security/secrets/artifact.js';
import { renderFunction } from './templates.js';
import {
  ARTIFACT_FILE,
  ARTIFACT_FORMAT,
  LISTS_FILE,
  TEMPLATES_FILE,
  VALIDATORS_FILE,
  type Artifact,
  type CompiledValidator,
  type ListPages,
  type TemplateFn
} from './ir.js';

export interface LoadedArtifact {
  readonly dir: string;
  /** Absolute manifest directory. */
  readonly root: string;
  readonly artifact: Artifact;
  readonly lists: ListPages;
  readonly validators: Readonly<Record<string, CompiledValidator>>;
  readonly templates: Readonly<Record<string, TemplateFn>>;
  readonly generation: number;
}

/** A problem with the artifact or the environment: reported as one line, without a stack. */
export class ArtifactError extends Error {}

/**
 * Loads a built artifact. `generation` makes module URLs unique, so a rebuilt artifact in the same
 * directory is imported anew (Node caches ES modules by URL); `mcp-gen dev` bumps it on every swap.
 */
export async function loadArtifact(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
  generation = 0,
  options: { secrets?: boolean } = {}
): Promise<LoadedArtifact> {
  const absolute = resolve(dir);
  let text: string;
  try {
    text = await readFile(join(absolute, ARTIFACT_FILE), 'utf8');
  } catch {
    throw new ArtifactError(`no artifact in ${dir}: run \`mcp-gen build\` first`);
  }
  const parsed = parseArtifact(text, dir);
  // Encrypted values and ${file:…} references are resolved (and registered for redaction) before anything uses them.
  const secrets =
    options.secrets === false
      ? { artifact: parsed as Artifact }
      : resolveArtifactSecrets(parsed as Artifact, resolve(absolute, String(parsed.manifestDir ?? '.')), env);
  if ('problems' in secrets)
    throw new ArtifactError(
      `cannot resolve the secrets of the artifact in ${dir}:\n  ${secrets.problems.map(describeProblem).join('\n  ')}`
    );
  const artifact = deepFreeze(resolveEnvDeep(secrets.artifact, ['server', 'transport'], env));
  const [lists, validators, templates] = await Promise.all([
    readFile(join(absolute, LISTS_FILE), 'utf8').then((t) => JSON.parse(t) as ListPages),
    import(moduleUrl(join(absolute, VALIDATORS_FILE), generation)) as Promise<Record<string, CompiledValidator>>,
    import(moduleUrl(join(absolute, TEMPLATES_FILE), generation)).then(
      (m: { default: (t: (spec: unknown) => TemplateFn) => Record<string, TemplateFn> }) => m.default(renderFunction)
    )
  ]).catch((e: unknown) => {
    // A file missing or damaged since the build: what it needs is a rebuild.
    throw new ArtifactError(`the artifact in ${dir} is incomplete or damaged (${firstLine(e)}): ${rebuild}`);
  });
  return { dir: absolute, root: resolve(absolute, artifact.manifestDir), artifact, lists, validators, templates, generation };
}

const rebuild = 'rebuild it with `mcp-gen build`';
/** What every artifact of this format has at its top level; an artifact without one was not built by this mcp-gen. */
const required = {
  generator: 'object',
  manifestDir: 'string',
  server: 'object',
  transport: 'object',
  sources: 'object',
  tools: 'array',
  resources: 'array',
  resourceTemplates: 'array',
  prompts: 'array'
} as const;

function parseArtifact(text: string, dir: string): Partial<Artifact> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ArtifactError(`${ARTIFACT_FILE} in ${dir} is not valid JSON: ${rebuild}`);
  }
  const a = (parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}) as Partial<Artifact> & Record<string, unknown>;
  const builtBy = `built by mcp-gen ${typeof a.generator?.version === 'string' ? a.generator.version : 'unknown'}`;
  if (a.format !== ARTIFACT_FORMAT) {
    throw new ArtifactError(
      `artifact in ${dir} has format ${String(a.format)}, this runtime reads format ${ARTIFACT_FORMAT}: ${rebuild} (${builtBy})`
    );
  }
  const missing = Object.entries(required).filter(([key, type]) =>
    type === 'array' ? !Array.isArray(a[key]) : typeof a[key] !== type || a[key] === null
  );
  if (missing.length > 0)
    throw new ArtifactError(`artifact in ${dir} lacks ${missing.map(([k]) => k).join(', ')} (${builtBy}): ${rebuild}`);
  return a;
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}

export function moduleUrl(path: string, generation: number): string {
  const url = pathToFileURL(path).href;
  return generation === 0 ? url : `${url}?generation=${generation}`;
}

/** `server` and `transport` keep their `${VAR}` references in the artifact; they are resolved here, at start. */
function resolveEnvDeep(artifact: Artifact, sections: readonly (keyof Artifact)[], env: NodeJS.ProcessEnv): Artifact {
  const missing: string[] = [];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const r = interpolateEnv(v, env);
      missing.push(...r.missing);
      return r.value;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out: Record<string, unknown> = { ...artifact };
  for (const s of sections) out[s] = walk(artifact[s]);
  if (missing.length > 0) throw new ArtifactError(`environment variable ${[...new Set(missing)].join(', ')} is not set and has no default`);
  return out as unknown as Artifact;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
