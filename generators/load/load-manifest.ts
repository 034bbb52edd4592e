import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { interpolateEnv } from '../../runtime/env.js';
import { isEncrypted, keyFromEnv } from '../../runtime/security/secrets/crypto.js';
import { mcpgenEnv } from '../../runtime/env-prefix.js';
import { hasSecretReference, resolveSecretText } from '../../runtime/security/secrets/references.js';
import { createSourceMap, joinPointer, type SourceMap } from './source-map.js';
import { indentationSlip } from './indentation.js';
import { isLiteralKey, sourceCredential } from '../kinds/registry.js';

export interface LoadedManifest {
  /** Absolute path of the manifest. */
  readonly path: string;
  /** Directory relative paths in the manifest are resolved against. */
  readonly dir: string;
  /** Name used in diagnostics (relative to the working directory). */
  readonly displayName: string;
  readonly text: string;
  /** The document with `${VAR}` references resolved (for validation and checks). */
  readonly value: unknown;
  /** The document as written (stored in the artifact, resolved again by the runtime). */
  readonly raw: unknown;
  readonly source: SourceMap;
  /** Values of encrypted and `${file:…}` secrets, by pointer: they must never reach the artifact. */
  readonly secrets: readonly { readonly pointer: string; readonly value: string }[];
}

export interface LoadResult {
  readonly manifest?: LoadedManifest;
  readonly diagnostics: Diagnostic[];
}

/** Content, not configuration: left exactly as written (Handlebars has its own variables). Kinds name their own. */
const literalFields = [/^\/prompts\/\d+\/messages\/\d+\/text$/, /\/content\/(\d+\/)?text$/];

function isLiteral(pointer: string): boolean {
  const [list, index, key, ...rest] = pointer.split('/').slice(1);
  if (list !== undefined && key !== undefined && rest.length === 0 && /^\d+$/.test(index ?? '') && isLiteralKey(list, key)) return true;
  return literalFields.some((re) => re.test(pointer));
}

export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

export async function loadManifest(path: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadResult> {
  const absolute = resolve(path);
  const displayName = displayPath(absolute);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch {
    const at = { file: displayName, line: 1, col: 1 };
    return { diagnostics: [diagnostic('MCPGEN_MANIFEST_NOT_FOUND', `cannot read manifest ${displayName}`, at, '')] };
  }
  return parseManifest(text, absolute, displayName, env);
}

export function parseManifest(
  text: string,
  absolute: string,
  displayName = basename(absolute),
  env: NodeJS.ProcessEnv = process.env
): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source = createSourceMap(displayName, doc, lines);
  const diagnostics: Diagnostic[] = doc.errors.map((e) =>
    diagnostic('MCPGEN_YAML_SYNTAX', e.message.split('\n')[0] ?? e.message, source.at(e.pos[0]), '')
  );
  if (diagnostics.length > 0) {
    // One indentation slip makes the parser report several errors, none of them quite at the slip: report the slip once.
    const slip = indentationSlip(text);
    const first = Math.min(...diagnostics.map((d) => d.at.line));
    if (slip && slip.line <= first + 1) {
      const at = { file: displayName, line: slip.line, col: slip.indent + 1 };
      const hint =
        `Indent it like the key or item it belongs with: ${slip.expected} space(s), as on line ` +
        `${slip.neighbour}. Indent with spaces, never tabs.`;
      return {
        diagnostics: [
          diagnostic(
            'MCPGEN_YAML_SYNTAX',
            `line ${slip.line} is indented by ${slip.indent} space(s), which lines up with no key or item above it`,
            at,
            '',
            { hint }
          )
        ]
      };
    }
    return { diagnostics };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    // Unresolved aliases and alias bombs surface only when the document is converted.
    const message = ((e as Error).message ?? String(e)).split('\n')[0]!;
    const alias = /: (\S+)$/.exec(message)?.[1];
    const offset = alias !== undefined && text.includes(`*${alias}`) ? text.indexOf(`*${alias}`) : 0;
    return { diagnostics: [diagnostic('MCPGEN_YAML_SYNTAX', message, source.at(offset), '')] };
  }
  const secrets: { pointer: string; value: string }[] = [];
  const resolveSecrets = buildSecretResolver(dirname(absolute), env, source, diagnostics, secrets);
  const value = resolveEnvTree(raw, [], env, source, diagnostics, resolveSecrets);
  return { manifest: { path: absolute, dir: dirname(absolute), displayName, text, value, raw, source, secrets }, diagnostics };
}

type SecretResolver = (text: string, pointer: string) => string;

function resolveEnvTree(
  node: unknown,
  path: (string | number)[],
  env: NodeJS.ProcessEnv,
  source: SourceMap,
  out: Diagnostic[],
  secrets: SecretResolver
): unknown {
  if (typeof node === 'string') {
    const pointer = joinPointer(path);
    if (isLiteral(pointer)) return node;
    const { value, missing } = interpolateEnv(secrets(node, pointer), env);
    // A credential may be provided only where the server runs: missing at build is a warning (calls needing it fail clearly).
    const runtimeOnly = sourceCredential(pointer) === 'runtime';
    const credential =
      runtimeOnly ||
      /^\/auth\/apiKeys\/\d+\/key$/.test(pointer) ||
      pointer === '/limits/store' ||
      pointer === '/cache/store' ||
      pointer === '/transport/metrics/token';
    for (const name of missing) {
      out.push(
        credential
          ? diagnostic(
              'MCPGEN_ENV_MISSING',
              `environment variable ${name} is not set: calls that need this credential will fail until it is`,
              source.locate(pointer),
              pointer,
              { severity: 'warning' }
            )
          : diagnostic('MCPGEN_ENV_MISSING', `environment variable ${name} is not set and has no default`, source.locate(pointer), pointer)
      );
    }
    return value;
  }
  if (Array.isArray(node)) return node.map((item, i) => resolveEnvTree(item, [...path, i], env, source, out, secrets));
  if (node !== null && typeof node === 'object') {
    const result: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) result[k] = resolveEnvTree(v, [...path, k], env, source, out, secrets);
    return result;
  }
  return node;
}

/**
 * `enc:v1:` values (decrypted when MCPGEN_SECRET_KEY is set; else left as written) and `${file:…}` references:
 * resolved for the checks, recorded so the build can prove they stay out of the artifact.
 */
function buildSecretResolver(
  dir: string,
  env: NodeJS.ProcessEnv,
  source: SourceMap,
  out: Diagnostic[],
  found: { pointer: string; value: string }[]
): SecretResolver {
  const ctx = { baseDir: dir, key: () => (mcpgenEnv(env, 'SECRET_KEY') ? keyFromEnv(env) : undefined) };
  return (text, pointer) => {
    if (!hasSecretReference(text)) return text;
    try {
      const r = resolveSecretText(text, ctx);
      for (const value of r.secrets) found.push({ pointer, value });
      return r.value;
    } catch (e) {
      // A file that exists only where the server runs is a warning: `mcp-gen run` reads it at start.
      out.push(
        diagnostic('MCPGEN_SECRET', (e as Error).message, source.locate(pointer), pointer, isEncrypted(text) ? {} : { severity: 'warning' })
      );
      return text;
    }
  };
}
