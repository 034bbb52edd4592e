import type { Entry } from '../kinds/kind.js';
import type { LowerContext } from './context.js';
import { obj, type Obj } from '../plain.js';

/** The settings of the source an entry reads from (`sources.NAME`), or nothing. */
function sourceSettings(source: string | undefined, ctx: LowerContext): Obj {
  return source === undefined ? {} : obj(obj(obj(ctx.manifest.value).sources)[source]);
}

/** `scopes:` of the entry, else of its source; nothing when neither names one. */
export function scopesOf(entry: Entry | undefined, source: string | undefined, ctx: LowerContext): { scopes?: string[] } {
  const own = entry?.scopes;
  const inherited = sourceSettings(source, ctx).scopes;
  const scopes = Array.isArray(own) ? own.map(String) : Array.isArray(inherited) ? inherited.map(String) : undefined;
  return scopes && scopes.length > 0 ? { scopes } : {};
}

export interface ToolAccess {
  /** The public input schema: claim-filled arguments taken out (the model never sees or sets them). */
  readonly inputSchema: Obj;
  readonly scopes?: string[];
  /** Argument → claim path, filled from the caller's credentials before validation. */
  readonly fromAuth?: Record<string, string>;
}

export interface ToolSite {
  readonly name: string;
  readonly pointer: string;
  /** The source the tool reads from, whose `scopes:` and `fromAuth:` apply to it. */
  readonly source?: string;
}

/**
 * A tool's access rules, settled while it is lowered: its scopes (its own, else its source's) and its
 * claim-filled arguments (`fromAuth:` on input properties, the tool's `fromAuth:` map, its source's map).
 * `schema` is what the validator checks, injected values included; the returned inputSchema is the public one.
 */
export function toolAccess(schema: Obj, entry: Entry | undefined, tool: ToolSite, ctx: LowerContext): ToolAccess {
  const properties = obj(schema.properties);
  const fromAuth: Record<string, string> = {};
  for (const [argument, path] of Object.entries(obj(sourceSettings(tool.source, ctx).fromAuth))) {
    if (argument in properties) fromAuth[argument] = String(path);
  }
  for (const [argument, prop] of Object.entries(obj(obj(entry?.input).properties))) {
    if (typeof obj(prop).fromAuth === 'string') fromAuth[argument] = String(obj(prop).fromAuth);
  }
  for (const [argument, path] of Object.entries(obj(entry?.fromAuth))) {
    if (argument in properties) fromAuth[argument] = String(path);
    else {
      const known = Object.keys(properties).join(', ') || 'none';
      const message = `fromAuth names "${argument}", which is not an argument of tool "${tool.name}" (arguments: ${known})`;
      ctx.error('MCPGEN_AUTH', message, `${tool.pointer}/fromAuth/${argument}`);
    }
  }
  const scopes = scopesOf(entry, tool.source, ctx);
  const filled = Object.keys(fromAuth);
  if (filled.length === 0) return { inputSchema: schema, ...scopes };
  const visible = Object.fromEntries(Object.entries(properties).filter(([k]) => !filled.includes(k)));
  const required = Array.isArray(schema.required) ? schema.required.filter((r) => !filled.includes(String(r))) : undefined;
  const { required: _all, ...others } = schema;
  const inputSchema = { ...others, properties: visible, ...(required && required.length > 0 ? { required } : {}) };
  return { inputSchema, ...scopes, fromAuth };
}
