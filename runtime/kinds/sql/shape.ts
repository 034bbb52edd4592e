import { createHash } from 'node:crypto';
import type { SqlExec } from './ir.js';
import type { RawResult } from './dialect.js';
import { jsonRow } from './values.js';

export interface Page {
  readonly rows: Record<string, unknown>[];
  readonly columns: readonly string[];
  readonly rowCount: number;
  readonly affectedRows?: number;
  readonly truncated?: 'rows' | 'bytes';
  readonly nextCursor?: string;
  readonly offset: number;
}

/** The structured result every SQL tool returns (its outputSchema's envelope). */
export function structured(page: Page): Record<string, unknown> {
  return {
    rows: page.rows,
    rowCount: page.rowCount,
    ...(page.affectedRows !== undefined ? { affectedRows: page.affectedRows } : {}),
    ...(page.truncated ? { truncated: true } : {}),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {})
  };
}

/** Takes one page from the raw rows: at most maxRows rows and maxBytes bytes of JSON after `offset`. */
export function paginate(raw: RawResult, exec: Pick<SqlExec, 'maxRows' | 'maxBytes'>, offset: number, cursorKey: string | undefined): Page {
  const rows: Record<string, unknown>[] = [];
  let bytes = 2;
  let truncated: Page['truncated'];
  const available = raw.rows.slice(offset);
  for (const r of available) {
    if (rows.length === exec.maxRows) {
      truncated = 'rows';
      break;
    }
    const row = jsonRow(r);
    bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
    if (bytes > exec.maxBytes) {
      truncated = 'bytes';
      break;
    }
    rows.push(row);
  }
  const next = truncated && cursorKey !== undefined && rows.length > 0 ? encodeCursor(offset + rows.length, cursorKey) : undefined;
  return {
    rows,
    columns: raw.columns,
    rowCount: rows.length,
    ...(raw.affectedRows !== undefined ? { affectedRows: raw.affectedRows } : {}),
    ...(truncated ? { truncated } : {}),
    ...(next ? { nextCursor: next } : {}),
    offset
  };
}

/** What the model reads when a page is cut. */
export function notice(page: Page, exec: Pick<SqlExec, 'maxRows' | 'maxBytes'>): string | undefined {
  if (!page.truncated) return undefined;
  const first = page.offset + 1;
  const why = page.truncated === 'rows' ? `maxRows ${exec.maxRows}` : `maxBytes ${exec.maxBytes}`;
  if (page.rows.length === 0) return `Result truncated: row ${first} alone is larger than ${why}; select fewer or shorter columns.`;
  const more = page.nextCursor ? ` For the next rows call again with the same arguments and cursor: "${page.nextCursor}".` : '';
  return `Result truncated at ${why}: rows ${first}-${page.offset + page.rows.length} shown.${more}`;
}

/** The text rendering of a page in the entry's format. */
export function render(page: Page, format: SqlExec['format']): string {
  if (format === 'json') return JSON.stringify(structured(page));
  if (page.columns.length === 0) return page.affectedRows !== undefined ? `${page.affectedRows} row(s) affected.` : 'No rows.';
  if (format === 'csv')
    return (
      [page.columns.map(csvCell).join(','), ...page.rows.map((r) => page.columns.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n'
    );
  const head = `| ${page.columns.map(mdCell).join(' | ')} |\n| ${page.columns.map(() => '---').join(' | ')} |`;
  const body = page.rows.map((r) => `| ${page.columns.map((c) => mdCell(r[c])).join(' | ')} |`).join('\n');
  return page.rows.length === 0 ? `${head}\n\n(no rows)` : `${head}\n${body}`;
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function csvCell(v: unknown): string {
  const t = text(v);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

function mdCell(v: unknown): string {
  return text(v).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/**
 * Cursors are opaque: the row offset plus a digest of the query's other arguments, so a cursor only pages
 * the query it came from. A forged offset can only skip rows of the same query.
 */
export function cursorKeyOf(name: string, args: Readonly<Record<string, unknown>>): string {
  const { cursor: _cursor, ...rest } = args;
  const sorted = Object.keys(rest)
    .sort()
    .map((k) => [k, rest[k]]);
  return createHash('sha256')
    .update(`${name}\n${JSON.stringify(sorted)}`)
    .digest('base64url')
    .slice(0, 16);
}

export function encodeCursor(offset: number, key: string): string {
  return Buffer.from(JSON.stringify({ o: offset, k: key })).toString('base64url');
}

/** The offset a cursor carries, or an error message for the model. */
export function decodeCursor(cursor: unknown, key: string): number | { error: string } {
  if (cursor === undefined || cursor === null || cursor === '') return 0;
  try {
    const c = JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8')) as { o?: unknown; k?: unknown };
    if (c.k !== key) return { error: 'this cursor belongs to other arguments: repeat the call that returned it, with the same arguments' };
    if (typeof c.o === 'number' && Number.isSafeInteger(c.o) && c.o >= 0) return c.o;
  } catch {
    /* reported below */
  }
  return { error: 'invalid cursor: pass nextCursor from a previous result unchanged' };
}
