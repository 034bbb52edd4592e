import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'yaml';
import { SECTIONS, type Section, type Surface } from './snapshot.js';

type Obj = Record<string, unknown>;

export interface SurfaceChange {
  /** e.g. `tool greet`. */
  readonly entry: string;
  readonly kind: 'added' | 'removed' | 'changed';
  /** Unified-style lines (`- was`, `+ now`, `  same`) of the entry's YAML. */
  readonly lines: readonly string[];
}

const what: Record<Section, string> = { tools: 'tool', resources: 'resource', resourceTemplates: 'resource template', prompts: 'prompt' };

/** What changed from the snapshot on file to the surface served now, entry by entry (list order changes included). */
export function surfaceChanges(snapshot: string, now: Surface): SurfaceChange[] {
  const was = (parse(snapshot) ?? {}) as Partial<Record<Section, Obj[]>>;
  const out: SurfaceChange[] = [];
  for (const [section, , key] of SECTIONS) {
    const before = new Map((was[section] ?? []).map((e) => [String(e[key]), e] as const));
    const after = new Map(now[section].map((e) => [String(e[key]), e] as const));
    for (const [id, entry] of before) {
      const label = `${what[section]} ${id}`;
      const current = after.get(id);
      if (current === undefined) out.push({ entry: label, kind: 'removed', lines: yamlLines(entry).map((l) => `- ${l}`) });
      else if (!isDeepStrictEqual(entry, current))
        out.push({ entry: label, kind: 'changed', lines: lineDiff(yamlLines(entry), yamlLines(current)) });
    }
    for (const [id, entry] of after)
      if (!before.has(id)) out.push({ entry: `${what[section]} ${id}`, kind: 'added', lines: yamlLines(entry).map((l) => `+ ${l}`) });
    const order = (list: Iterable<string>, other: Map<string, unknown>) => [...list].filter((id) => other.has(id));
    if (out.length === 0 && !isDeepStrictEqual(order(before.keys(), after), order(after.keys(), before)))
      out.push({ entry: `${section} order`, kind: 'changed', lines: lineDiff([...before.keys()], [...after.keys()]) });
  }
  return out;
}

const yamlLines = (value: unknown) => stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd().split('\n');

/** Largest input the quadratic diff takes; beyond it every line is shown as removed and added. */
const MAX_DIFF_LINES = 2000;

/** A line diff (longest common subsequence), with unchanged lines more than 2 away from a change left out. */
export function lineDiff(a: readonly string[], b: readonly string[]): string[] {
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) return [...a.map((l) => `- ${l}`), ...b.map((l) => `+ ${l}`)];
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const all: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      all.push(`  ${a[i++]}`);
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) all.push(`- ${a[i++]}`);
    else all.push(`+ ${b[j++]}`);
  }
  const near = (k: number) => all.slice(Math.max(0, k - 2), k + 3).some((l) => !l.startsWith('  '));
  return all.filter((l, k) => !l.startsWith('  ') || near(k));
}
