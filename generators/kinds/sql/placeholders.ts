import type { SqlPart } from '../../../runtime/kinds/sql/ir.js';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** A placeholder found in the SQL text, with its offset (for line:col in errors). */
export interface Placeholder {
  readonly name: string;
  readonly kind: 'param' | 'ident';
  readonly offset: number;
}

export interface ParsedSql {
  /** Statements split at top-level `;`; each keeps the offset of its first character. */
  readonly statements: { readonly parts: SqlPart[]; readonly offset: number; readonly text: string }[];
  readonly placeholders: Placeholder[];
  readonly problems: { readonly message: string; readonly offset: number }[];
}

const nameChar = /[A-Za-z0-9_]/;
const nameStart = /[A-Za-z_]/;

/**
 * Splits SQL into literal text, `:name` value placeholders and `:{name}` identifier placeholders, skipping
 * string literals, quoted identifiers, comments, `::` casts and PostgreSQL dollar quotes. Positional
 * placeholders (`?`, `$1`) are refused: every value goes through a named, declared argument.
 */
export function parseSql(sql: string, dialect: Dialect): ParsedSql {
  const statements: ParsedSql['statements'] = [];
  const placeholders: Placeholder[] = [];
  const problems: ParsedSql['problems'] = [];
  let parts: SqlPart[] = [];
  let text = '';
  let statementStart = 0;
  let literalStart = 0;
  const flushLiteral = (end: number) => {
    if (end > literalStart) parts.push(sql.slice(literalStart, end));
  };
  const endStatement = (end: number) => {
    flushLiteral(end);
    text = sql.slice(statementStart, end);
    if (!isBlank(text)) statements.push({ parts: merge(parts), offset: statementStart, text });
    parts = [];
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || (c === '"' && dialect === 'mysql')) i = skipQuoted(sql, i, c, dialect === 'mysql' || isEscapeString(sql, i, dialect));
    else if (c === '"' || (c === '`' && dialect !== 'postgres')) i = skipQuoted(sql, i, c, false);
    else if (c === '[' && dialect === 'sqlite') i = until(sql, i + 1, ']');
    else if (c === '-' && next === '-') i = until(sql, i, '\n');
    else if (c === '#' && dialect === 'mysql') i = until(sql, i, '\n');
    else if (c === '/' && next === '*') i = until(sql, i + 2, '*/');
    else if (c === '$' && dialect === 'postgres' && /[A-Za-z_$]/.test(next ?? '') && dollarTag(sql, i)) i = skipDollar(sql, i);
    else if (c === '$' && dialect === 'postgres' && /[0-9]/.test(next ?? '') && !nameChar.test(sql[i - 1] ?? '')) {
      problems.push({ message: 'positional placeholder $N: name the value instead (:name)', offset: i });
      i += 2;
    } else if (c === '?' && dialect !== 'postgres') {
      problems.push({ message: 'positional placeholder ?: name the value instead (:name)', offset: i });
      i++;
    } else if (c === ':' && next === ':') i += 2;
    else if (c === ':' && next === '{') {
      const close = sql.indexOf('}', i);
      const name = close === -1 ? '' : sql.slice(i + 2, close);
      if (!nameStart.test(name[0] ?? '') || ![...name].every((ch) => nameChar.test(ch))) {
        problems.push({ message: 'identifier placeholder must be :{name} with a property name', offset: i });
        i += 2;
        continue;
      }
      flushLiteral(i);
      parts.push({ ident: name });
      placeholders.push({ name, kind: 'ident', offset: i });
      i = close + 1;
      literalStart = i;
    } else if (c === ':' && nameStart.test(next ?? '') && !nameChar.test(sql[i - 1] ?? '')) {
      let end = i + 1;
      while (end < sql.length && nameChar.test(sql[end]!)) end++;
      const name = sql.slice(i + 1, end);
      flushLiteral(i);
      parts.push({ param: name });
      placeholders.push({ name, kind: 'param', offset: i });
      i = end;
      literalStart = i;
    } else if (c === ';') {
      endStatement(i);
      i++;
      literalStart = statementStart = i;
    } else i++;
  }
  endStatement(sql.length);
  return { statements, placeholders, problems };
}

function isBlank(text: string): boolean {
  return text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() === '';
}

/** Adjacent literal pieces are joined (a statement is then usually one string between parameters). */
function merge(parts: SqlPart[]): SqlPart[] {
  const out: SqlPart[] = [];
  for (const p of parts) {
    if (typeof p === 'string' && typeof out[out.length - 1] === 'string') out[out.length - 1] += p;
    else out.push(p);
  }
  return out;
}

/** PostgreSQL E'…' strings take backslash escapes; standard strings only double the quote. */
function isEscapeString(sql: string, i: number, dialect: Dialect): boolean {
  return dialect === 'postgres' && /[eE]/.test(sql[i - 1] ?? '') && !nameChar.test(sql[i - 2] ?? '');
}

function skipQuoted(sql: string, start: number, quote: string, backslash: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    if (backslash && sql[i] === '\\') i += 2;
    else if (sql[i] === quote && sql[i + 1] === quote) i += 2;
    else if (sql[i] === quote) return i + 1;
    else i++;
  }
  return sql.length;
}

function until(sql: string, from: number, end: string): number {
  const at = sql.indexOf(end, from);
  return at === -1 ? sql.length : at + end.length;
}

function dollarTag(sql: string, i: number): string | undefined {
  return /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))?.[0];
}

function skipDollar(sql: string, i: number): number {
  const tag = dollarTag(sql, i)!;
  return until(sql, i + tag.length, tag);
}

/** 1-based line and column of an offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}
