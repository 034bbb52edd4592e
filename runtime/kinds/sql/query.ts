import type { SqlQueryIR } from './ir.js';
import type { Services } from '../kind.js';
import { describeUrl, SqlUnavailableError, type SqlSource } from './connection.js';
import type { RunRequest } from './dialects/sqlite-executor.js';
import { SqlQueryError, type RawResult } from './dialect.js';
import { bindStatement } from './render.js';
import { interpolateEnv } from '../../env.js';
import { statementObserver } from './observe.js';
import type { TraceParent } from '../../core/telemetry.js';

/** `refused`: the database rejected the statement or its values (the caller's input), rather than being unavailable. */
export type Outcome = { raw: RawResult } | { error: string; refused?: true };

/** The opened source a query names, checked once at start-up. */
export function sourceOf(query: SqlQueryIR, services: Services): SqlSource {
  if (services.sources[query.source]?.kind !== 'sql') throw new Error(`artifact has no SQL source "${query.source}": rebuild it`);
  return services.source<SqlSource>(query.source);
}

/**
 * Runs a query with its arguments; every failure becomes a message the model can read: the database's own
 * words for a query error, a generic one (no URL, no credentials) when the database cannot be reached.
 */
export async function runQuery(
  query: SqlQueryIR,
  opened: SqlSource,
  services: Services,
  args: Readonly<Record<string, unknown>>,
  cancel: RunRequest['cancel'],
  rowLimit: number,
  /** The request's span (ToolContext.trace, ReadContext.trace): the query's span is its child. */
  trace: TraceParent | undefined
): Promise<Outcome> {
  const observe = (opened.observer ??= statementObserver(services, opened.ir));
  return observe(query, trace, async () => {
    const outcome = await attempt();
    return { result: outcome, outcome: 'raw' in outcome ? 'ok' : outcome.refused ? 'refused' : 'unavailable' };
  });

  async function attempt(): Promise<Outcome> {
    // Only failures name the source: the text is built then, not on every call.
    const source = opened.ir;
    const where = () => `source "${query.source}" (${describeUrl(interpolateEnv(source.database, process.env).value)})`;
    try {
      const runner = await opened.runner();
      const statements = query.statements.map((parts) => bindStatement(parts, args, runner.dialect, query.identifiers));
      return { raw: await runner.run(statements, { readOnly: query.readOnly, timeoutMs: source.statementTimeoutMs, cancel, rowLimit }) };
    } catch (e) {
      if (e instanceof SqlQueryError || e instanceof RangeError)
        return { error: `The database refused the query: ${e.message}`, refused: true };
      if (e instanceof SqlUnavailableError) {
        services.log.warn(`sql: ${e.message}`);
        return { error: `The database is not available right now (${where()}). Try again later.` };
      }
      services.log.warn(`sql: ${where()}: ${(e as Error).name}`);
      return { error: `The database is not available right now (${where()}). Try again later.` };
    }
  }
}
