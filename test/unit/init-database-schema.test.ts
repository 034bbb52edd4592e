/**
 * `mcp-gen init --database` reads the schema the URL chooses (PostgreSQL: `?schema=` or `options=-c search_path=`;
 * MySQL/MariaDB: the database), and the manifest it writes queries that same schema: a table of the same name
 * elsewhere (public, another database) with other columns is never the one read. On the real servers, each case in
 * schemas/databases of its own (unique names), dropped afterwards.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { initCommand } from '../../generators/cli/commands/init.js';
import { callCommand } from '../../generators/cli/commands/inspect.js';
import { parseDatabaseUrl } from '../../generators/kinds/sql/starter/url.js';

const root = mkdtempSync(join(tmpdir(), 'mcpgen-init-schema-'));
const suffix = `${process.pid}_${Date.now().toString(36)}`;
let stdout: string[] = [];
let stderr: string[] = [];

beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (stdout.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs statements on the server at `url`. */
async function exec(url: string, statements: readonly string[]): Promise<void> {
  const target = parseDatabaseUrl(url, root);
  if ('error' in target) throw new Error(target.error);
  const { default: knex } = await import('knex');
  const db = knex({ ...target.knex, pool: { min: 0, max: 1 } });
  try {
    for (const s of statements) await db.raw(s);
  } finally {
    await db.destroy();
  }
}

/** init --database, then a build that must check every statement against the server, then one tool call. */
async function initBuildCall(url: string, dir: string, tool: string) {
  expect(await initCommand(['--database', url, '--dir', dir])).toBe(0);
  const manifest = join(dir, 'mcp-gen.yaml');
  const text = readFileSync(manifest, 'utf8');
  const outDir = join(dir, '.mcp-gen');
  const r = await build({ manifest, outDir, env: process.env, check: 'required' });
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
  if (r.files.size > 0) await writeArtifact(r);
  stdout = [];
  const code = errors.length === 0 ? await callCommand([tool, '--args', '{"limit":5}', '-o', outDir]) : undefined;
  const rows = code === 0 ? (JSON.parse(stdout.join('')) as { structuredContent?: { rows?: unknown[] } }).structuredContent : undefined;
  return { text, errors, tools: r.artifact?.tools.map((t) => t.name) ?? [], rows };
}

describe('database URLs with a schema', () => {
  it.each([
    // given URL → the schema it chooses
    ['postgres://u@h/db?schema=sales', 'sales'],
    ['postgres://u@h/db?options=-c%20search_path%3Dsales', undefined],
    ['postgres://u@h/db', undefined]
  ])('%s chooses schema %s', (url, schema) => {
    const t = parseDatabaseUrl(url, root);
    if ('error' in t) throw new Error(t.error);
    expect(t.schema).toBe(schema);
  });

  it('passes options (search_path) to the introspection connection', () => {
    const t = parseDatabaseUrl('postgres://u@h/db?options=-c%20search_path%3Dsales', root);
    if ('error' in t) throw new Error(t.error);
    expect(t.knex.connection).toMatchObject({ options: '-c search_path=sales' });
  });
});

const pg = process.env.MCPGEN_TEST_POSTGRES;
describe.skipIf(!pg)('PostgreSQL: a schema other than public (MCPGEN_TEST_POSTGRES)', () => {
  const schema = `mcpgen_schema_${suffix}`;
  const items = `items_${suffix}`;
  const only = `only_${suffix}`;
  const base = pg ?? '';
  const withParam = (param: string) => `${base}${base.includes('?') ? '&' : '?'}${param}`;

  afterAll(async () => {
    await exec(base, [`DROP SCHEMA IF EXISTS ${schema} CASCADE`, `DROP TABLE IF EXISTS public.${items}`]);
  });

  it.each([
    { how: '?schema=', param: () => `schema=${schema}` },
    { how: 'options=-c search_path=', param: () => `options=${encodeURIComponent(`-c search_path=${schema}`)}` }
  ])('$how: the tools read the chosen schema, not public', async ({ how, param }) => {
    await exec(base, [
      `CREATE SCHEMA IF NOT EXISTS ${schema}`,
      `CREATE TABLE IF NOT EXISTS ${schema}.${items} (sku text PRIMARY KEY, label text NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS ${schema}.${only} (id int PRIMARY KEY)`,
      `CREATE TABLE IF NOT EXISTS public.${items} (id int PRIMARY KEY, colour text)`,
      `DELETE FROM ${schema}.${items}`,
      `INSERT INTO ${schema}.${items} VALUES ('A-1', 'in ${schema}')`
    ]);
    const r = await initBuildCall(withParam(param()), join(root, `pg-${how.replace(/\W+/g, '')}`), `list_${items}`);
    expect(r.text).not.toContain('colour');
    expect(r.text).toMatch(new RegExp(`SELECT sku, label\\n\\s+FROM ${schema}\\.${items}\\n`));
    expect(r.errors).toEqual([]);
    expect(r.tools).toEqual([`list_${items}`, `list_${only}`]);
    expect(r.rows).toMatchObject({ rows: [{ sku: 'A-1', label: `in ${schema}` }] });
  });

  it('a schema that does not exist is an error', async () => {
    const dir = join(root, 'pg-missing');
    expect(await initCommand(['--database', withParam(`schema=${schema}_nope`), '--dir', dir])).toBe(1);
    expect(stderr.join('')).toContain(`schema "${schema}_nope" does not exist`);
  });
});

const my = process.env.MCPGEN_TEST_MYSQL;
describe.skipIf(!my)('MariaDB/MySQL: two databases with a table of the same name (MCPGEN_TEST_MYSQL)', () => {
  const a = `mcpgen_a_${suffix}`;
  const b = `mcpgen_b_${suffix}`;
  const base = my ?? '';
  const on = (db: string) => base.replace(/\/[^/?]*(\?|$)/, `/${db}$1`);

  afterAll(async () => {
    await exec(base, [`DROP DATABASE IF EXISTS ${a}`, `DROP DATABASE IF EXISTS ${b}`]);
  });

  it('the tools read the URL database', async () => {
    await exec(base, [`CREATE DATABASE ${a}`, `CREATE DATABASE ${b}`]);
    await exec(on(a), ['CREATE TABLE items (id int PRIMARY KEY, colour text)', "INSERT INTO items VALUES (1, 'red')"]);
    await exec(on(b), [
      'CREATE TABLE items (sku varchar(20) PRIMARY KEY, label text NOT NULL)',
      "INSERT INTO items VALUES ('A-1', 'in b')"
    ]);
    const r = await initBuildCall(on(b), join(root, 'mysql'), 'list_items');
    expect(r.text).not.toContain('colour');
    expect(r.text).toMatch(/SELECT sku, label\n\s+FROM items\n/);
    expect(r.errors).toEqual([]);
    expect(r.rows).toMatchObject({ rows: [{ sku: 'A-1', label: 'in b' }] });
  });
});
