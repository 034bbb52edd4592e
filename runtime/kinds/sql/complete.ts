import type { SqlQueryIR } from '../../artifact/ir.js';
import type { Services, VariableCompleter } from '../kind.js';
import { runQuery, sourceOf } from './query.js';
import { jsonValue } from './values.js';

const MAX = 100;

/** Completion values from queries by argument or variable name: the first column of each row, `:prefix` bound. */
export function completer(queries: Readonly<Record<string, SqlQueryIR>>, services: Services): VariableCompleter {
  const sources = Object.fromEntries(Object.entries(queries).map(([name, q]) => [name, sourceOf(q, services)]));
  return async (name, prefix) => {
    const query = queries[name];
    if (!query) return [];
    const outcome = await runQuery(query, sources[name]!, services, { prefix }, { signal: AbortSignal.timeout(sources[name]!.statementTimeoutMs) }, MAX + 1);
    // Completion is a convenience: a failing query offers nothing rather than failing the request.
    if ('error' in outcome) return [];
    const first = outcome.raw.columns[0];
    return first === undefined ? [] : outcome.raw.rows.map((r) => jsonValue(r[first])).filter((v) => v !== null).map(String);
  };
}
