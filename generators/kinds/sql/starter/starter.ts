import { parse } from 'yaml';
import type { TableInfo } from './schema.js';
import type { DatabaseTarget, Dialect } from './url.js';

/** Tables past this many are written commented out: each live one adds two entries to what a model reads. */
export const LIVE_TABLES = 20;
const PAGE = { default: 20, maximum: 100 };

/** Words that must be quoted as identifiers in at least one of the three engines (the ones tables tend to use). */
const RESERVED = new Set(
  (
    'all and as asc between by case check column constraint create cross default delete desc distinct drop else end exists ' +
    'from full group having in index inner insert interval into is join key left like limit natural not null offset on or ' +
    'order outer primary references right rows select set table then to union unique update user using values when where window with'
  ).split(' ')
);

/** An identifier as SQL text: bare when every engine reads it back unchanged, else quoted for this dialect. */
export function quoteIdent(name: string, dialect: Dialect): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return dialect === 'mysql' ? `\`${name.replaceAll('`', '``')}\`` : `"${name.replaceAll('"', '""')}"`;
}

/** A name for tools, resources, placeholders and URI template variables: [a-z0-9_], not starting with a digit. */
const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(?=\d)/, '_') || 'x';

/** A YAML scalar: plain when YAML reads it back as the same string (SQL and URIs mostly are), else double-quoted. */
function scalar(v: string): string {
  if (/[\n\r\t]|^\s|\s$/.test(v)) return JSON.stringify(v);
  try {
    if (parse(v) === v) return v;
  } catch {
    /* not a plain scalar: quoted below */
  }
  return JSON.stringify(v);
}

/** Gives each name a numbered suffix when it was taken already. */
function uniqueNamer(): (name: string) => string {
  const seen = new Set<string>();
  return (name) => {
    let candidate = name.slice(0, 64);
    for (let i = 2; seen.has(candidate); i++) candidate = `${name.slice(0, 60)}_${i}`;
    seen.add(candidate);
    return candidate;
  };
}

const describeColumns = (t: TableInfo): string =>
  t.columns.map((c) => `${c.name} ${c.type}${t.primaryKey.includes(c.name) ? ' (key)' : c.nullable ? '' : ' not null'}`).join(', ');

/** Wraps a `# ` comment to about 110 columns at commas. */
function commentLines(indent: string, text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of text.split(/(?<=, )/)) {
    if (line && indent.length + 2 + line.length + part.length > 110) {
      lines.push(`${indent}# ${line.trimEnd()}`);
      line = '    ';
    }
    line += part;
  }
  return [...lines, `${indent}# ${line.trimEnd()}`];
}

interface Rendered {
  tool: string[];
  template: string[];
}

