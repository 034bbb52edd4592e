import type { SourceIR, ToolIR, ToolsetIR } from '../../runtime/artifact/ir.js';
import { closest } from '../../runtime/suggest.js';
import type { CompactForm } from '../kinds/kind.js';
import { obj, type Obj } from '../plain.js';
import type { LowerContext } from './context.js';
import { fitToBudget, type FitCandidate } from './fit.js';
import { listTokens } from './tokens.js';

/** What a toolset may select: the manifest's tools and every source's tools before the root's `mode: auto` choice. */
export interface ToolsetInput {
  readonly own: readonly ToolIR[];
  readonly sources: readonly FitCandidate[];
  /** The tools the root endpoint serves. */
  readonly root: readonly ToolIR[];
  /** Sources the root serves in their compact form (their run-time settings already hold what it reaches). */
  readonly compacted: ReadonlySet<string>;
  readonly budget: number;
}

export interface ToolsetsLowered {
  readonly toolsets?: Record<string, ToolsetIR>;
  /** Tools only toolsets serve (ToolIR.onlyIn): ones the root reaches through its source's compact form, and toolsets' own compact forms. */
  readonly tools: readonly ToolIR[];
  /** Sources whose compact form a toolset serves while the root does not: their run-time settings with what it reaches. */
  readonly sources: Readonly<Record<string, SourceIR>>;
}

interface Candidate {
  readonly tool: ToolIR;
  readonly source?: string;
  readonly generated: boolean;
  readonly tags: readonly string[];
}

/** `toolsets:` → which tools each serves, fitted to its budget as the root is (see fit.ts). */
export function lowerToolsets(value: Obj, input: ToolsetInput, ctx: LowerContext): ToolsetsLowered {
  const declared = Object.entries(obj(value.toolsets));
  if (declared.length === 0) return { tools: [], sources: {} };
  const pool: Candidate[] = [
    ...input.own.map((tool) => ({ tool, generated: false, tags: [], ...sourceField(tool) })),
    ...input.sources.flatMap((c) =>
      (c.lowered.tools ?? []).map((tool) => ({ tool, source: c.name, generated: true, tags: c.lowered.tags?.get(tool.name) ?? [] }))
    )
  ];
  const root = new Map(input.root.map((t) => [t.name, t] as const));
  const only = new Map<string, { tool: ToolIR; onlyIn: string[] }>();
  const patched: Record<string, SourceIR> = {};
  const toolsets: Record<string, ToolsetIR> = {};
  for (const [name, raw] of declared) {
    const settings = obj(raw);
    const pointer = `/toolsets/${name}`;
    const selected = select(pool, settings, pointer, Object.keys(obj(value.sources)), ctx);
    const served = fitted(name, settings, selected, input, ctx);
    for (const [source, form] of served.forms) if (!input.compacted.has(source)) patched[source] = form.source;
    const here = new Set<string>();
    for (const tool of served.tools) {
      // One name, one tool: at this endpoint, at the root and in every toolset (a call is routed by its name alone).
      const elsewhere = [root.get(tool.name), only.get(tool.name)?.tool].some((t) => t !== undefined && t !== tool);
      const clash = here.has(tool.name) ? 'twice' : elsewhere ? 'for another tool than the one of that name elsewhere' : undefined;
      here.add(tool.name);
      if (clash) {
        const hint = 'Rename one (an operation: override with name:, or another source name), or select fewer tools.';
        ctx.error('MCPGEN_DUPLICATE_NAME', `toolset "${name}" serves tool name "${tool.name}" ${clash}`, pointer, { hint });
        continue;
      }
      if (root.get(tool.name) === tool) continue;
      const entry = only.get(tool.name) ?? { tool, onlyIn: [] };
      entry.onlyIn.push(name);
      only.set(tool.name, entry);
    }
    toolsets[name] = {
      tools: served.tools.map((t) => t.name),
      ...(Array.isArray(settings.scopes) && settings.scopes.length > 0 ? { scopes: settings.scopes.map(String) } : {}),
      ...(typeof settings.description === 'string' ? { description: settings.description } : {})
    };
  }
  return { toolsets, tools: [...only.values()].map(({ tool, onlyIn }) => ({ ...tool, onlyIn })), sources: patched };
}

