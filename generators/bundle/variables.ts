import type { Artifact } from '../../runtime/artifact/ir.js';
import { envReferences } from '../../runtime/env.js';

/** A `${VAR}` the artifact still holds: the deployment sets it (the server resolves it at start or first use). */
export interface DeployVariable {
  readonly name: string;
  /** Its `:-` default, when every reference gives the same one. */
  readonly fallback?: string;
  /** Whether the manifest holds a secret there (a credential: kept as a reference, redacted in logs). */
  readonly secret: boolean;
  /** Where it is used: JSON pointers into artifact.json. */
  readonly at: readonly string[];
}

/** Every `${VAR}` in the artifact, by name, in name order; a variable is secret when any place holding it is one. */
export function deployVariables(artifact: Artifact): DeployVariable[] {
  const secretPaths = new Set((artifact.secrets ?? []).map((s) => s.path));
  const found = new Map<string, { fallbacks: Set<string | undefined>; secret: boolean; at: string[] }>();
  const visit = (value: unknown, pointer: string): void => {
    if (typeof value === 'string') {
      for (const ref of envReferences(value)) {
        const entry = found.get(ref.name) ?? { fallbacks: new Set(), secret: false, at: [] };
        entry.fallbacks.add(ref.fallback);
        entry.secret ||= secretPaths.has(pointer);
        entry.at.push(pointer);
        found.set(ref.name, entry);
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${pointer}/${i}`));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) visit(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  visit({ ...artifact, secrets: undefined }, '');
  return [...found.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, e]) => {
      const [only] = e.fallbacks;
      return { name, ...(e.fallbacks.size === 1 && only !== undefined ? { fallback: only } : {}), secret: e.secret, at: e.at };
    });
}
