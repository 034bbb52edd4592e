/**
 * Lowering errors of tools, resources, prompts and SQL queries that the feature suites do not reach:
 * each row is a manifest fragment and the diagnostics (code, message, pointer) the build must report.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';

function project(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-lowr-'));
  writeFileSync(join(dir, 'seed.sql'), 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\n');
  writeFileSync(join(dir, 'page.md'), 'page');
  writeFileSync(join(dir, 'mcp-gen.yaml'), `server: { name: l, version: 1.0.0 }\n${body}`);
  return join(dir, 'mcp-gen.yaml');
}

const db = 'sources:\n  db: { database: "sqlite::memory:" }\n';
const report = async (body: string, check: 'off' | 'required' = 'off') =>
  (await build({ manifest: project(body), check })).diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`);

describe('tool lowering', () => {
  it.each([
    {
      given: 'output: on a template tool',
      body: 'tools:\n  - { name: a, description: a, template: x, output: { type: object } }\n',
      want: ['MCPGEN_INVALID_SCHEMA /tools/0/output `output:` describes structured results, which only a handler returns']
    },
    {
      given: 'an output schema ajv refuses',
      body: 'tools:\n  - { name: a, description: a, template: x, output: { type: object, properties: { n: { type: 7 } } } }\n',
      want: [
        /only a handler returns/,
        'MCPGEN_INVALID_SCHEMA /tools/0/output/properties/n/type output schema of tool "a": ' +
          'properties/n/type must be equal to one of the allowed values'
      ]
    },
    {
      given: 'complete: on a template tool',
      body: 'tools:\n  - { name: a, description: a, template: x, complete: { q: { sql: "SELECT 1" } } }\n',
      want: [
        'MCPGEN_INVALID_VALUE /tools/0/complete `complete:` is for SQL resource templates',
        'MCPGEN_UNKNOWN_KEY /tools/0/complete unknown key "complete"'
      ]
    },
    {
      given: 'x-mcp-header that is no header token',
      body: 'tools:\n  - { name: a, description: a, template: x, input: { properties: { q: { type: string, x-mcp-header: "a b" } } } }\n',
      want: [
        'MCPGEN_INVALID_SCHEMA /tools/0/input/properties/q/x-mcp-header x-mcp-header of "q" must be a ' +
          'non-empty HTTP header token, got "a b"'
      ]
    },
    {
      given: 'x-mcp-header on an array argument',
      body: 'tools:\n  - { name: a, description: a, template: x, input: { properties: { q: { type: array, x-mcp-header: Q } } } }\n',
      want: [
        'MCPGEN_INVALID_SCHEMA /tools/0/input/properties/q/x-mcp-header x-mcp-header is only for string, ' +
          'integer or boolean arguments; "q" is "array"'
      ]
    },
    {
      given: 'x-mcp-header on an untyped argument',
      body: 'tools:\n  - { name: a, description: a, template: x, input: { properties: { q: { x-mcp-header: Q } } } }\n',
      want: [
        'MCPGEN_INVALID_SCHEMA /tools/0/input/properties/q/x-mcp-header x-mcp-header is only for string, ' +
          'integer or boolean arguments; "q" is "untyped"'
      ]
    },
    {
      given: 'the same x-mcp-header twice, differing in case',
      body:
        'tools:\n  - { name: a, description: a, template: x, input: { properties: { p: { type: string, ' +
        'x-mcp-header: Region }, q: { type: integer, x-mcp-header: REGION } } } }\n',
      want: [
        'MCPGEN_INVALID_SCHEMA /tools/0/input/properties/q/x-mcp-header x-mcp-header "REGION" is used ' +
          'twice (header names are case-insensitive)'
      ]
    }
  ])('$given', async ({ body, want }) => {
    const got = await report(body);
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => (typeof w === 'string' ? expect(got[i]).toBe(w) : expect(got[i]).toMatch(w)));
  });

  it('keeps valid x-mcp-header arguments, lower-cased, in the artifact', async () => {
    const result = await build({
      manifest: project(
        'tools:\n  - { name: a, description: a, template: x, input: { properties: { p: { type: boolean, x-mcp-header: Dry-Run } } } }\n'
      )
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.artifact!.tools[0]!.paramHeaders).toEqual([{ argument: 'p', header: 'mcp-param-dry-run' }]);
  });
});

describe('resource and resource template lowering', () => {
  it.each([
    {
      given: 'a directory backend with a static uri',
      body: 'resources:\n  - { name: r, uri: "mem://r", directory: ./ }\n',
      want: ['MCPGEN_TEMPLATE_VARIABLES /resources/0/directory a `directory:` backend needs a uriTemplate, not a uri']
    },
    {
      given: 'a text backend with a uriTemplate',
      body: 'resources:\n  - { name: r, uriTemplate: "mem://r/{x}", text: hi }\n',
      want: ['MCPGEN_TEMPLATE_VARIABLES /resources/0/text a `text:` backend cannot serve a resource template (uriTemplate)']
    },
    {
      given: 'a uriTemplate that is no absolute URI',
      body: 'resources:\n  - { name: r, uriTemplate: "pages/{x}", template: "{{x}}" }\n',
      want: ['MCPGEN_INVALID_URI_TEMPLATE /resources/0/uriTemplate URI template "pages/{x}" does not expand to an absolute URI']
    }
  ])('$given', async ({ body, want }) => {
    expect(await report(body)).toEqual(want);
  });
});

describe('prompt lowering', () => {
  it('stores elicitation questions with and without properties or required fields', async () => {
    const result = await build({
      manifest: project(`prompts:
  - name: p
    description: p
    elicit:
      - { key: ok, message: Proceed? }
      - { key: trip, message: Where?, properties: { city: { type: string } }, required: [city] }
    messages:
      - { role: user, text: "{{trip.city}} {{ok}}" }
`)
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.artifact!.prompts[0]!.elicit).toEqual([
      { key: 'ok', message: 'Proceed?', requestedSchema: { type: 'object', properties: {} } },
      { key: 'trip', message: 'Where?', requestedSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }
    ]);
  });

  it('reports a content message whose file is missing, and no prompt', async () => {
    const got = await report(
      'prompts:\n  - { name: p, description: p, messages: [{ role: user, content: { type: image, file: ./nope.png } }] }\n'
    );
    expect(got).toEqual([expect.stringMatching(/^MCPGEN_FILE_NOT_FOUND \/prompts\/0\/messages\/0\/content\/file /)]);
  });
});

describe('SQL query lowering', () => {
  it.each([
    {
      given: 'a query and no sources at all',
      body: 'tools:\n  - { name: a, description: a, source: db, sql: "SELECT 1" }\n',
      want: ['MCPGEN_SQL_SOURCE /tools/0/source tool "a": no SQL source named "db" (known: none)']
    },
    {
      given: 'a prompt completion without source, on a server with sources',
      body:
        `${db}prompts:\n  - { name: p, description: p, arguments: [{ name: x, complete: { sql: "SELECT ` +
        `1" } }], messages: [{ role: user, text: "{{x}}" }] }\n`,
      want: [/^MCPGEN_SQL_SOURCE \/prompts\/0\/arguments\/0\/complete .*no SQL source named "" \(known: db\)/]
    },
    {
      given: 'a SQL text of only a comment',
      body: `${db}tools:\n  - { name: a, description: a, source: db, sql: "-- nothing" }\n`,
      want: [/^MCPGEN_SQL_STATEMENTS \/tools\/0\/sql tool "a": the SQL holds no statement/]
    },
    {
      given: 'a sqlFile that does not exist',
      body: `${db}tools:\n  - { name: a, description: a, source: db, sqlFile: ./missing.sql }\n`,
      want: [/^MCPGEN_FILE_NOT_FOUND \/tools\/0\/sqlFile /]
    },
    {
      given: 'a write on a writable source from a tool that does not say readOnly: false',
      body:
        'sources:\n  db: { database: "sqlite::memory:", readOnly: false }\ntools:\n  - { name: a, ' +
        'description: a, source: db, readOnly: true, sql: "DELETE FROM t" }\n',
      want: [/MCPGEN_SQL_READ_ONLY \/tools\/0\/sql tool "a": DELETE needs readOnly: false on the tool$/]
    },
    {
      given: 'a resource template placeholder that is no URI variable, and a URI variable never used',
      body: `${db}resources:\n  - { name: r, uriTemplate: "db://t/{id}", source: db, sql: "SELECT * FROM t WHERE id = :idd" }\n`,
      want: [
        'MCPGEN_SQL_PLACEHOLDER /resources/0/uriTemplate resource template "r": URI variable "id" is never used in the SQL',
        'MCPGEN_SQL_PLACEHOLDER /resources/0/sql resource template "r": :idd has no declared URI template variable (declared: id)'
      ]
    },
    {
      given: 'an identifier placeholder in a resource template',
      body: `${db}resources:\n  - { name: r, uriTemplate: "db://t/{col}", source: db, sql: "SELECT :{col} FROM t" }\n`,
      want: [/MCPGEN_SQL_PLACEHOLDER \/resources\/0\/sql resource template "r": :\{col\} is only for tool input properties with an enum/]
    },
    {
      given: 'a completion query using something other than :prefix',
      body:
        `${db}prompts:\n  - { name: p, description: p, arguments: [{ name: x, complete: { source: db, ` +
        `sql: "SELECT :{x} FROM t" } }], messages: [{ role: user, text: "{{x}}" }] }\n`,
      want: [/MCPGEN_SQL_PLACEHOLDER .*:\{x\} has no declared value \(only :prefix\) \(declared: prefix\)/]
    },
    {
      given: 'an identifier enum that is neither required nor defaulted',
      body:
        `${db}tools:\n  - { name: a, description: a, source: db, sql: "SELECT id FROM t ORDER BY :{c}", ` +
        `input: { properties: { c: { enum: [id, name] } } } }\n`,
      want: [/MCPGEN_SQL_PLACEHOLDER \/tools\/0\/sql tool "a": :\{c\} needs "c" to be required or to have a default/]
    }
  ])('$given', async ({ body, want }) => {
    const got = await report(body);
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => (typeof w === 'string' ? expect(got[i]).toBe(w) : expect(got[i]).toMatch(w)));
  });

  it('accepts a required identifier enum and stores its values', async () => {
    const result = await build({
      manifest: project(
        `${db}tools:\n  - { name: a, description: a, source: db, sql: "SELECT 1 AS id ORDER BY :{c}", ` +
          `input: { properties: { c: { enum: [id, ASC] } }, required: [c] } }\n`
      ),
      check: 'off'
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.artifact!.tools[0]!.exec).toMatchObject({
      kind: 'sql',
      statements: [['SELECT 1 AS id ORDER BY ', { ident: 'c' }]],
      identifiers: { c: ['id', 'ASC'] }
    });
  });
});