/** The tools a toolset serves: its selection, with the tools of `mode: auto` sources in compact form when over its budget. */
function fitted(name: string, settings: Obj, selected: readonly Candidate[], input: ToolsetInput, ctx: LowerContext) {
  const groups = new Map<string, { form: CompactForm; tools: ToolIR[] }>();
  const fixed: ToolIR[] = [];
  for (const c of selected) {
    const compact = c.generated ? input.sources.find((s) => s.name === c.source)?.lowered.compact : undefined;
    if (compact === undefined || !('tools' in compact)) fixed.push(c.tool);
    else {
      const group = groups.get(c.source!) ?? { form: compact, tools: [] };
      group.tools.push(c.tool);
      groups.set(c.source!, group);
    }
  }
  const forms = new Map<string, CompactForm>();
  const candidates: FitCandidate[] = [...groups].map(([source, { form, tools }]) => {
    const small = {
      ...form,
      ...form.subset(
        tools.map((t) => t.name),
        `${name}_`
      )
    };
    forms.set(source, small);
    return { name: source, lowered: { tools, compact: small } };
  });
  const budget = typeof settings.tokenBudget === 'number' ? settings.tokenBudget : input.budget;
  const scope = { label: ` in toolset "${name}"`, setting: `toolsets.${name}.tokenBudget`, pointer: `/toolsets/${name}` };
  const compacted = candidates.length > 0 ? fitToBudget(listTokens(fixed), candidates, budget, ctx, scope) : new Set<string>();
  const tools: ToolIR[] = [];
  const placed = new Set<string>();
  for (const c of selected) {
    if (c.generated && compacted.has(c.source!)) {
      if (!placed.has(c.source!)) tools.push(...forms.get(c.source!)!.tools);
      placed.add(c.source!);
    } else tools.push(c.tool);
  }
  return { tools, forms: [...forms].filter(([source]) => compacted.has(source)) };
}

/** The tools any of `tools:`, `tags:` or `sources:` selects, in pool order; a selector that selects nothing is an error. */
function select(pool: readonly Candidate[], settings: Obj, pointer: string, sources: readonly string[], ctx: LowerContext): Candidate[] {
  const list = (key: string) => (Array.isArray(settings[key]) ? (settings[key] as unknown[]).map(String) : []);
  const names = list('tools');
  const tags = list('tags');
  const from = list('sources');
  const hits = new Set<string>();
  const picked = pool.filter((c) => {
    const byName = names.filter((n) => globMatch(n, c.tool.name));
    const byTag = tags.filter((t) => c.tags.includes(t));
    const bySource = from.filter((s) => c.source === s);
    for (const [key, found] of [
      ['tools', byName],
      ['tags', byTag],
      ['sources', bySource]
    ] as const)
      for (const f of found) hits.add(`${key}\0${f}`);
    return byName.length + byTag.length + bySource.length > 0;
  });
  const report = (key: string, values: readonly string[], known: Iterable<string>, what: string) =>
    values.forEach((v, i) => {
      if (hits.has(`${key}\0${v}`)) return;
      const near = closest(v, known);
      ctx.error(
        'MCPGEN_TOOLSET',
        `toolset entry ${JSON.stringify(v)} selects no tool: no ${what} matches it${near ? ` (did you mean "${near}"?)` : ''}`,
        `${pointer}/${key}/${i}`
      );
    });
  report(
    'tools',
    names,
    pool.map((c) => c.tool.name),
    'tool name'
  );
  report('tags', tags, new Set(pool.flatMap((c) => c.tags)), 'tag of any tool');
  report('sources', from, sources, 'source with tools');
  return picked;
}

/** The source a manifest tool reads from (`source:` of a SQL tool…), whatever its kind. */
function sourceField(tool: ToolIR): { source?: string } {
  const source = (tool.exec as { source?: unknown }).source;
  return typeof source === 'string' ? { source } : {};
}

/** `*` any run of characters, `?` one; everything else literal. Linear backtracking (one saved star), no regex. */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
