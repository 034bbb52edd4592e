import type { SqlExec, SqlQueryIR } from '../../../runtime/artifact/ir.js';
import type { LowerContext } from '../../lower/context.js';
import type { Entry, EntryRef, GeneratorKind, Lowering } from '../kind.js';
import { lowerQuery, type LoweredQuery, type QuerySite } from './query.js';

type Obj = Record<string, unknown>;

/** Queries lowered in a build, for the build-time check (by entry pointer). */
const checks = new WeakMap<LowerContext, Map<string, LoweredQuery>>();

export function loweredQueries(ctx: LowerContext): ReadonlyMap<string, LoweredQuery> {
  return checks.get(ctx) ?? new Map();
}

function remember(ctx: LowerContext, q: LoweredQuery): void {
  const map = checks.get(ctx) ?? new Map<string, LoweredQuery>();
  checks.set(ctx, map);
  map.set(q.site.pointer, q);
}

const cursorProperty = { cursor: { type: 'string', description: 'nextCursor of a previous result, to read its next page (same arguments).' } };

function exec(entry: Entry, q: LoweredQuery): SqlExec {
  return {
    ...q.ir,
    format: (entry.format as SqlExec['format'] | undefined) ?? 'json',
    maxRows: typeof entry.maxRows === 'number' ? entry.maxRows : 100,
    maxBytes: typeof entry.maxBytes === 'number' ? entry.maxBytes : 262_144
  };
}

function lowering(type: 'tool' | 'resource' | 'resourceTemplate'): Lowering<SqlExec> {
  return {
    key: 'sql',
    keys: ['sqlFile'],
    ...(type === 'tool' ? { input: cursorProperty } : {}),
    lower(entry: Entry, ref: EntryRef, ctx: LowerContext) {
      const input = (entry.input ?? {}) as Obj;
      if (type === 'tool' && ref.declared.includes('cursor')) {
        ctx.error('MCPGEN_SQL_PLACEHOLDER', `tool "${ref.name}": "cursor" is reserved for paging SQL results`, `${ref.pointer}/input/properties/cursor`, { key: true });
        return undefined;
      }
      if (type !== 'tool' && entry.readOnly !== undefined) {
        ctx.error('MCPGEN_SQL_READ_ONLY', `resources only read: readOnly is for tools`, `${ref.pointer}/readOnly`);
        return undefined;
      }
      const site: QuerySite = {
        what: `${type === 'tool' ? 'tool' : type === 'resource' ? 'resource' : 'resource template'} "${ref.name}"`,
        pointer: ref.pointer,
        declared: ref.declared,
        ...(type === 'tool' ? { properties: (input.properties ?? {}) as Record<string, Obj>, required: (input.required ?? []) as string[] } : {}),
        mustUse: true,
        readOnly: type === 'tool' ? (entry.readOnly as boolean | undefined) : true,
        multipleStatements: entry.multipleStatements === true
      };
      const q = lowerQuery(entry, site, ctx);
      if (!q) return undefined;
      remember(ctx, q);
      if (type !== 'resourceTemplate' || entry.complete === undefined) return exec(entry, q);
      const complete: Record<string, SqlQueryIR> = {};
      for (const [variable, c] of Object.entries(entry.complete as Record<string, Obj>)) {
        const at = `${ref.pointer}/complete/${variable}`;
        if (!ref.declared.includes(variable)) ctx.error('MCPGEN_SQL_PLACEHOLDER', `resource template "${ref.name}" has no variable "${variable}" to complete`, at, { key: true });
        const cq = completion(c, at, `completion of "${variable}"`, ctx, q.ir.source);
        if (cq) complete[variable] = cq;
      }
      return { ...exec(entry, q), complete };
    }
  };
}

function completion(c: Obj, pointer: string, what: string, ctx: LowerContext, defaultSource?: string): SqlQueryIR | undefined {
  const site: QuerySite = { what, pointer, declared: ['prefix'], mustUse: false, readOnly: true, multipleStatements: false, ...(defaultSource ? { defaultSource } : {}) };
  const q = lowerQuery(c, site, ctx);
  if (q) remember(ctx, q);
  return q?.ir;
}

/** A prompt argument's `complete:` query, lowered (an empty object when there is none or it is broken). */
export function completeQuery(value: unknown, pointer: string, ctx: LowerContext): { complete?: { kind: 'sql' } & SqlQueryIR } {
  if (!value || typeof value !== 'object') return {};
  const q = completion(value as Obj, pointer, `completion at ${pointer}`, ctx);
  return q ? { complete: { kind: 'sql', ...q } } : {};
}

/** SQL queries: tools, resources and resource templates answered from a database; see docs/sql.md. */
export const sqlKind: GeneratorKind<'sql'> = {
  tool: lowering('tool'),
  resource: lowering('resource'),
  resourceTemplate: lowering('resourceTemplate')
};
