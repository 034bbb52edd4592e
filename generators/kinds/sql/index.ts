import type { SqlExec, SqlQueryIR } from '../../../runtime/kinds/sql/ir.js';
import type { LowerContext } from '../../lower/context.js';
import type { Entry, EntryRef, GeneratorKind, Lowering, OwnKeys } from '../kind.js';
import { defaultOf } from '../../validate/defaults.js';
import { sqlSchema } from './manifest-schema.js';
import { lowerQuery, remember, type LoweredQuery, type QuerySite } from './query.js';
import { sqlSources } from './sources.js';
import { checkSql } from './check.js';
import { sqlDeploy } from './deploy.js';

type Obj = Record<string, unknown>;

const hint = 'Remove it, or use a sql: backend (see docs/sql.md).';
const sqlKeys: OwnKeys = {
  keys: ['source', 'format', 'maxRows', 'maxBytes', 'multipleStatements', 'readOnly'],
  for: 'sql/sqlFile backends',
  hint
};
const completeKey: OwnKeys = { keys: ['complete'], for: 'SQL resource templates', hint };

const cursorProperty = {
  cursor: { type: 'string', description: 'nextCursor of a previous result, to read its next page (same arguments).' }
};

const resultDefaults = {
  format: defaultOf<SqlExec['format']>(sqlSchema.tool!, 'format'),
  maxRows: defaultOf<number>(sqlSchema.tool!, 'maxRows'),
  maxBytes: defaultOf<number>(sqlSchema.tool!, 'maxBytes')
};

function exec(entry: Entry, q: LoweredQuery): SqlExec {
  return {
    ...q.ir,
    format: (entry.format as SqlExec['format'] | undefined) ?? resultDefaults.format,
    maxRows: typeof entry.maxRows === 'number' ? entry.maxRows : resultDefaults.maxRows,
    maxBytes: typeof entry.maxBytes === 'number' ? entry.maxBytes : resultDefaults.maxBytes
  };
}

function lowering(type: 'tool' | 'resource' | 'resourceTemplate'): Lowering<SqlExec> {
  return {
    key: 'sql',
    keys: ['sqlFile'],
    own: type === 'resourceTemplate' ? [sqlKeys, completeKey] : [sqlKeys],
    ...(type === 'tool'
      ? {
          input: cursorProperty,
          structured: true,
          // One paging mechanism: the tool's maxResultBytes (its own, its source's or the server's) bounds each page's rows,
          // unless the entry sets maxBytes itself.
          pages: (exec: SqlExec, maxResultBytes: number, entry: Entry) =>
            typeof entry.maxBytes === 'number' ? exec : { ...exec, maxBytes: maxResultBytes }
        }
      : {}),
    lower(entry: Entry, ref: EntryRef, ctx: LowerContext) {
      const input = (entry.input ?? {}) as Obj;
      if (type === 'tool' && ref.declared.includes('cursor')) {
        ctx.error(
          'MCPGEN_SQL_PLACEHOLDER',
          `tool "${ref.name}": "cursor" is reserved for paging SQL results`,
          `${ref.pointer}/input/properties/cursor`,
          { key: true }
        );
        return undefined;
      }
      if (entry.maxBytes !== undefined && entry.maxResultBytes !== undefined) {
        ctx.error(
          'MCPGEN_INVALID_VALUE',
          `${type} "${ref.name}": maxBytes and maxResultBytes are one setting on a SQL entry: keep one`,
          `${ref.pointer}/maxBytes`,
          {
            key: true
          }
        );
        return undefined;
      }
      if (type !== 'tool' && entry.readOnly !== undefined) {
        ctx.error('MCPGEN_SQL_READ_ONLY', `resources only read: readOnly is for tools`, `${ref.pointer}/readOnly`);
        return undefined;
      }
      const site: QuerySite = {
        what: `${type === 'tool' ? 'tool' : type === 'resource' ? 'resource' : 'resource template'} "${ref.name}"`,
        pointer: ref.pointer,
        declared: ref.declared,
        ...(type === 'tool'
          ? { properties: (input.properties ?? {}) as Record<string, Obj>, required: (input.required ?? []) as string[] }
          : {}),
        mustUse: true,
        readOnly: type === 'tool' ? (entry.readOnly as boolean | undefined) : true,
        multipleStatements: entry.multipleStatements === true
      };
      const q = lowerQuery(entry, site, ctx);
      if (!q) return undefined;
      remember(ctx, q);
      if (type !== 'resourceTemplate' || entry.complete === undefined) return exec(entry, q);
      const complete: Record<string, SqlQueryIR> = {};
      for (const [variable, c] of Object.entries(entry.complete as Record<string, Obj>)) {
        const at = `${ref.pointer}/complete/${variable}`;
        if (!ref.declared.includes(variable))
          ctx.error('MCPGEN_SQL_PLACEHOLDER', `resource template "${ref.name}" has no variable "${variable}" to complete`, at, {
            key: true
          });
        const cq = completion(c, at, `completion of "${variable}"`, ctx, q.ir.source);
        if (cq) complete[variable] = cq;
      }
      return { ...exec(entry, q), complete };
    }
  };
}

