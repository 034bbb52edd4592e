import { relative } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedManifest } from '../load/load-manifest.js';
import type { Artifact, SecretRefIR } from '../../runtime/artifact/ir.js';
import { hasSecretReference } from '../../runtime/security/secrets/references.js';
import { sourceCredential } from '../kinds/registry.js';
import { MIN_SECRET_LENGTH } from '../../runtime/redact.js';
import { joinPointer } from '../load/source-map.js';

/**
 * Records where the artifact keeps secret references (encrypted values, `${file:…}`, credentials' `${VAR}`),
 * with the manifest position each came from, so the runtime resolves them at start and names the right line.
 */
export function recordSecrets(artifact: Artifact, manifest: LoadedManifest): Artifact {
  const written = manifestStrings(manifest.raw);
  const refs: SecretRefIR[] = [];
  walk(artifact, [], (text, path) => {
    const pointer = joinPointer(path);
    if (!hasSecretReference(text) && !(isCredential(pointer) && text.includes('${'))) return;
    // The artifact mirrors the manifest where references survive; otherwise find the string itself.
    const origin = written.get(pointer) === text ? pointer : ([...written].find(([, v]) => v === text)?.[0] ?? pointer);
    const { line, col } = manifest.source.locate(origin);
    refs.push({ path: pointer, at: { file: relative(manifest.dir, manifest.path), line, col, pointer: origin } });
  });
  return refs.length > 0 ? { ...artifact, secrets: refs } : artifact;
}

const METRICS_TOKEN = '/transport/metrics/token';

/** Manifest positions whose `${VAR}` values are credentials: the top-level `auth:`, the metrics token, and what kinds declare. */
function isCredential(pointer: string): boolean {
  return pointer.startsWith('/auth/') || pointer === METRICS_TOKEN || sourceCredential(pointer) !== undefined;
}

/** A resolved secret found in an artifact file is an error: the artifact must hold references only. */
export function checkArtifactForSecrets(files: ReadonlyMap<string, string>, manifest: LoadedManifest): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { pointer, value } of manifest.secrets) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    const file = [...files].find(([, text]) => text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1)))?.[0];
    if (file === undefined) continue;
    out.push(
      diagnostic(
        'MCPGEN_SECRET_IN_ARTIFACT',
        `the secret at ${pointer} would be written into the artifact (${file}) in clear`,
        manifest.source.locate(pointer),
        pointer
      )
    );
  }
  return out;
}

function manifestStrings(raw: unknown): Map<string, string> {
  const out = new Map<string, string>();
  walk(raw, [], (text, path) => out.set(joinPointer(path), text));
  return out;
}

function walk(node: unknown, path: (string | number)[], visit: (text: string, path: (string | number)[]) => void): void {
  if (typeof node === 'string') visit(node, path);
  else if (Array.isArray(node)) node.forEach((x, i) => walk(x, [...path, i], visit));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, [...path, k], visit);
}
