/**
 * loadSpec: documents that fail whole (versions, document-level meta-schema errors), file: URLs, refs through
 * arrays and path items, remote refs allowed by prefix, and refs that spoil only the operations reaching them
 * (a failed fetch, self-referencing schemas, the whole-document ref, an external file that does not parse).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../generators/kinds/openapi/load.js';

const dir = mkdtempSync(join(tmpdir(), 'mcpgen-oaload-'));
const write = (name: string, doc: unknown) => {
  writeFileSync(join(dir, name), typeof doc === 'string' ? doc : JSON.stringify(doc));
  return join(dir, name);
};
const info = { title: 't', version: '1' };
const ok = { '200': { description: 'ok' } };
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/schemas.json')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ Pet: { type: 'object', properties: { name: { type: 'string' } } } }));
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('loadSpec: file: URLs, refs through arrays, remote refs by prefix', () => {
  it('reads a file: URL, and follows refs into arrays ', async () => {
    const doc = {
      openapi: '3.1.0',
      info,
      paths: {
        '/a': { get: { operationId: 'getA', parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }], responses: ok } },
        '/c': { get: { operationId: 'getC', parameters: [{ $ref: '#/paths/~1a/get/parameters/0' }], responses: ok } },
        '/d': { get: { operationId: 'getD', parameters: [{ $ref: '#/paths/~1a/get/parameters/5' }], responses: ok } }
      }
    };
    const loaded = await loadSpec('s', pathToFileURL(write('refs.json', doc)).href, '/elsewhere');
    if (!('spec' in loaded)) throw new Error(loaded.error);
    expect(loaded.spec.dialect).toBe('3.1');
    expect(loaded.spec.file).toBe(join(dir, 'refs.json'));
    expect([...(loaded.spec.broken ?? new Map()).entries()]).toEqual([
      ['#/paths/~1d/get', '$ref "#/paths/~1a/get/parameters/5" does not resolve']
    ]);
  });

  it('fetches remote refs under an allowed prefix; a failed fetch spoils only the operations using it, with its own reason', async () => {
    const doc = {
      openapi: '3.0.3',
      info,
      paths: {
        '/pets': {
          get: {
            operationId: 'listPets',
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: { $ref: `${origin}/schemas.json#/Pet` } } } }
            }
          }
        },
        '/gone': {
          get: {
            operationId: 'gone',
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: `${origin}/missing.json#/X` } } } } }
          }
        }
      }
    };
    const loaded = await loadSpec('s', write('remote.json', doc), dir, undefined, [`${origin}/`]);
    expect('spec' in loaded).toBe(true);
    if (!('spec' in loaded)) return;
    const broken = loaded.spec.broken ?? new Map<string, string>();
    expect([...broken.keys()]).toEqual(['#/paths/~1gone/get']);
    expect(broken.get('#/paths/~1gone/get')).toBe(
      `$ref "${origin}/missing.json#/X" cannot be resolved (Error reading file "${origin}/missing.json")`
    );
    expect(JSON.stringify(loaded.spec.doc)).toContain('"name":{"type":"string"}');
  });

  it.each([
    { given: 'remote refs not allowed', allow: false },
    { given: 'a URL outside the allowed prefixes', allow: ['https://schemas.example/'] }
  ] as const)('says remote refs are not fetched when $given', async ({ allow }) => {
    const doc = {
      openapi: '3.0.3',
      info,
      paths: {
        '/x': {
          get: {
            operationId: 'x',
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: { $ref: `${origin}/schemas.json#/Pet` } } } }
            }
          }
        }
      }
    };
    const loaded = await loadSpec('s', write('not-fetched.json', doc), dir, undefined, allow);
    if (!('spec' in loaded)) throw new Error(loaded.error);
    expect(loaded.spec.broken?.get('#/paths/~1x/get')).toMatch(
      /cannot be resolved \(remote \$refs are not fetched at build: bundle the document first, or allow them with allowRemoteRefs/
    );
  });
});

describe('loadSpec: documents that fail whole', () => {
  it.each([
    ['no version at all', 'nover.json', { info, paths: {} }, 'Unsupported OpenAPI version: undefined'],
    ['a version after 3.1', 'v32.json', { openapi: '3.2.0', info, paths: {} }, 'Unsupported OpenAPI version: 3.2.0'],
    [
      'Swagger 2.0 without a title, not placed in the file',
      'sw2.json',
      { swagger: '2.0', info: { version: '1' }, paths: {} },
      "not valid Swagger 2.0: #/info must have required property 'title'"
    ],
    [
      'a 3.0 root error, placed at the root',
      'noinfo.json',
      { openapi: '3.0.3', paths: {} },
      "noinfo.json:1:1: Swagger schema validation failed. — #/ must have required property 'info'"
    ],
    [
      'a 3.0 error outside operations, placed at its node',
      'comp.json',
      { openapi: '3.0.3', info, paths: {}, components: { schemas: 5 } },
      'comp.json:1:90: Swagger schema validation failed. — #/components/schemas must be object'
    ]
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
        '/b': {
          get: {
            operationId: 'b',
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } }
          }
        },
        '/c': { get: { operationId: 'c', parameters: [{ $ref: '#/components/parameters/Gone' }], responses: ok } },
        '/d': { $ref: '#/x-items/Missing' },
        '/e': { get: { operationId: 'e', parameters: [{ $ref: '#' }], responses: ok } },
        '/fine': {
          get: {
            operationId: 'fine',
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Leaf' } } } } }
          }
        }
      },
      'x-items': { A: { get: { operationId: 'a', parameters: [{ $ref: '#/components/parameters/Gone' }], responses: ok } } },
      components: {
        schemas: {
          Node: {
            type: 'object',
            properties: { next: { $ref: '#/components/schemas/Node' }, bad: { $ref: '#/components/schemas/Missing' } }
          },
          Leaf: { type: 'object', properties: { self: { $ref: '#/components/schemas/Leaf' } } }
        }
      }
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
    const doc = {
      openapi: '3.0.3',
      info,
      paths: {
        '/a': { get: { operationId: 'a', responses: ok, parameters: [{ name: 'x' }] } },
        '/b': { get: { operationId: 'b', responses: ok } }
      }
    };
    const loaded = await loadSpec('s', write('opinvalid.json', doc), dir);
    if (!('spec' in loaded)) throw new Error(loaded.error);
    expect([...(loaded.spec.broken ?? new Map())]).toEqual([
      ['#/paths/~1a/get', "not valid OpenAPI: #/paths/~1a/get/parameters/0 must have required property 'schema'"]
    ]);
    expect(loaded.spec.place?.('#/paths/~1b/get')).toMatch(/^.*opinvalid\.json:1:\d+$/);
  });

  it('a ref into an external file that cannot be parsed spoils only its operation', async () => {
    write('garbled.yaml', 'a: [unclosed\n  b: {');
    const doc = {
      openapi: '3.0.3',
      info,
      paths: {
        '/a': { get: { operationId: 'a', parameters: [{ $ref: 'garbled.yaml#/P' }], responses: ok } },
        '/b': { get: { operationId: 'b', responses: ok } }
      }
    };
    const loaded = await loadSpec('s', write('ext.json', doc), dir);
    if (!('spec' in loaded)) throw new Error(loaded.error);
    const broken = [...(loaded.spec.broken ?? new Map())];
    expect(broken.map(([p]) => p)).toEqual(['#/paths/~1a/get']);
    expect(broken[0]![1]).toContain('$ref "garbled.yaml#/P" cannot be resolved');
  });
});
