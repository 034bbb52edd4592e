import { createHash } from 'node:crypto';

const MAX = 64;

/**
 * A valid, stable tool name: [A-Za-z0-9_.-], at most 64 characters. A longer one is cut at the last word
 * boundary that keeps most of it, so it still reads like the operation; `uniqueNames` settles collisions.
 */
export function toolName(operationId: string | undefined, method: string, path: string): string {
  const base =
    (operationId ?? `${method}_${path}`)
      .replace(/[{}]/g, '')
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .replace(/^_+|_+$/g, '') || method;
  if (base.length <= MAX) return base;
  const cut = base.slice(0, MAX + 1);
  const boundary = Math.max(cut.lastIndexOf('_'), cut.lastIndexOf('-'), cut.lastIndexOf('.'));
  return trimSeparators(boundary >= MAX / 2 ? cut.slice(0, boundary) : base.slice(0, MAX));
}

/** Without trailing `_`, `.` and `-` (a loop: `/[_.-]+$/` is quadratic on a long run of them). */
function trimSeparators(name: string): string {
  let end = name.length;
  while (end > 0 && '_.-'.includes(name[end - 1]!)) end--;
  return name.slice(0, end);
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
