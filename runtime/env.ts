/**
 * `${VAR}` and `${VAR:-default}` interpolation. `$${` writes a literal `${`.
 * Used by the generator (to validate resolved values) and by the runtime (which resolves the artifact's
 * raw strings at start, so secrets never land in the artifact).
 */
const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface EnvResult {
  readonly value: string;
  readonly missing: readonly string[];
}

export function hasEnvReference(text: string): boolean {
  return text.includes('${');
}

export function interpolateEnv(text: string, env: NodeJS.ProcessEnv, escapeValue: (s: string) => string = (s) => s): EnvResult {
  if (!text.includes('${')) return { value: text, missing: [] };
  const missing: string[] = [];
  const value = text.replace(reference, (_match, name: string | undefined, fallback: string | undefined) => {
    if (name === undefined) return '${';
    const found = env[name];
    if (found !== undefined && found !== '') return escapeValue(found);
    if (fallback !== undefined) return escapeValue(fallback);
    missing.push(name);
    return '';
  });
  return { value, missing };
}

/** The variables a text references (`$${` escapes skipped), each with its `:-` default when it has one. */
export function envReferences(text: string): { readonly name: string; readonly fallback?: string }[] {
  if (!text.includes('${')) return [];
  return [...text.matchAll(reference)].flatMap((m) =>
    m[1] === undefined ? [] : [m[2] === undefined ? { name: m[1] } : { name: m[1], fallback: m[2] }]
  );
}
