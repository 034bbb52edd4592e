import type { PromptIR, ResourceIR, ResourceTemplateIR, ToolIR } from '../../../runtime/artifact/ir.js';
import type { McpSurfaceIR } from '../../../runtime/kinds/mcp/ir.js';
import { parseUriTemplate } from '../../../runtime/uri-template.js';
import type { LowerContext } from '../../lower/context.js';
import type { Entry, SourceLowered } from '../kind.js';

import { obj, type Obj } from '../../plain.js';
import { scopesOf } from '../../lower/access.js';
const validName = /^[A-Za-z0-9_./-]{1,64}$/;

/** `*` matches any text (scans, no regular expression: linear in the name). */
export function globMatch(glob: string, text: string): boolean {
  const parts = glob.split('*');
  if (parts.length === 1) return glob === text;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!text.startsWith(first) || !text.endsWith(last) || first.length + last.length > text.length) return false;
  let at = first.length;
  for (const middle of parts.slice(1, -1)) {
    const found = text.indexOf(middle, at);
    if (found === -1 || found + middle.length > text.length - last.length) return false;
    at = found + middle.length;
  }
  return true;
}

/** Which upstream entries to mount, and how (name, descriptor changes, scopes, confirm), from the source's settings. */
class Mounting {
  private readonly include: readonly string[];
  private readonly exclude: readonly string[];
  private readonly overrides: Obj;
  private readonly used = new Set<string>();
  readonly prefix: string;

  constructor(
    readonly name: string,
    settings: Entry,
    private readonly ctx: LowerContext
  ) {
    this.include = Array.isArray(settings.include) ? settings.include.map(String) : [];
    this.exclude = Array.isArray(settings.exclude) ? settings.exclude.map(String) : [];
    this.overrides = obj(settings.overrides);
    this.prefix = typeof settings.prefix === 'string' ? settings.prefix : `${name}_`;
  }

  /** The keys (upstream name, URI, template) an entry answers to; undefined when it is not mounted. */
  selected(keys: readonly string[]): boolean {
    const hit = (globs: readonly string[]) => globs.filter((g) => keys.some((k) => globMatch(g, k)));
    const included = hit(this.include);
    const excluded = hit(this.exclude);
    for (const g of [...included, ...excluded]) this.used.add(`glob:${g}`);
    return (this.include.length === 0 || included.length > 0) && excluded.length === 0;
  }

  override(key: string): { entry: Obj; pointer: string } | undefined {
    if (!(key in this.overrides)) return undefined;
    this.used.add(`override:${key}`);
    return { entry: obj(this.overrides[key]), pointer: `/sources/${this.name}/overrides/${key.replace(/~/g, '~0').replace(/\//g, '~1')}` };
  }

  /** The mounted name; for tools and prompts undefined (with a warning) when it would not be a valid name. */
  mountedName(upstream: string, override: Obj | undefined, what: string): string | undefined {
    const name = typeof override?.name === 'string' ? override.name : `${this.prefix}${upstream}`;
    // A resource's name is display text (spaces allowed); tools and prompts are called by theirs.
    if (what.startsWith('resource') || validName.test(name)) return name;
    this.ctx.warn(
      'MCPGEN_MCP_SELECT',
      `source "${this.name}": ${what} "${upstream}" skipped: "${name}" is not a valid name ` +
        '(1-64 of A-Z a-z 0-9 _ . / -); rename it under overrides:',
      `/sources/${this.name}`
    );
    return undefined;
  }

  /** Warns about include/exclude globs and overrides that matched nothing upstream. */
  reportUnused(): void {
    const base = `/sources/${this.name}`;
    for (const [list, globs] of [
      ['include', this.include],
      ['exclude', this.exclude]
    ] as const) {
      globs.forEach((glob, i) => {
        if (!this.used.has(`glob:${glob}`))
          this.ctx.warn(
            'MCPGEN_MCP_SELECT',
            `source "${this.name}": ${list} "${glob}" matches nothing the upstream offers`,
            `${base}/${list}/${i}`
          );
      });
    }
    for (const key of Object.keys(this.overrides)) {
      if (!this.used.has(`override:${key}`))
        this.ctx.warn(
          'MCPGEN_MCP_SELECT',
          `source "${this.name}": overrides "${key}" names nothing the upstream offers (or it is not mounted)`,
          `${base}/overrides`
        );
    }
  }
}

