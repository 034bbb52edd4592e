import type { Artifact, SecretRefIR } from '../../artifact/ir.js';
import { keyFromEnv } from './crypto.js';
import { referencedVariables, resolveSecretText } from './references.js';
import { registerSecret } from '../../redact.js';

export interface SecretProblem {
  readonly ref: SecretRefIR;
  readonly message: string;
}

/**
 * At start: decrypts `enc:v1:` values and reads `${file:…}` files where the artifact records them, and registers
 * every secret (and each credential's `${VAR}` value) for redaction. `${VAR}` references stay for the usual
 * resolution. Returns a copy of the artifact, or every problem found (each naming its manifest position).
 */
export function resolveArtifactSecrets(
  artifact: Artifact,
  root: string,
  env: NodeJS.ProcessEnv
): { artifact: Artifact } | { problems: SecretProblem[] } {
  const refs = artifact.secrets ?? [];
  if (refs.length === 0) return { artifact };
  const copy = structuredClone(artifact) as unknown as Record<string, unknown>;
  const problems: SecretProblem[] = [];
  let key: Buffer | undefined;
  const ctx = { baseDir: root, key: () => (key ??= keyFromEnv(env)) };
  for (const ref of refs) {
    const { parent, last } = locate(copy, ref.path);
    const text = parent?.[last];
    if (typeof text !== 'string') continue;
    try {
      const resolved = resolveSecretText(text, ctx);
      resolved.secrets.forEach(registerSecret);
      for (const name of referencedVariables(resolved.value)) if (env[name]) registerSecret(env[name]);
      parent![last] = resolved.value;
    } catch (e) {
      problems.push({ ref, message: (e as Error).message });
    }
  }
  return problems.length > 0 ? { problems } : { artifact: copy as unknown as Artifact };
}

export function describeProblem(p: SecretProblem): string {
  return `${p.ref.at.file}:${p.ref.at.line}:${p.ref.at.col} ${p.ref.at.pointer}: ${p.message}`;
}

function locate(root: Record<string, unknown>, pointer: string): { parent: Record<string, unknown> | undefined; last: string } {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop() ?? '';
  let node: unknown = root;
  for (const p of parts) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[p] : undefined;
  return { parent: node && typeof node === 'object' ? (node as Record<string, unknown>) : undefined, last };
}
