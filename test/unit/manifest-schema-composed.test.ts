import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeManifestSchema, type KindPart } from '../../generators/validate/compose-schema.js';
import { parseManifest } from '../../generators/load/load-manifest.js';
import { manifestSchema, validateManifestSchema } from '../../generators/validate/manifest-schema.js';
import { REGENERATE_SCHEMA, renderManifestTypes } from '../helpers/manifest-types.js';

const root = join(import.meta.dirname, '..', '..');
const schemaPath = join(root, 'schema', 'manifest.schema.json');
const typesPath = join(root, 'generators', 'manifest-types.ts');
const update = process.env.UPDATE_SCHEMA === '1';

function current(path: string, expected: string, what: string): void {
  if (update) {
    writeFileSync(path, expected);
    return;
  }
  const hint = `${what} is out of date with the kinds' schema fragments; regenerate it with: ${REGENERATE_SCHEMA}`;
  expect(readFileSync(path, 'utf8'), hint).toBe(expected);
}

describe('the published manifest schema', () => {
  it('is the schema composed from the base and every registered kind', () => {
    current(schemaPath, JSON.stringify(manifestSchema(), null, 2) + '\n', 'schema/manifest.schema.json');
  });

  it('has its TypeScript types in generators/manifest-types.ts', async () => {
    current(typesPath, await renderManifestTypes(manifestSchema()), 'generators/manifest-types.ts');
  });
});

const part = (name: string, schema: KindPart['schema'], tool: string[] = [], resource: string[] = []): KindPart => ({
  name,
  schema,
  selects: { tool, resource }
});

describe('composeManifestSchema', () => {
  const string = { type: 'string' };
  const aSource = { key: 'aSrc', schema: { type: 'object' }, summary: 'A' };
  const a = part('a', { tool: { properties: { alpha: string } }, source: aSource }, ['alpha']);
  const bSchema = { tool: { properties: { beta: string }, amends: true }, resource: { properties: { bee: string } } };
  const b = part('b', bSchema, ['beta'], ['bee']);

  it('joins the backend choices in registry order', () => {
    const { schema, choices } = composeManifestSchema([a, b]);
    expect(choices.oneToolBackend!.keys).toEqual(['alpha', 'beta']);
    expect(choices.oneResourceBackend!.keys).toEqual(['bee']);
    expect(choices.oneSourceBackend!.keys).toEqual(['aSrc']);
    const tool = (schema.$defs as Record<string, Record<string, unknown>>).tool!;
    expect(Object.keys(tool.properties as object).slice(-4)).toEqual(['alpha', 'beta', 'scopes', 'fromAuth']);
    expect(tool.allOf).toContainEqual({ if: { not: { required: ['beta'] } }, then: { required: ['name', 'description'] } });
  });

  it('is deterministic', () => {
    expect(JSON.stringify(composeManifestSchema([a, b]).schema)).toBe(JSON.stringify(composeManifestSchema([a, b]).schema));
  });

  const given: { what: string; kinds: KindPart[]; want: RegExp }[] = [
    { what: 'a $defs name twice', kinds: [part('x', { defs: { tool: {} } })], want: /\$defs\/tool of kind x is already defined/ },
    {
      what: 'one key defined differently by two kinds',
      kinds: [
        part('x', { tool: { properties: { k: { type: 'string' } } } }, ['k']),
        part('y', { tool: { properties: { k: { type: 'integer' } } } }, ['k'])
      ],
      want: /two kinds define "k" of a tool differently/
    },
    {
      what: 'a selecting key without schema',
      kinds: [part('x', { tool: { properties: {} } }, ['k'])],
      want: /kind x selects tools by k but does not define it/
    }
  ];
  for (const { what, kinds, want } of given) {
    it(`refuses ${what}`, () => expect(() => composeManifestSchema(kinds)).toThrow(want));
  }
});

describe('sources: the key picks the kind', () => {
  const given: { what: string; source: string; want: string[] }[] = [
    { what: 'an OpenAPI source', source: '{ openapi: ./api.yaml }', want: [] },
    { what: 'a SQL source', source: '{ database: "sqlite:./x.db" }', want: [] },
    {
      what: 'neither key',
      source: '{ opnapi: ./api.yaml }',
      want: [
        "MCPGEN_BACKEND_CHOICE /sources/s a source's backend is missing: give exactly one of openapi, database, mcp " +
          '(Keep exactly one of: openapi, database, mcp. Did you mean "openapi" for "opnapi"?)'
      ]
    },
    {
      what: 'a SQL key on an OpenAPI source',
      source: '{ openapi: ./a.yaml, pool: {} }',
      want: ['MCPGEN_UNKNOWN_KEY /sources/s/pool unknown key "pool"']
    },
    { what: 'not an object', source: 'x', want: ['MCPGEN_TYPE /sources/s expected object, got string "x"'] }
  ];
  for (const { what, source, want } of given) {
    it(what, () => {
      const { manifest } = parseManifest(`server: { name: s, version: '1' }\nsources:\n  s: ${source}\n`, '/tmp/mcp-gen.yaml');
      const guess = (hint: string): string => (hint.includes('Did you') ? ` (${hint})` : '');
      const got = validateManifestSchema(manifest!).map((d) => `${d.code} ${d.pointer} ${d.message}${guess(d.hint)}`);
      expect(got).toEqual(want);
    });
  }
});
