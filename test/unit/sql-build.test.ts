import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { parseSql } from '../../generators/kinds/sql/placeholders.js';

describe('SQL placeholder tokenizer', () => {
  it.each([
    { given: "SELECT ':no' AS a, :yes", dialect: 'sqlite', want: ['yes'] },
    { given: 'SELECT "col:no", `x:no`, [y:no], :a', dialect: 'sqlite', want: ['a'] },
    { given: 'SELECT x::text, :a -- :no\n/* :no */', dialect: 'postgres', want: ['a'] },
    { given: 'SELECT $$ :no $$, $tag$ :no $tag$, :a', dialect: 'postgres', want: ['a'] },
    { given: "SELECT E'\\' :no', :a", dialect: 'postgres', want: ['a'] },
    { given: "SELECT 'it\\'s :no', \"q :no\", :a # :no", dialect: 'mysql', want: ['a'] },
    { given: 'SELECT :{col}, :a', dialect: 'mysql', want: ['col', 'a'] }
  ] as const)('$given ($dialect)', ({ given, dialect, want }) => {
    expect(parseSql(given, dialect).placeholders.map((p) => p.name)).toEqual(want);
  });

  it('splits statements and refuses positional placeholders', () => {
    const parsed = parseSql("SELECT 1; SELECT ';'; -- end\n", 'sqlite');
    expect(parsed.statements.map((s) => s.text.trim())).toEqual(['SELECT 1', "SELECT ';'"]);
    expect(parseSql('SELECT ? , $1', 'sqlite').problems.map((p) => p.offset)).toEqual([7]);
    expect(parseSql('SELECT $1', 'postgres').problems.map((p) => p.message)).toEqual([
      'positional placeholder $N: name the value instead (:name)'
    ]);
  });
});

function project(tools: string, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-sqlb-'));
  writeFileSync(join(dir, 'seed.sql'), "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO t VALUES (1, 'a');\n");
  writeFileSync(join(dir, 'q.sql'), 'SELECT id\nFROM t WHERE nme = :id\n');
  writeFileSync(
    join(dir, 'mcp-gen.yaml'),
    `server: { name: b, version: 1.0.0 }
sources:
  db: { database: "sqlite:./db/b.db", seed: ./seed.sql }
  rw: { database: "sqlite:./db/b.db", readOnly: false }
${extra}tools:
${tools}`
  );
  return join(dir, 'mcp-gen.yaml');
}

const problems = async (tools: string, extra = '') =>
  (await build({ manifest: project(tools, extra), seed: true, check: 'required' })).diagnostics.map(
    (d) => `${d.at.line}:${d.at.col} ${d.code} ${d.message} @${d.at.file}`
  );

