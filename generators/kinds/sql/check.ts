import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import type { Artifact, ToolIR } from '../../../runtime/artifact/ir.js';
import type { SqlSourceIR } from '../../../runtime/kinds/sql/ir.js';
import { createPool, describeUrl, withConnection, type Opened } from '../../../runtime/kinds/sql/connection.js';
import { SqlQueryError, type DescribedColumn } from '../../../runtime/kinds/sql/dialect.js';
import { sqlitePath } from '../../../runtime/kinds/sql/dialects/sqlite.js';
import type { LowerContext } from '../../lower/context.js';
import type { CheckOptions } from '../kind.js';
import { errorInSql, loweredQueries, type LoweredQuery } from './query.js';
import { sqlSources, type LoweredSource } from './sources.js';
import { buildStatement } from './statement.js';
import { resultSchema } from './result-schema.js';

/**
 * The build-time check: seeds missing SQLite files, prepares every statement against its database, and
 * turns the result columns into each SQL tool's outputSchema. Also sets SQL tools' annotations.
 * `auto` checks the databases that answer and warns about the others; `required` makes an unreachable one an error.
 */
export async function checkSql(artifact: Artifact, ctx: LowerContext, options: CheckOptions): Promise<Artifact> {
  const queries = loweredQueries(ctx);
  const sources = sqlSources(ctx);
  const columns = new Map<string, DescribedColumn[] | undefined>();
  for (const [name, source] of sources) {
    if (options.seed && source.seed) seed(name, source, ctx);
    const mine = [...queries.values()].filter((q) => q.ir.source === name);
    // --db / MCPGEN_DB_CHECK win over the source's own setting.
    const check = options.check === 'auto' ? source.check : options.check;
    if (mine.length === 0 || check === 'off') continue;
    const opened = await reach(name, source, ctx, { ...options, check }, mine.length);
    if (!opened) continue;
    try {
      await withConnection(opened, async (conn) => {
        for (const q of mine) {
          const described = await describeAll(q, conn, opened, ctx);
          if (described !== false) columns.set(q.site.pointer, described);
        }
      });
    } catch {
      ctx.warn(
        'MCPGEN_SQL_CHECK_SKIPPED',
        `source "${name}": the connection failed during the check (${describeUrl(source.url)})`,
        `/sources/${name}/database`
      );
    } finally {
      await opened.knex.destroy();
    }
  }
  return { ...artifact, tools: artifact.tools.map((t) => (t.exec.kind === 'sql' ? finishTool(t, ctx, columns) : t)) };
}

function seed(name: string, source: LoweredSource, ctx: LowerContext): void {
  const path = sqlitePath(source.url, ctx.manifest.dir);
  if (path === ':memory:' || existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  // Seeding must write whatever readOnly says: a writable handle of its own, closed at once.
  const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => { exec(sql: string): void; close(): void };
  const db = new Database(path);
  try {
    db.exec(readFileSync(source.seed!, 'utf8'));
  } catch (e) {
    db.close();
    rmSync(path, { force: true });
    ctx.error(
      'MCPGEN_SQL_SOURCE',
      `source "${name}": seed ${relative(ctx.manifest.dir, source.seed!)} failed: ${(e as Error).message}`,
      `/sources/${name}/seed`
    );
    return;
  }
  db.close();
}

async function reach(
  name: string,
  source: LoweredSource,
  ctx: LowerContext,
  options: CheckOptions,
  count: number
): Promise<Opened | undefined> {
  const where = describeUrl(source.url);
  const fail = (why: string) => {
    const pointer = `/sources/${name}/database`;
    if (options.check === 'required') ctx.error('MCPGEN_SQL_UNREACHABLE', `source "${name}": cannot reach ${where} (${why})`, pointer);
    else
      ctx.warn(
        'MCPGEN_SQL_CHECK_SKIPPED',
        `source "${name}": cannot reach ${where} (${why}); ${count} statement(s) not checked, outputSchema not inferred`,
        pointer
      );
    return undefined;
  };
  const ir: SqlSourceIR = { ...source.ir, readOnly: true, pool: { min: 0, max: 1 } };
  if (
    ir.dialect === 'sqlite' &&
    sqlitePath(source.url, ctx.manifest.dir) !== ':memory:' &&
    !existsSync(sqlitePath(source.url, ctx.manifest.dir))
  ) {
    return fail(source.seed ? 'the file does not exist yet: `mcp-gen build` creates it from seed:' : 'the file does not exist');
  }
  const opened = await createPool(source.url, ir, ctx.manifest.dir, 5000);
  try {
    await withConnection(opened, async () => undefined);
    return opened;
  } catch (e) {
    await opened.knex.destroy();
    const err = e as { code?: string; name?: string };
    return fail(typeof err.code === 'string' ? err.code : err.name === 'KnexTimeoutError' ? 'timed out' : 'connection failed');
  }
}

/** Every statement prepared; the last one's columns, or false when one failed. */
async function describeAll(
  q: LoweredQuery,
  conn: unknown,
  opened: Opened,
  ctx: LowerContext
): Promise<DescribedColumn[] | undefined | false> {
  let last: DescribedColumn[] | undefined;
  for (const [i, statement] of q.parsed.statements.entries()) {
    const bound = buildStatement(statement.parts, q.ir.identifiers ?? {}, opened.dialect, statement.offset);
    try {
      last = await opened.dialect.describe(conn, bound);
    } catch (e) {
      if (!(e instanceof SqlQueryError)) throw e;
      const offset = e.position !== undefined ? bound.original(e.position - 1) : undefined;
      const where = q.parsed.statements.length > 1 ? ` (statement ${i + 1})` : '';
      errorInSql(
        ctx,
        q,
        offset ?? statement.offset + statement.text.length - statement.text.trimStart().length,
        'MCPGEN_SQL_CHECK',
        `${q.site.what}${where}: ${e.message}`
      );
      return false;
    }
  }
  return last;
}

/** outputSchema (inferred unless `output:` was given) and annotations from the query's read-only rule. */
function finishTool(t: ToolIR, ctx: LowerContext, columns: ReadonlyMap<string, DescribedColumn[] | undefined>): ToolIR {
  if (t.exec.kind !== 'sql') return t;
  const readOnly = t.exec.readOnly;
  const declared = (t.descriptor.annotations ?? {}) as Record<string, unknown>;
  const annotations = readOnly
    ? { readOnlyHint: true, ...declared }
    : { readOnlyHint: false, destructiveHint: true, idempotentHint: false, ...declared };
  const descriptor: Record<string, unknown> = { ...t.descriptor, annotations };
  let outputValidator = t.outputValidator;
  if (descriptor.outputSchema === undefined) {
    const schema = resultSchema(columns.get(t.at.pointer));
    const v = ctx.validators.add(schema);
    if (!('error' in v)) {
      descriptor.outputSchema = schema;
      outputValidator = v.name;
    }
  }
  return { ...t, descriptor, ...(outputValidator ? { outputValidator } : {}) };
}
