import { createHash } from 'node:crypto';

const MAX = 64;

/** A valid, stable tool name: [A-Za-z0-9_.-], at most 64 characters, shortened with a hash when longer. */
export function toolName(operationId: string | undefined, method: string, path: string): string {
  const base = (operationId ?? `${method}_${path}`).replace(/[{}]/g, '').replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '') || method;
  if (base.length <= MAX) return base;
  const hash = createHash('sha256').update(base).digest('hex').slice(0, 8);
  return `${base.slice(0, MAX - 9)}_${hash}`;
}

/** Distinct names for generated tools: a collision gets a deterministic hash suffix. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((n) => {
    let name = n;
    for (let i = 2; seen.has(name); i++) {
      const suffix = `_${createHash('sha256').update(`${n}#${i}`).digest('hex').slice(0, 6)}`;
      name = `${n.slice(0, MAX - suffix.length)}${suffix}`;
    }
    seen.add(name);
    return name;
  });
}

/** summary and description, joined and capped so a large spec stays affordable in tokens. */
export function toolDescription(summary: unknown, description: unknown, cap = 1024): string {
  const parts = [summary, description].filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim());
  const text = [...new Set(parts)].join('\n\n');
  return text.length > cap ? `${text.slice(0, cap - 1)}…` : text;
}