describe('SQL build errors', () => {
  it.each([
    {
      given: 'an undeclared placeholder, with its line:col inside the SQL block',
      tools:
        '  - name: a\n    description: a\n    source: db\n    sql: |\n      SELECT id FROM t\n      ' +
        'WHERE id = :idd\n    input: { properties: { id: { type: integer } } }\n',
      want: [
        /^11:18 MCPGEN_SQL_PLACEHOLDER tool "a": :idd has no declared input property/,
        /^12:28 MCPGEN_SQL_PLACEHOLDER tool "a": input property "id" is never used/
      ]
    },
    {
      given: 'two statements',
      tools: '  - { name: a, description: a, source: db, sql: "SELECT 1; SELECT 2" }\n',
      want: [/^6:60 MCPGEN_SQL_STATEMENTS tool "a": 2 statements/]
    },
    {
      given: 'a write in a read-only tool',
      tools: '  - { name: a, description: a, source: db, sql: "DELETE FROM t" }\n',
      want: [/MCPGEN_SQL_READ_ONLY tool "a": DELETE needs readOnly: false/]
    },
    {
      given: 'a write tool on a read-only source',
      tools: '  - { name: a, description: a, source: db, readOnly: false, sql: "DELETE FROM t" }\n',
      want: [/MCPGEN_SQL_READ_ONLY tool "a" writes \(readOnly: false\) but source "db" is read-only/]
    },
    {
      given: 'an unknown source',
      tools: '  - { name: a, description: a, source: nope, sql: "SELECT 1" }\n',
      want: [/MCPGEN_SQL_SOURCE tool "a": no SQL source named "nope" \(known: db, rw\)/]
    },
    {
      given: 'an identifier without an enum',
      tools: '  - { name: a, description: a, source: db, sql: "SELECT 1 ORDER BY :{c}", input: { properties: { c: { type: string } } } }\n',
      want: [/MCPGEN_SQL_PLACEHOLDER tool "a": :\{c\} needs "c" to have an enum/]
    },
    {
      given: 'an enum value that is no identifier',
      tools:
        '  - { name: a, description: a, source: db, sql: "SELECT 1 ORDER BY :{c}", input: { properties: ' +
        '{ c: { enum: ["id desc"], default: "id desc" } } } }\n',
      want: [/enum values must be column names/]
    },
    {
      given: 'the database rejects the SQL of a file',
      tools: '  - { name: a, description: a, source: db, sqlFile: ./q.sql, input: { properties: { id: { type: integer } } } }\n',
      want: [/^1:1 MCPGEN_SQL_CHECK tool "a": no such column: nme/]
    },
    {
      given: 'a reserved argument',
      tools: '  - { name: a, description: a, source: db, sql: "SELECT :cursor", input: { properties: { cursor: { type: string } } } }\n',
      want: [/"cursor" is reserved/]
    },
    {
      given: 'a SQL-only key on another backend',
      tools: '  - { name: a, description: a, template: x, maxRows: 3 }\n',
      want: [/MCPGEN_INVALID_VALUE `maxRows:` is for sql\/sqlFile backends/]
    },
    {
      given: 'an unknown key beside the sources',
      tools: '  - { name: a, description: a, template: x }\n',
      extra: 'x: 1\n',
      want: [/MCPGEN_UNKNOWN_KEY/]
    }
  ])('$given', async ({ tools, want, extra }) => {
    const got = await problems(tools, extra);
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => expect(got[i]).toMatch(w));
  });

  it("refuses a URL of no supported engine, with the schema's pattern", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-sqlb-'));
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      'server: { name: b, version: 1.0.0 }\nsources:\n  db: { database: "oracle://h/x", readOnly: maybe }\n'
    );
    const got = (await build({ manifest: join(dir, 'mcp-gen.yaml') })).diagnostics.map((d) => `${d.code} ${d.pointer}`);
    expect(got).toEqual(['MCPGEN_INVALID_VALUE /sources/db/database', 'MCPGEN_TYPE /sources/db/readOnly']);
  });

  it('builds offline with a warning and a generic outputSchema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-sqlb-'));
    const manifest = join(dir, 'mcp-gen.yaml');
    writeFileSync(
      manifest,
      'server: { name: b, version: 1.0.0 }\nsources:\n  pg: { database: ' +
        '"postgres://u:secret@127.0.0.1:1/x" }\ntools:\n  - { name: a, description: a, source: pg, sql: ' +
        '"SELECT 1 AS one" }\n'
    );
    const offline = await build({ manifest, check: 'auto' });
    expect(offline.diagnostics.map((d) => d.code)).toEqual(['MCPGEN_SQL_CHECK_SKIPPED']);
    expect(offline.diagnostics[0]!.message).not.toContain('secret');
    expect(offline.artifact!.tools[0]!.descriptor.outputSchema).toMatchObject({ properties: { rows: { items: { type: 'object' } } } });
    expect(offline.files.get('types.d.ts')).toContain(
      'export interface SqlToolResults {\n  "a": {\n    "rows": Array<Record<string, unknown>>;'
    );
    const required = await build({ manifest, check: 'required' });
    expect(required.diagnostics.map((d) => d.code)).toEqual(['MCPGEN_SQL_UNREACHABLE']);
  });
});