function renderTable(
  t: TableInfo,
  source: string,
  scheme: string,
  dialect: Dialect,
  names: { tool: (n: string) => string; resource: (n: string) => string }
): Rendered {
  const q = (n: string) => quoteIdent(n, dialect);
  const table = t.schema === undefined ? q(t.name) : `${q(t.schema)}.${q(t.name)}`;
  const order = t.primaryKey.length > 0 ? `ORDER BY ${t.primaryKey.map(q).join(', ')}` : undefined;
  const select = [
    `SELECT ${t.columns.map((c) => q(c.name)).join(', ')}`,
    `FROM ${table}`,
    ...(order ? [order] : []),
    'LIMIT :limit OFFSET :offset'
  ];
  const what = t.kind === 'view' ? 'view' : 'table';
  const tool = [
    ...commentLines('  ', `${what} ${t.name}: ${describeColumns(t)}`),
    ...(order ? [] : [`  # ${what === 'view' ? 'A view' : 'No primary key'}: add an ORDER BY so pages do not overlap.`]),
    `  - name: ${names.tool(`list_${slug(t.name)}`)}`,
    `    description: ${scalar(`List the rows of the ${t.name} ${what}${order ? `, by ${t.primaryKey.join(', ')}` : ''}, a page at a time.`)}`,
    `    source: ${source}`,
    '    sql: |',
    ...select.map((line) => `      ${line}`),
    '    input:',
    '      properties:',
    `        limit: { type: integer, minimum: 1, maximum: ${PAGE.maximum}, default: ${PAGE.default}, description: Rows per page }`,
    '        offset: { type: integer, minimum: 0, default: 0, description: Rows to skip }',
    ''
  ];
  if (t.primaryKey.length === 0) return { tool, template: [] };
  const vars = t.primaryKey.map((k) => ({ column: k, variable: slug(k) }));
  const where = vars.map((v) => `${q(v.column)} = :${v.variable}`).join(' AND ');
  const template = [
    `  - name: ${names.resource(slug(t.name))}`,
    `    uriTemplate: ${scalar(`${scheme}://${slug(t.name)}/${vars.map((v) => `{${v.variable}}`).join('/')}`)}`,
    `    description: ${scalar(`One row of ${t.name}, by ${t.primaryKey.join(', ')}.`)}`,
    `    source: ${source}`,
    `    sql: ${scalar(`SELECT * FROM ${table} WHERE ${where}`)}`,
    ''
  ];
  return { tool, template };
}

const commentOut = (lines: string[]): string[] => lines.map((l) => (l === '' || l.trimStart().startsWith('#') ? l : `  # ${l.slice(2)}`));

/** The starter manifest for an introspected database. */
export function renderDatabaseStarter(schema: string, target: DatabaseTarget, tables: readonly TableInfo[]): string {
  const source = target.sourceName;
  // URI schemes take no underscore.
  const scheme = source.replaceAll('_', '-');
  const names = { tool: uniqueNamer(), resource: uniqueNamer() };
  const tools: string[] = [];
  const templates: string[] = [];
  tables.forEach((t, i) => {
    const r = renderTable(t, source, scheme, target.dialect, names);
    tools.push(...(i < LIVE_TABLES ? r.tool : commentOut(r.tool)));
    templates.push(...(i < LIVE_TABLES ? r.template : commentOut(r.template)));
  });
  const withKey = tables.filter((t) => t.primaryKey.length > 0).length;
  const env = target.env.map((e) => `    #   ${e.name}: ${e.meaning}`);
  return [
    `# yaml-language-server: $schema=${schema}`,
    `# An mcp-gen manifest for the ${target.dialect} database ${target.display}, made by mcp-gen init --database:`,
    '# per table a list tool (a page of rows) and, when the table has a primary key, a resource template for one row.',
    '# Keep what the model needs and write the queries it will ask for (see docs/sql.md); every query is checked',
    '# against the database at build when it is reachable.',
    '#   npx mcp-gen build && npx mcp-gen run --http        (npx mcp-gen list shows the tools and their size)',
    'server:',
    `  name: ${scalar(source)}`,
    '  version: 0.1.0',
    '',
    'sources:',
    `  ${source}:`,
    `    database: ${scalar(target.manifestUrl)}`,
    ...(env.length > 0 ? ['    # read from the environment when the server connects (percent-encode special characters):', ...env] : []),
    '    readOnly: true              # enforced by the database; write tools need readOnly: false',
    '    # pool: { min: 0, max: 10 }',
    '',
    `tools:${tables.length === 0 ? ' []' : ''}`,
    ...(tables.length === 0 ? ['  # The database has no tables yet.', ''] : []),
    ...(tables.length > LIVE_TABLES
      ? [`  # ${tables.length} tables: the first ${LIVE_TABLES} are live, the rest commented out to keep the tool list small.`]
      : []),
    ...tools,
    `resources:${withKey === 0 ? ' []' : ''}`,
    ...(withKey === 0 ? ['  # No table has a primary key: no resource templates.', ''] : []),
    ...templates
  ].join('\n');
}
