import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { SqlQueryIR } from '../../../runtime/kinds/sql/ir.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { LowerContext } from '../../lower/context.js';
import { lineCol, parseSql, type ParsedSql } from './placeholders.js';
import { sqlSources } from './sources.js';

type Obj = Record<string, unknown>;

/** What the lowering of one query needs to know about its entry. */
export interface QuerySite {
  /** e.g. `tool "top_customers"`. */
  readonly what: string;
  /** Pointer of the entry (sql/sqlFile/source are its children). */
  readonly pointer: string;
  /** Names the SQL may bind: input properties, URI variables or `prefix`. */
  readonly declared: readonly string[];
  /** Input property schemas (tools): identifiers need enums. */
  readonly properties?: Readonly<Record<string, Obj>>;
  readonly required?: readonly string[];
  /** Declared names that must all be used (tool properties, URI variables). */
  readonly mustUse: boolean;
  readonly readOnly: boolean | undefined;
  readonly multipleStatements: boolean;
  readonly defaultSource?: string;
}

/** A lowered query with what the build-time check needs to point into the manifest or the SQL file. */
export interface LoweredQuery {
  readonly ir: SqlQueryIR;
  readonly parsed: ParsedSql;
  readonly text: string;
  readonly textPointer: string;
  /** Absolute path when the SQL came from sqlFile. */
  readonly file?: string;
  readonly site: QuerySite;
}

/** Queries lowered in a build, for the build-time check (by entry pointer). */
const checks = new WeakMap<LowerContext, Map<string, LoweredQuery>>();

export function loweredQueries(ctx: LowerContext): ReadonlyMap<string, LoweredQuery> {
  return checks.get(ctx) ?? new Map();
}

export function remember(ctx: LowerContext, q: LoweredQuery): void {
  const map = checks.get(ctx) ?? new Map<string, LoweredQuery>();
  checks.set(ctx, map);
  map.set(q.site.pointer, q);
}

