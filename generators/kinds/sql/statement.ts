import type { SqlPart } from '../../../runtime/kinds/sql/ir.js';
import type { BoundStatement, Dialect } from '../../../runtime/kinds/sql/dialect.js';
import { bindStatement } from '../../../runtime/kinds/sql/render.js';

/** A statement bound for the check (NULL for every value, the first enum value for identifiers). */
export interface CheckStatement extends BoundStatement {
  /** Maps a 0-based offset in the bound text back to an offset in the original SQL text. */
  original(boundOffset: number): number;
}

/** Binds like the runtime does, and remembers where each part came from in the SQL the user wrote. */
export function buildStatement(
  parts: readonly SqlPart[],
  identifiers: Readonly<Record<string, readonly string[]>>,
  dialect: Dialect,
  statementOffset = 0
): CheckStatement {
  const args = Object.fromEntries(Object.entries(identifiers).map(([k, v]) => [k, v[0]]));
  const lengths: number[] = [];
  const bound = bindStatement(parts, args, dialect, identifiers, lengths);
  // Each part's length as written and after binding: enough to map a bound offset back.
  const segments: { from: number; to: number; length: number; literal: boolean }[] = [];
  let from = 0;
  let to = statementOffset;
  parts.forEach((p, i) => {
    const written = typeof p === 'string' ? p.length : 'param' in p ? p.param.length + 1 : p.ident.length + 3;
    segments.push({ from, to, length: lengths[i]!, literal: typeof p === 'string' });
    from += lengths[i]!;
    to += written;
  });
  return {
    ...bound,
    original(offset) {
      const s = [...segments].reverse().find((seg) => seg.from <= offset);
      if (!s) return statementOffset;
      return s.literal ? s.to + Math.min(offset - s.from, s.length) : s.to;
    }
  };
}
