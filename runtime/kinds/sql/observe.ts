import type { TraceParent } from '../../core/telemetry.js';
import type { Services } from '../kind.js';
import type { SqlQueryIR, SqlSourceIR } from './ir.js';

type StatementLabel = 'source' | 'outcome';
/** How a query ended: it ran, the database refused it (the caller's input), or the database was not reachable. */
export type StatementOutcome = 'ok' | 'refused' | 'unavailable';

/** The semantic conventions' db.system.name of each engine. */
const DB_SYSTEM: Record<SqlSourceIR['dialect'], string> = { sqlite: 'sqlite', postgres: 'postgresql', mysql: 'mysql' };

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** One served artifact's statement observation (made once per source by the first query that runs on it). */
export type StatementObserver = <T>(
  query: SqlQueryIR,
  parent: TraceParent | undefined,
  work: () => Promise<{ result: T; outcome: StatementOutcome }>
) => Promise<T>;

/**
 * A CLIENT span per query (its statements run on one connection, in one transaction when several) and the
 * `mcpgen_sql_statement_duration_seconds` histogram by source and outcome.
 */
export function statementObserver(services: Services, source: SqlSourceIR): StatementObserver {
  const { telemetry } = services;
  const record = telemetry.histogram<StatementLabel>({
    name: 'mcpgen_sql_statement_duration_seconds',
    help: 'Duration of SQL queries (connection acquisition included), by source and outcome (ok, refused, unavailable)',
    labelNames: ['source', 'outcome'],
    buckets: BUCKETS
  });
  const system = DB_SYSTEM[source.dialect];
  return (query, parent, work) =>
    telemetry.span(
      parent,
      `${system} ${query.source}`,
      { 'db.system.name': system, 'mcpgen.source': query.source },
      async (span) => {
        const started = performance.now();
        let outcome: StatementOutcome = 'unavailable';
        try {
          const done = await work();
          outcome = done.outcome;
          if (outcome !== 'ok') span.fail(outcome === 'refused' ? 'sql_refused' : 'sql_unavailable');
          return done.result;
        } finally {
          record({ source: query.source, outcome }, (performance.now() - started) / 1000);
        }
      },
      'client'
    );
}