/** Descriptor as the upstream sent it, with the mounted name and any title/description override. */
function descriptorOf(upstream: Obj, name: string, override: Obj | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...upstream, name };
  for (const key of ['title', 'description'] as const) if (typeof override?.[key] === 'string') out[key] = override[key];
  return out;
}

/** The upstream's surface → mounted tools, resources, templates and prompts (schemas unchanged). */
export function mount(name: string, settings: Entry, surface: McpSurfaceIR, ctx: LowerContext): Omit<SourceLowered, 'source'> {
  const m = new Mounting(name, settings, ctx);
  const at = (o: { pointer: string } | undefined) => ctx.sourceRef(o?.pointer ?? `/sources/${name}`);
  // The upstream validates arguments against its own schema (often draft-07, which mcp-gen's 2020-12 validators
  // would misread): mcp-gen checks only that they are an object.
  const anyObject = ctx.validators.add({ type: 'object' });
  const validator = 'name' in anyObject ? anyObject.name : '';
  const tools: ToolIR[] = [];
  for (const t of surface.tools) {
    const upstream = String(t.name);
    if (!m.selected([upstream])) continue;
    const o = m.override(upstream);
    const mounted = m.mountedName(upstream, o?.entry, 'tool');
    if (!mounted) continue;
    const confirm = typeof o?.entry.confirm === 'string' ? { confirm: o.entry.confirm } : {};
    tools.push({
      name: mounted,
      descriptor: descriptorOf(t, mounted, o?.entry),
      validator,
      exec: { kind: 'mcp', source: name, upstream },
      ...confirm,
      ...scopesOf(o?.entry, name, ctx),
      at: at(o)
    });
  }
  const resources: ResourceIR[] = [];
  for (const r of surface.resources) {
    const uri = String(r.uri);
    if (!m.selected([String(r.name), uri])) continue;
    const o = m.override(uri) ?? m.override(String(r.name));
    const mounted = m.mountedName(String(r.name), o?.entry, 'resource');
    if (!mounted) continue;
    const mimeType = typeof r.mimeType === 'string' ? r.mimeType : 'text/plain';
    resources.push({
      uri,
      name: mounted,
      mimeType,
      descriptor: descriptorOf(r, mounted, o?.entry),
      exec: { kind: 'mcp', source: name, upstream: uri },
      ...scopesOf(o?.entry, name, ctx),
      at: at(o)
    });
  }
  const resourceTemplates: ResourceTemplateIR[] = [];
  for (const r of surface.resourceTemplates) {
    const uriTemplate = String(r.uriTemplate);
    if (!m.selected([String(r.name), uriTemplate])) continue;
    const o = m.override(uriTemplate) ?? m.override(String(r.name));
    const mounted = m.mountedName(String(r.name), o?.entry, 'resource template');
    const parsed = parseUriTemplate(uriTemplate);
    if (!mounted) continue;
    if ('error' in parsed) {
      ctx.warn(
        'MCPGEN_MCP_SELECT',
        `source "${name}": resource template ${JSON.stringify(uriTemplate)} skipped: ${parsed.error}`,
        `/sources/${name}`
      );
      continue;
    }
    const mime = typeof r.mimeType === 'string' ? { mimeType: r.mimeType } : {};
    const exec = { kind: 'mcp' as const, source: name, upstream: uriTemplate };
    resourceTemplates.push({
      uriTemplate,
      name: mounted,
      ...mime,
      pattern: parsed.pattern,
      variables: parsed.variables,
      descriptor: descriptorOf(r, mounted, o?.entry),
      exec,
      ...scopesOf(o?.entry, name, ctx),
      at: at(o)
    });
  }
  const prompts: PromptIR[] = [];
  for (const p of surface.prompts) {
    const upstream = String(p.name);
    if (!m.selected([upstream])) continue;
    const o = m.override(upstream);
    const mounted = m.mountedName(upstream, o?.entry, 'prompt');
    if (!mounted) continue;
    const args = (Array.isArray(p.arguments) ? p.arguments : []).map((a) => ({
      name: String(obj(a).name),
      required: obj(a).required === true
    }));
    prompts.push({
      name: mounted,
      descriptor: descriptorOf(p, mounted, o?.entry),
      arguments: args,
      messages: [],
      exec: { kind: 'mcp', source: name, upstream },
      ...scopesOf(o?.entry, name, ctx),
      at: at(o)
    });
  }
  m.reportUnused();
  return { tools, resources, resourceTemplates, prompts };
}
