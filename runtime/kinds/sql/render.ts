import type { SqlPart } from './ir.js';
import type { BoundStatement, Dialect } from './dialect.js';

/**
 * A statement's parts → driver text and positional values. Values are always bound, never written into the
 * text; identifiers come only from the build-checked enum list, quoted by the dialect.
 */
export function bindStatement(
  parts: readonly SqlPart[],
  args: Readonly<Record<string, unknown>>,
  dialect: Dialect,
  identifiers: Readonly<Record<string, readonly string[]>> = {},
  /** Filled with the bound length of each part (the build-time check maps error positions back). */
  lengths?: number[]
): BoundStatement {
  let text = '';
  const values: unknown[] = [];
  parts.forEach((p, i) => {
    const before = text.length;
    if (typeof p === 'string') text += p;
    else if ('param' in p) {
      values.push(dialect.bind(args[p.param] ?? null));
      text += dialect.placeholder(values.length) + (needsText(dialect, parts[i - 1], parts[i + 1]) ? '::text' : '');
    } else text += identifier(p.ident, args[p.ident], identifiers, dialect);
    lengths?.push(text.length - before);
  });
  return { text, values };
}

/**
 * PostgreSQL infers each parameter's type from where it stands; next to `IS NULL` or `||` there is nothing to
 * infer from ("could not determine data type"), so those occurrences are sent as text. Every occurrence is
 * its own parameter, so `:x IS NULL OR col = :x` still compares with col's type.
 */
function needsText(dialect: Dialect, before: SqlPart | undefined, after: SqlPart | undefined): boolean {
  if (dialect.name !== 'postgres') return false;
  return (
    (typeof after === 'string' && /^\s*(\|\||IS\s+(NOT\s+)?NULL\b)/i.test(after)) || (typeof before === 'string' && /\|\|\s*$/.test(before))
  );
}

const directions = new Set(['ASC', 'DESC']);

function identifier(name: string, value: unknown, identifiers: Readonly<Record<string, readonly string[]>>, dialect: Dialect): string {
  const allowed = identifiers[name] ?? [];
  // The validator already enforced the enum; this guard keeps the text safe even if it were bypassed.
  if (typeof value !== 'string' || !allowed.includes(value)) throw new RangeError(`${name} must be one of ${allowed.join(', ')}`);
  return directions.has(value.toUpperCase()) ? value.toUpperCase() : dialect.quoteIdent(value);
}
