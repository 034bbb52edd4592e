/**
 * SQL sources and the build-time check: source settings (seed, pool, check), SQLite files that do not
 * exist, statements the database rejects, and SQL-only rules of resources and completions.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, type BuildOptions } from '../../generators/build.js';
import { joined } from '../helpers/pattern.js';

function project(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-sqlc-'));
  writeFileSync(join(dir, 'seed.sql'), 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\n');
  writeFileSync(join(dir, 'mcp-gen.yaml'), `server: { name: c, version: 1.0.0 }\n${body}`);
  return join(dir, 'mcp-gen.yaml');
}

const tool = 'tools:\n  - { name: a, description: a, source: db, sql: "SELECT id FROM t" }\n';
const report = async (body: string, options: Partial<BuildOptions> = {}) =>
  (await build({ manifest: project(body), ...options })).diagnostics.map((d) => `${d.severity} ${d.code} ${d.pointer} ${d.message}`);

describe('SQL sources and the build-time check', () => {
  it.each([
    {
      given: 'a missing SQLite file, the check required',
      body: `sources:\n  db: { database: "sqlite:./none.db" }\n${tool}`,
      options: { check: 'required' },
      want: ['error MCPGEN_SQL_UNREACHABLE /sources/db/database source "db": cannot reach SQLite ./none.db (the file does not exist)']
    },
    {
      given: 'a missing SQLite file with a seed the library does not run',
      body: `sources:\n  db: { database: "sqlite:./none.db", seed: ./seed.sql }\n${tool}`,
      options: {},
      want: [
        joined(
          /^warning MCPGEN_SQL_CHECK_SKIPPED \/sources\/db\/database source "db": /,
          /cannot reach .*/,
          /\(the file does not exist yet: `mcp-gen build` creates it from seed:\); 1 statement\(s\) not checked/
        )
      ]
    },
    {
      given: 'a source whose own check is required',
      body: `sources:\n  db: { database: "sqlite:./none.db", check: required }\n${tool}`,
      options: {},
      want: [/^error MCPGEN_SQL_UNREACHABLE \/sources\/db\/database .*\(the file does not exist\)$/]
    },
    {
      given: 'a source whose check is off',
      body: `sources:\n  db: { database: "sqlite:./none.db", check: off }\n${tool}`,
      options: {},
      want: []
    },
    {
      given: 'a seed on a PostgreSQL source',
      body: 'sources:\n  db: { database: "postgres://u@127.0.0.1:1/x", seed: ./seed.sql }\n',
      options: {},
      want: ['error MCPGEN_SQL_SOURCE /sources/db/seed source "db": seed: is for SQLite files only']
    },
    {
      given: 'isolation on a MySQL source',
      body: 'sources:\n  db: { database: "mysql://u@127.0.0.1:1/x", isolation: process }\n',
      options: {},
      want: [
        'error MCPGEN_SQL_SOURCE /sources/db/isolation source "db": isolation: is for SQLite only (the ' +
          'database servers stop statements themselves)'
      ]
    },
    {
      given: 'a pool whose min exceeds its max',
      body: 'sources:\n  db: { database: "postgres://u@127.0.0.1:1/x", pool: { min: 5, max: 2 } }\n',
      options: {},
      want: ['error MCPGEN_SQL_SOURCE /sources/db/pool source "db": pool.min (5) is larger than pool.max (2)']
    },
    {
      given: 'a seed that fails',
      body: 'sources:\n  db: { database: "sqlite:./bad.db", seed: ./mcp-gen.yaml }\n',
      options: { seed: true },
      want: [/^error MCPGEN_SQL_SOURCE \/sources\/db\/seed source "db": seed mcp-gen.yaml failed: /]
    },
    {
      given: 'readOnly on a SQL resource',
      body:
        'sources:\n  db: { database: "sqlite::memory:" }\nresources:\n  - { name: r, uri: "db://r", ' +
        'source: db, readOnly: false, sql: "SELECT 1" }\n',
      options: { check: 'off' },
      want: [
        'error MCPGEN_UNKNOWN_KEY /resources/0/readOnly unknown key "readOnly"',
        'error MCPGEN_SQL_READ_ONLY /resources/0/readOnly resources only read: readOnly is for tools'
      ]
    },
    {
      given: 'a completion for a variable the template does not have',
      body:
        'sources:\n  db: { database: "sqlite::memory:" }\nresources:\n  - { name: r, uriTemplate: ' +
        '"db://r/{id}", source: db, sql: "SELECT :id", complete: { idd: { sql: "SELECT 1" } } }\n',
      options: { check: 'off' },
      want: ['error MCPGEN_SQL_PLACEHOLDER /resources/0/complete/idd resource template "r" has no variable "idd" to complete']
    },
    {
      given: 'the second of several statements rejected by SQLite',
      body:
        `sources:\n  db: { database: "sqlite:./s.db", seed: ./seed.sql, readOnly: false }\ntools:\n  - { ` +
        `name: a, description: a, source: db, readOnly: false, multipleStatements: true, sql: "DELETE ` +
        `FROM t; SELECT nope FROM t" }\n`,
      options: { seed: true, check: 'required' },
      want: [/^error MCPGEN_SQL_CHECK \/tools\/0\/sql tool "a" \(statement 2\): no such column: nope$/]
    }
  ] as const)('$given', async ({ body, options, want }) => {
    const got = await report(body, options);
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => (typeof w === 'string' ? expect(got[i]).toBe(w) : expect(got[i]).toMatch(w)));
  });

  it('seeds a missing SQLite file when asked, then infers the output schema from it', async () => {
    const manifest = project(`sources:\n  db: { database: "sqlite:./made/s.db", seed: ./seed.sql }\n${tool}`);
    const result = await build({ manifest, seed: true, check: 'required' });
    expect(result.diagnostics).toEqual([]);
    expect(existsSync(join(manifest, '..', 'made', 's.db'))).toBe(true);
    expect(result.artifact!.tools[0]!.descriptor.outputSchema).toMatchObject({
      properties: { rows: { items: { properties: { id: { type: ['integer', 'string', 'null'] } } } } }
    });
  });
});
