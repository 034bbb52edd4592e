import type { SqlQueryIR } from './ir.js';
import type { Services, VariableCompleter } from '../kind.js';
import { runQuery, sourceOf } from './query.js';
import { jsonValue } from './values.js';

const MAX = 100;

/** Completion values from a query: the first column of each row, `:prefix` bound to the text typed so far. */
export function completer(query: SqlQueryIR, services: Services): VariableCompleter {
  const source = sourceOf(query, services);
  return async (_name, prefix) => {
    const cancel = { signal: AbortSignal.timeout(source.ir.statementTimeoutMs) };
    const outcome = await runQuery(query, source, services, { prefix }, cancel, MAX + 1, undefined);
    // Completion is a convenience: a failing query offers nothing rather than failing the request.
    if ('error' in outcome) return [];
    const first = outcome.raw.columns[0];
    return first === undefined
      ? []
      : outcome.raw.rows
          .map((r) => jsonValue(r[first]))
          .filter((v) => v !== null)
          .map(String);
  };
}

/** Completion queries by URI template variable. */
export function variablesCompleter(queries: Readonly<Record<string, SqlQueryIR>>, services: Services): VariableCompleter {
  const byVariable = new Map(Object.entries(queries).map(([name, query]) => [name, completer(query, services)] as const));
  return async (name, prefix) => (await byVariable.get(name)?.(name, prefix)) ?? [];
}