function completion(c: Obj, pointer: string, what: string, ctx: LowerContext, defaultSource?: string): SqlQueryIR | undefined {
  const site: QuerySite = {
    what,
    pointer,
    declared: ['prefix'],
    mustUse: false,
    readOnly: true,
    multipleStatements: false,
    ...(defaultSource ? { defaultSource } : {})
  };
  const q = lowerQuery(c, site, ctx);
  if (q) remember(ctx, q);
  return q?.ir;
}

/** SQL queries: tools, resources and resource templates answered from a database; see docs/sql.md. */
export const sqlKind: GeneratorKind<'sql'> = {
  deploy: sqlDeploy,
  schema: sqlSchema,
  tool: lowering('tool'),
  resource: lowering('resource'),
  resourceTemplate: lowering('resourceTemplate'),
  // The query's read-only rule (its `readOnly:` or its source's), checked at build.
  readOnlyTool: { which: 'a SQL query that only reads', test: (exec) => exec.readOnly },
  // A prompt argument's `complete:` query (`:prefix` is the text typed so far).
  complete: {
    key: 'sql',
    keys: ['sqlFile'],
    lower: (entry, ref, ctx) => {
      const query = completion(entry, ref.pointer, `completion at ${ref.pointer}`, ctx);
      return query ? { kind: 'sql', ...query } : undefined;
    }
  },
  source: {
    key: 'database',
    // The URL may carry a password; the build needs it to check statements, so a missing variable is an error.
    credentials: ['database'],
    phases: { check: 'checking SQL statements' },
    lower: (name, _settings, _loaded, ctx) => {
      const source = sqlSources(ctx).get(name);
      return source ? { source: source.ir } : undefined;
    },
    check: checkSql,
    async starter(schema, url, dir) {
      // Loaded on use: knex and the drivers only for `init --database`.
      const { databaseStarter } = await import('./starter/index.js');
      const result = await databaseStarter(schema, url, dir);
      // The URL itself may hold a password: never echoed.
      if ('error' in result) return { error: `--database: ${result.error}` };
      const env = result.target.env.map((e) => `the manifest reads ${e.name} from the environment: ${e.meaning}`);
      const notes = [`read ${result.tables} table(s) and view(s) of ${result.target.display}`, ...env];
      return { text: result.text, notes };
    }
  },
  /** SQL tools' structured results, from the outputSchema the build-time check inferred. */
  types(artifact, typeOf) {
    const sql = artifact.tools.filter((t) => t.exec.kind === 'sql' && t.descriptor.outputSchema);
    if (sql.length === 0) return '';
    const lines = sql.map((t) => `  ${JSON.stringify(t.name)}: ${typeOf(t.descriptor.outputSchema)};`).join('\n');
    return `/** The structured result of each SQL tool (its outputSchema). */\nexport interface SqlToolResults {\n${lines}\n}\n\n`;
  }
};
