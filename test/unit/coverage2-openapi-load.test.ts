/**
 * loadSpec on documents that fail whole (versions, document-level meta-schema errors) and on refs that spoil only
 * the operations reaching them: refs through path items, self-referencing schemas, the whole-document ref.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../generators/kinds/openapi/load.js';

const dir = mkdtempSync(join(tmpdir(), 'mcpgen-oaload2-'));
const write = (name: string, doc: unknown) => {
  writeFileSync(join(dir, name), typeof doc === 'string' ? doc : JSON.stringify(doc));
  return join(dir, name);
};
const info = { title: 't', version: '1' };
const ok = { '200': { description: 'ok' } };

describe('loadSpec: documents that fail whole', () => {
  it.each([
    ['no version at all', 'nover.json', { info, paths: {} }, 'Unsupported OpenAPI version: undefined'],
    ['a version after 3.1', 'v32.json', { openapi: '3.2.0', info, paths: {} }, 'Unsupported OpenAPI version: 3.2.0'],
    ['Swagger 2.0 without a title, not placed in the file', 'sw2.json', { swagger: '2.0', info: { version: '1' }, paths: {} }, "not valid Swagger 2.0: #/info must have required property 'title'"],
    ['a 3.0 root error, placed at the root', 'noinfo.json', { openapi: '3.0.3', paths: {} }, "noinfo.json:1:1: Swagger schema validation failed. — #/ must have required property 'info'"],
    ['a 3.0 error outside operations, placed at its node', 'comp.json', { openapi: '3.0.3', info, paths: {}, components: { schemas: 5 } }, 'comp.json:1:90: Swagger schema validation failed. — #/components/schemas must be object']
  ])('%s', async (_label, name, doc, want) => {
    const loaded = await loadSpec('s', write(name, doc), dir);
    expect('error' in loaded && loaded.error).toContain(want);
  });
});

describe('loadSpec: broken refs spoil only the operations that reach them', () => {
  it('through a path item ref, a self-referencing schema and the whole-document ref', async () => {
    const gone = '$ref "#/components/parameters/Gone" does not resolve';
    const doc = {
      openapi: '3.0.3',
      info,
      paths: {
        '/a': { $ref: '#/x-items/A' },
        '/b': { get: { operationId: 'b', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } } } },
        '/c': { get: { operationId: 'c', parameters: [{ $ref: '#/components/parameters/Gone' }], responses: ok } },
        '/d': { $ref: '#/x-items/Missing' },
        '/e': { get: { operationId: 'e', parameters: [{ $ref: '#' }], responses: ok } },
        '/fine': { get: { operationId: 'fine', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Leaf' } } } } } } }
      },
      'x-items': { A: { get: { operationId: 'a', parameters: [{ $ref: '#/components/parameters/Gone' }], responses: ok } } },
      components: { schemas: {
        Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' }, bad: { $ref: '#/components/schemas/Missing' } } },
        Leaf: { type: 'object', properties: { self: { $ref: '#/components/schemas/Leaf' } } }
      } }
    };
    const loaded = await loadSpec('s', write('broken.json', doc), dir);
    if (!('spec' in loaded)) throw new Error(loaded.error);
    expect(Object.fromEntries(loaded.spec.broken ?? new Map())).toEqual({
      '#/paths/~1a/get': gone,
      '#/paths/~1b/get': '$ref "#/components/schemas/Missing" does not resolve',
      '#/paths/~1c/get': gone,
      // The whole document holds the missing ref too.
      '#/paths/~1e/get': gone
    });
  });

  it('an operation invalid against the meta-schema is spoiled with the first reason, the rest load', async () => {
    const doc = { openapi: '3.0.3', info, paths: {
      '/a': { get: { operationId: 'a', responses: ok, parameters: [{ name: 'x' }] } },
      '/b': { get: { operationId: 'b', responses: ok } }
    } };
    const loaded = await loadSpec('s', write('opinvalid.json', doc), dir);
    if (!('spec' in loaded)) throw new Error(loaded.error);
    expect([...(loaded.spec.broken ?? new Map())]).toEqual([['#/paths/~1a/get', "not valid OpenAPI: #/paths/~1a/get/parameters/0 must have required property 'schema'"]]);
    expect(loaded.spec.place?.('#/paths/~1b/get')).toMatch(/^.*opinvalid\.json:1:\d+$/);
  });

  it('a ref into an external file that cannot be parsed spoils only its operation', async () => {
    write('garbled.yaml', 'a: [unclosed\n  b: {');
    const doc = { openapi: '3.0.3', info, paths: {
      '/a': { get: { operationId: 'a', parameters: [{ $ref: 'garbled.yaml#/P' }], responses: ok } },
      '/b': { get: { operationId: 'b', responses: ok } }
    } };
    const loaded = await loadSpec('s', write('ext.json', doc), dir);
    if (!('spec' in loaded)) throw new Error(loaded.error);
    const broken = [...(loaded.spec.broken ?? new Map())];
    expect(broken.map(([p]) => p)).toEqual(['#/paths/~1a/get']);
    expect(broken[0]![1]).toContain('$ref "garbled.yaml#/P" cannot be resolved');
  });
});