const identifierValue = /^([A-Za-z_][A-Za-z0-9_$]*)(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;
const writeKeyword =
  /^\s*(?:\(\s*)*(insert|update|delete|replace|merge|upsert|create|drop|alter|truncate|grant|revoke|vacuum|reindex|attach|detach|copy|lock|call|do|set|load|rename)\b/i;

/** Reports a problem at an offset inside the SQL text: line:col in the manifest block or in the SQL file. */
export function errorInSql(
  ctx: LowerContext,
  q: Pick<LoweredQuery, 'text' | 'textPointer' | 'file'>,
  offset: number,
  code: DiagnosticCode,
  message: string
): void {
  const { line, col } = lineCol(q.text, offset);
  const at = q.file ? { file: relative(process.cwd(), q.file) || q.file, line, col } : ctx.positionIn(q.textPointer, q.text, line, col);
  ctx.diagnostics.push(diagnostic(code, message, at, q.textPointer));
}

/** Checks and lowers one query: its source, placeholders, statements and read-only rules. */
export function lowerQuery(entry: Obj, site: QuerySite, ctx: LowerContext): LoweredQuery | undefined {
  const sourceName = typeof entry.source === 'string' ? entry.source : site.defaultSource;
  const source = sourceName === undefined ? undefined : sqlSources(ctx).get(sourceName);
  let text: string | undefined;
  let file: string | undefined;
  let textPointer = `${site.pointer}/sql`;
  if (typeof entry.sql === 'string') text = entry.sql;
  else if (typeof entry.sqlFile === 'string') {
    textPointer = `${site.pointer}/sqlFile`;
    const rel = ctx.existingPath(entry.sqlFile, textPointer, 'file');
    if (rel !== undefined) {
      file = ctx.absolute(rel);
      text = readFileSync(file, 'utf8');
    }
  }
  if (!source) {
    const known = [...sqlSources(ctx).keys()];
    ctx.error(
      'MCPGEN_SQL_SOURCE',
      `${site.what}: no SQL source named ${JSON.stringify(sourceName ?? '')} (known: ${known.join(', ') || 'none'})`,
      typeof entry.source === 'string' ? `${site.pointer}/source` : site.pointer
    );
    return undefined;
  }
  if (text === undefined) return undefined;
  const readOnly = site.readOnly ?? source.ir.readOnly;
  if (!readOnly && source.ir.readOnly) {
    ctx.error(
      'MCPGEN_SQL_READ_ONLY',
      `${site.what} writes (readOnly: false) but source "${sourceName}" is read-only`,
      `${site.pointer}/readOnly`
    );
    return undefined;
  }
  const parsed = parseSql(text, source.ir.dialect);
  const q = { text, textPointer, ...(file ? { file } : {}) };
  const errorsBefore = ctx.diagnostics.length;
  for (const p of parsed.problems) errorInSql(ctx, q, p.offset, 'MCPGEN_SQL_PLACEHOLDER', `${site.what}: ${p.message}`);
  if (parsed.statements.length === 0) ctx.error('MCPGEN_SQL_STATEMENTS', `${site.what}: the SQL holds no statement`, textPointer);
  if (parsed.statements.length > 1 && !site.multipleStatements) {
    errorInSql(
      ctx,
      q,
      parsed.statements[1]!.offset + leadingSpace(parsed.statements[1]!.text),
      'MCPGEN_SQL_STATEMENTS',
      `${site.what}: ${parsed.statements.length} statements; one is allowed unless multipleStatements: true`
    );
  }
  if (readOnly) {
    for (const s of parsed.statements) {
      const m = writeKeyword.exec(s.text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, ''));
      if (m)
        errorInSql(
          ctx,
          q,
          s.offset + leadingSpace(s.text),
          'MCPGEN_SQL_READ_ONLY',
          `${site.what}: ${m[1]!.toUpperCase()} needs readOnly: false on the ${site.readOnly === undefined ? 'source and tool' : 'tool'}`
        );
    }
  }
  const identifiers: Record<string, string[]> = {};
  const used = new Set<string>();
  for (const p of parsed.placeholders) {
    used.add(p.name);
    if (!site.declared.includes(p.name)) {
      errorInSql(
        ctx,
        q,
        p.offset,
        'MCPGEN_SQL_PLACEHOLDER',
        `${site.what}: ${p.kind === 'ident' ? ':{' + p.name + '}' : ':' + p.name} has no declared ` +
          `${site.properties ? 'input property' : site.mustUse ? 'URI template variable' : 'value (only :prefix)'} ` +
          `(declared: ${site.declared.join(', ') || 'none'})`
      );
    } else if (p.kind === 'ident') {
      const values = identifierValues(p.name, site);
      if (typeof values === 'string') errorInSql(ctx, q, p.offset, 'MCPGEN_SQL_PLACEHOLDER', `${site.what}: :{${p.name}} ${values}`);
      else identifiers[p.name] = values;
    }
  }
  if (site.mustUse) {
    for (const name of site.declared) {
      if (used.has(name)) continue;
      const at = site.properties ? `${site.pointer}/input/properties/${name}` : `${site.pointer}/uriTemplate`;
      ctx.error(
        'MCPGEN_SQL_PLACEHOLDER',
        `${site.what}: ${site.properties ? 'input property' : 'URI variable'} "${name}" is never used in the SQL`,
        at,
        {
          ...(site.properties ? { key: true } : {}),
          hint: `Use it as :${name} (a value) or :{${name}} (an identifier from an enum), or remove it.`
        }
      );
    }
  }
  if (ctx.diagnostics.slice(errorsBefore).some((d) => d.severity === 'error')) return undefined;
  const ir: SqlQueryIR = {
    source: sourceName!,
    statements: parsed.statements.map((s) => s.parts),
    ...(Object.keys(identifiers).length > 0 ? { identifiers } : {}),
    readOnly
  };
  return { ir, parsed, ...q, site };
}

function leadingSpace(text: string): number {
  return text.length - text.trimStart().length;
}

/** Identifiers vary only through a required (or defaulted) string enum of plain names or ASC/DESC. */
function identifierValues(name: string, site: QuerySite): string[] | string {
  const schema = site.properties?.[name];
  if (!schema) return 'is only for tool input properties with an enum';
  const values = schema.enum;
  if (!Array.isArray(values) || values.length === 0) return `needs "${name}" to have an enum of allowed identifiers`;
  const bad = values.filter((v) => typeof v !== 'string' || !(identifierValue.test(v) || /^(asc|desc)$/i.test(v)));
  if (bad.length > 0)
    return (
      `enum values must be column names (letters, digits, _; optionally table.column) or ASC/DESC: ` +
      `${bad.map((v) => JSON.stringify(v)).join(', ')}`
    );
  if (!site.required?.includes(name) && schema.default === undefined) return `needs "${name}" to be required or to have a default`;
  return values as string[];
}
