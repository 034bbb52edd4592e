import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../generators/build.js';
import { loadSpec } from '../../generators/kinds/openapi/load.js';
import { convertSwagger2 } from '../../generators/kinds/openapi/swagger2/index.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { buildToTemp } from '../helpers/artifact.js';
import { createCore } from '../../runtime/serve.js';

type Obj = Record<string, unknown>;
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'openapi-swagger2');
const manifest = join(fixtures, 'mcp-gen.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'mcpgen-swagger2-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const swagger = (extra: Obj): Obj => ({ swagger: '2.0', info: { title: 't', version: '1' }, paths: {}, ...extra });
const op = (parameters: unknown[], more: Obj = {}): Obj => ({
  paths: { '/x/{id}': { post: { operationId: 'op', parameters, responses: { 200: { description: 'ok' } }, ...more } } }
});
const converted = (doc: Obj) => convertSwagger2(doc);
const operationOf = (doc: Obj): Obj => ((converted(doc).doc.paths as Obj)['/x/{id}'] as Obj).post as Obj;

describe('Swagger 2.0 → OpenAPI 3.0, node by node', () => {
  it.each([
    [
      'path',
      { name: 'id', in: 'path', required: true, type: 'integer', format: 'int64' },
      { name: 'id', in: 'path', required: true, schema: { type: 'integer', format: 'int64' } }
    ],
    [
      'query csv (the default)',
      { name: 'a', in: 'query', type: 'array', items: { type: 'string' } },
      { name: 'a', in: 'query', style: 'form', explode: false, schema: { type: 'array', items: { type: 'string' } } }
    ],
    [
      'query multi',
      { name: 'a', in: 'query', type: 'array', items: { type: 'integer', minimum: 1 }, collectionFormat: 'multi' },
      { name: 'a', in: 'query', style: 'form', explode: true, schema: { type: 'array', items: { type: 'integer', minimum: 1 } } }
    ],
    [
      'query ssv',
      { name: 'a', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'ssv' },
      { name: 'a', in: 'query', style: 'spaceDelimited', explode: false, schema: { type: 'array', items: { type: 'string' } } }
    ],
    [
      'query pipes',
      { name: 'a', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'pipes' },
      { name: 'a', in: 'query', style: 'pipeDelimited', explode: false, schema: { type: 'array', items: { type: 'string' } } }
    ],
    [
      'header csv',
      { name: 'X-A', in: 'header', type: 'array', items: { type: 'string' }, collectionFormat: 'csv' },
      { name: 'X-A', in: 'header', style: 'simple', explode: false, schema: { type: 'array', items: { type: 'string' } } }
    ],
    [
      'constraints, description, x-nullable, allowEmptyValue, extensions',
      {
        name: 'q',
        in: 'query',
        type: 'string',
        description: 'd',
        required: true,
        maxLength: 5,
        pattern: '^a',
        enum: ['a'],
        default: 'a',
        'x-nullable': true,
        allowEmptyValue: true,
        'x-k': 1
      },
      {
        name: 'q',
        in: 'query',
        description: 'd',
        required: true,
        allowEmptyValue: true,
        'x-k': 1,
        schema: { type: 'string', maxLength: 5, pattern: '^a', enum: ['a'], default: 'a', nullable: true }
      }
    ]
  ])('parameter: %s', (_, given, want) => {
    const o = operationOf(swagger(op([given])));
    expect(o.parameters).toEqual([want]);
    expect(converted(swagger(op([given]))).skipped.size).toBe(0);
  });

  it.each([
    [
      'query tsv',
      { name: 'a', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'tsv' },
      'parameter a (in query) uses collectionFormat tsv, which OpenAPI 3 cannot express'
    ],
    [
      'path pipes',
      { name: 'id', in: 'path', required: true, type: 'array', items: { type: 'string' }, collectionFormat: 'pipes' },
      'parameter id (in path) uses collectionFormat pipes, which OpenAPI 3 cannot express'
    ],
    [
      'array of arrays',
      { name: 'a', in: 'query', type: 'array', items: { type: 'array', items: { type: 'string' } } },
      'parameter a (in query) is an array of arrays (nested collectionFormat), which cannot be sent'
    ],
    ['file outside formData', { name: 'f', in: 'query', type: 'file' }, 'parameter f (in query) has type file outside formData'],
    ['unresolvable ref', { $ref: '#/parameters/nope' }, 'parameter $ref "#/parameters/nope" cannot be resolved'],
    [
      'formData csv array',
      { name: 'a', in: 'formData', type: 'array', items: { type: 'string' } },
      'formData parameter a uses collectionFormat csv: only multi (repeated fields) is supported'
    ],
    [
      'body and formData',
      [
        { name: 'b', in: 'body', schema: {} },
        { name: 'f', in: 'formData', type: 'string' }
      ],
      'it has both a body and formData parameters'
    ]
  ])('skipped with a reason: %s', (_, given, why) => {
    expect([...converted(swagger(op(Array.isArray(given) ? given : [given]))).skipped]).toEqual([['#/paths/~1x~1{id}/post', why]]);
  });

  it('a body parameter becomes the requestBody, once per media type the operation consumes', () => {
    const o = operationOf(
      swagger({
        consumes: ['application/xml'],
        ...op([{ name: 'pet', in: 'body', required: true, description: 'the pet', schema: { $ref: '#/definitions/Pet' } }], {
          consumes: ['application/json', 'text/plain']
        })
      })
    );
    expect(o.parameters).toBeUndefined();
    expect(o.requestBody).toEqual({
      description: 'the pet',
      required: true,
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/Pet' } },
        'text/plain': { schema: { $ref: '#/components/schemas/Pet' } }
      }
    });
    expect(operationOf(swagger(op([{ name: 'b', in: 'body', schema: { type: 'string' } }]))).requestBody).toEqual({
      content: { 'application/json': { schema: { type: 'string' } } }
    });
  });

  it('formData: form-urlencoded by default, multipart when a field is a file (a binary string)', () => {
    const fields = [
      { name: 'n', in: 'formData', type: 'string', required: true, description: 'name' },
      { name: 'm', in: 'formData', type: 'array', items: { type: 'integer' }, collectionFormat: 'multi' }
    ];
    expect(operationOf(swagger(op(fields))).requestBody).toEqual({
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: {
            type: 'object',
            properties: { n: { type: 'string', description: 'name' }, m: { type: 'array', items: { type: 'integer' } } },
            required: ['n']
          }
        }
      }
    });
    const upload = operationOf(
      swagger(op([{ name: 'f', in: 'formData', type: 'file' }], { consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'] }))
    );
    expect(upload.requestBody).toEqual({
      content: { 'multipart/form-data': { schema: { type: 'object', properties: { f: { type: 'string', format: 'binary' } } } } }
    });
    const both = operationOf(
      swagger(
        op([{ name: 'n', in: 'formData', type: 'string' }], {
          consumes: ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json']
        })
      )
    );
    expect(Object.keys((both.requestBody as { content: Obj }).content)).toEqual([
      'multipart/form-data',
      'application/x-www-form-urlencoded'
    ]);
  });

  it('path-level parameters are merged into each operation (the operation wins), body ones included', () => {
    const doc = swagger({
      paths: {
        '/x/{id}': {
          parameters: [
            { name: 'id', in: 'path', required: true, type: 'string' },
            { name: 'shared', in: 'body', schema: { type: 'object' } },
            { name: 'q', in: 'query', type: 'string' }
          ],
          get: { parameters: [{ name: 'q', in: 'query', type: 'integer' }], responses: { 200: { description: 'ok' } } },
          put: { parameters: [{ name: 'own', in: 'body', schema: { type: 'string' } }], responses: { 200: { description: 'ok' } } },
          'x-item': true
        }
      }
    });
    const item = (converted(doc).doc.paths as Obj)['/x/{id}'] as Record<string, Obj>;
    expect(item.parameters).toBeUndefined();
    expect(item['x-item']).toBe(true);
    expect(item.get!.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'q', in: 'query', schema: { type: 'integer' } }
    ]);
    expect(item.get!.requestBody).toEqual({ content: { 'application/json': { schema: { type: 'object' } } } });
    expect(item.put!.requestBody).toEqual({ content: { 'application/json': { schema: { type: 'string' } } } });
  });

  it('path items: a ref is followed, one that leads nowhere and x- keys are kept as written', () => {
    const doc = swagger({
      'x-items': { a: { get: { operationId: 'shared', responses: { 200: { description: 'ok' } } } } },
      paths: { '/a': { $ref: '#/x-items/a' }, '/b': { $ref: '#/nowhere' }, 'x-p': 1 }
    });
    expect(converted(doc).doc.paths).toEqual({
      '/a': { get: { operationId: 'shared', responses: { 200: { description: 'ok' } } } },
      '/b': { $ref: '#/nowhere' },
      'x-p': 1
    });
  });

  it('responses: schema under each produced media type, examples and headers kept, shared ones under components', () => {
    const doc = swagger({
      produces: ['application/json'],
      responses: { NotFound: { description: 'nf', schema: { $ref: '#/definitions/Error' } } },
      paths: {
        '/a': {
          get: {
            responses: {
              200: {
                description: 'ok',
                schema: { type: 'object' },
                examples: { 'application/json': { a: 1 } },
                headers: { 'X-Rate': { type: 'integer', description: 'left' } }
              },
              404: { $ref: '#/responses/NotFound' },
              'x-r': 1
            }
          },
          put: { produces: ['application/xml'], responses: { 404: { $ref: '#/responses/NotFound' } } }
        },
        '/file': { get: { produces: [], responses: { 200: { description: 'bytes', schema: { type: 'file' } } } } }
      }
    });
    const out = converted(doc).doc as { paths: Record<string, Record<string, { responses: Obj }>>; components: Obj };
    expect(out.paths['/a']!.get!.responses).toEqual({
      200: {
        description: 'ok',
        headers: { 'X-Rate': { description: 'left', schema: { type: 'integer' } } },
        content: { 'application/json': { schema: { type: 'object' }, example: { a: 1 } } }
      },
      404: { $ref: '#/components/responses/NotFound' },
      'x-r': 1
    });
    expect(out.paths['/a']!.put!.responses).toEqual({
      404: { description: 'nf', content: { 'application/xml': { schema: { $ref: '#/components/schemas/Error' } } } }
    });
    expect(out.paths['/file']!.get!.responses).toEqual({
      200: { description: 'bytes', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }
    });
    expect(out.components.responses).toEqual({
      NotFound: { description: 'nf', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
    });
  });

  it(
    'schemas: definitions refs, x-nullable, discriminator, file, type lists, tuple items; refs ' + 'elsewhere are copied into components',
    () => {
      const doc = swagger({
        definitions: {
          Pet: {
            type: 'object',
            discriminator: 'kind',
            required: ['kind'],
            properties: {
              kind: { type: 'string' },
              tag: { type: 'string', 'x-nullable': true },
              at: { type: ['string', 'null'] },
              either: { type: ['string', 'integer'] },
              pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] },
              one: { type: 'array', items: [{ type: 'string' }] },
              extra: { additionalProperties: { $ref: '#/definitions/Pet' } }
            }
          },
          Cat: { allOf: [{ $ref: '#/definitions/Pet' }, { type: 'object', properties: { lives: { type: 'integer' } } }] },
          Inline: { $ref: '#/paths/~1a/get/responses/200/schema' },
          Remote: { $ref: 'https://example.invalid/x.json' },
          Dangling: { $ref: '#/nowhere' }
        },
        paths: {
          '/a': {
            get: {
              responses: {
                200: {
                  description: 'ok',
                  schema: { type: 'object', properties: { self: { $ref: '#/paths/~1a/get/responses/200/schema' } } }
                }
              }
            }
          }
        }
      });
      const schemas = (converted(doc).doc.components as { schemas: Obj }).schemas;
      expect(schemas).toEqual({
        Pet: {
          type: 'object',
          discriminator: { propertyName: 'kind' },
          required: ['kind'],
          properties: {
            kind: { type: 'string' },
            tag: { type: 'string', nullable: true },
            at: { type: 'string', nullable: true },
            either: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
            pair: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
            one: { type: 'array', items: { type: 'string' } },
            extra: { additionalProperties: { $ref: '#/components/schemas/Pet' } }
          }
        },
        Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { lives: { type: 'integer' } } }] },
        Inline: { $ref: '#/components/schemas/paths_1a_get_responses_200_schema' },
        Remote: { $ref: 'https://example.invalid/x.json' },
        Dangling: { $ref: '#/nowhere' },
        paths_1a_get_responses_200_schema: {
          type: 'object',
          properties: { self: { $ref: '#/components/schemas/paths_1a_get_responses_200_schema' } }
        }
      });
    }
  );

  it('host, basePath and schemes become servers; securityDefinitions become securitySchemes', () => {
    const servers = (extra: Obj) => converted(swagger(extra)).doc.servers;
    expect(servers({ host: 'api.example.com:8443', basePath: '/v1/', schemes: ['http', 'https'] })).toEqual([
      { url: 'http://api.example.com:8443/v1' },
      { url: 'https://api.example.com:8443/v1' }
    ]);
    expect(servers({ host: 'api.example.com' })).toEqual([{ url: 'https://api.example.com' }]);
    expect(servers({ host: 'h', schemes: ['wss', 'http'] })).toEqual([{ url: 'http://h' }]);
    expect(servers({ basePath: '/v1' })).toEqual([{ url: '/v1' }]);
    expect(servers({})).toBeUndefined();
    const doc = converted(
      swagger({
        securityDefinitions: {
          key: { type: 'apiKey', name: 'k', in: 'query', description: 'd' },
          basic: { type: 'basic', 'x-e': 1 },
          app: { type: 'oauth2', flow: 'application', tokenUrl: 'https://t', scopes: { r: 'read' } },
          code: { type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {} },
          implicit: { type: 'oauth2', flow: 'implicit', authorizationUrl: 'https://a', scopes: {} },
          password: { type: 'oauth2', flow: 'password', tokenUrl: 'https://t' }
        },
        security: [{ key: [] }, { app: ['r'] }]
      })
    ).doc;
    expect((doc.components as Obj).securitySchemes).toEqual({
      key: { type: 'apiKey', name: 'k', in: 'query', description: 'd' },
      basic: { type: 'http', scheme: 'basic', 'x-e': 1 },
      app: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://t', scopes: { r: 'read' } } } },
      code: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {} } } },
      implicit: { type: 'oauth2', flows: { implicit: { authorizationUrl: 'https://a', scopes: {} } } },
      password: { type: 'oauth2', flows: { password: { tokenUrl: 'https://t', scopes: {} } } }
    });
    expect(doc.security).toEqual([{ key: [] }, { app: ['r'] }]);
    expect(doc.openapi).toBe('3.0.3');
  });
});

describe('Swagger 2.0 through the loader', () => {
  const write = (name: string, doc: Obj) => {
    writeFileSync(join(tmp, name), stringify(doc));
    return join(tmp, name);
  };
  it('the fixture converts with host/basePath as the server and keeps its refs', async () => {
    const loaded = await loadSpec('pets', 'api.yaml', fixtures);
    if ('error' in loaded) throw new Error(loaded.error);
    const doc = loaded.spec.doc as { servers: Obj[]; paths: Record<string, Record<string, Obj>> };
    expect(loaded.spec.dialect).toBe('3.0');
    expect(doc.servers).toEqual([{ url: 'https://petstore.example.com/v2' }, { url: 'http://petstore.example.com/v2' }]);
    expect(doc.paths['/pets']!.post!.requestBody).toEqual({
      description: 'The pet.',
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } }
    });
    expect(doc.paths['/pets']!.get!.parameters).toContainEqual({ $ref: '#/components/parameters/limit' });
    expect([...loaded.spec.broken!.keys()].sort()).toEqual([
      '#/paths/~1pets~1bulk/post',
      '#/paths/~1pets~1search/get',
      '#/paths/~1remote/get'
    ]);
  });
  it('an operation that breaks the 2.0 meta-schema is skipped naming the pointer; a break elsewhere fails the document', async () => {
    const file = write(
      'bad-op.yaml',
      swagger({
        paths: {
          '/a': { get: { operationId: 'bad', parameters: [{ name: 'q', in: 'query' }], responses: { 200: { description: 'ok' } } } },
          '/b': { get: { responses: { 200: { description: 'ok' } } } }
        }
      })
    );
    const loaded = await loadSpec('s', file, tmp);
    if ('error' in loaded) throw new Error(loaded.error);
    expect(loaded.spec.broken!.get('#/paths/~1a/get')).toMatch(/^not valid Swagger 2\.0: #\/paths\/~1a\/get\/parameters\/0 /);
    expect(loaded.spec.broken!.size).toBe(1);
    const doc = await loadSpec('s', write('bad-doc.yaml', swagger({ info: { title: 't' } })), tmp);
    expect(doc).toEqual({ error: expect.stringMatching(/^not valid Swagger 2\.0: #\/info must have required property 'version'/) });
    const other = await loadSpec('s', write('v1.yaml', { swagger: '1.2', info: { title: 't', version: '1' }, paths: {} }), tmp);
    expect('error' in other && other.error).toMatch(/Swagger|version/);
  });
  it('an operation reaching a missing file is skipped naming it; a missing file elsewhere does not fail the document', async () => {
    const file = write(
      'refs.yaml',
      swagger({
        paths: {
          '/a': { get: { operationId: 'a', parameters: [{ $ref: 'no-such.yaml#/q' }], responses: { 200: { description: 'ok' } } } },
          '/b': { get: { operationId: 'b', responses: { 200: { description: 'ok' } } } }
        }
      })
    );
    const loaded = await loadSpec('s', file, tmp);
    if ('error' in loaded) throw new Error(loaded.error);
    expect([...loaded.spec.broken!]).toEqual([['#/paths/~1a/get', expect.stringContaining('no-such.yaml')]]);
  });
});

describe('Swagger 2.0 build: tools and their input schemas', () => {
  let result: BuildResult;
  beforeAll(async () => {
    result = await build({ manifest, env: {} });
  });
  const input = (name: string) => result.artifact!.tools.find((t) => t.name === name)!.descriptor.inputSchema;
  const Pet = {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string' },
      tag: { type: ['string', 'null'] },
      owner: { type: 'object', properties: { name: { type: 'string' }, email: { type: ['string', 'null'] } } }
    }
  };
  it('lists every convertible operation and warns, naming each one that is skipped', () => {
    expect(result.artifact!.tools.map((t) => t.name)).toEqual([
      'getPetById',
      'updatePet',
      'updatePetWithForm',
      'uploadPhoto',
      'findPets',
      'addPet',
      'getOwner'
    ]);
    expect(result.diagnostics.filter((d) => d.code === 'MCPGEN_OPENAPI_OPERATION').map((d) => d.message)).toEqual([
      'operation searchTabbed (GET /pets/search) skipped: parameter words (in query) uses ' +
        'collectionFormat tsv, which OpenAPI 3 cannot express',
      'operation bulkTags (POST /pets/bulk) skipped: formData parameter tags uses collectionFormat ' +
        'csv: only multi (repeated fields) is supported',
      'operation getRemote (GET /remote) skipped: $ref "https://example.invalid/schemas.json#/Thing" ' +
        'cannot be resolved (remote $refs are not fetched at build: bundle the document first, or allow ' +
        'them with allowRemoteRefs on the source (true: public URLs; a list of URL prefixes: exactly ' +
        'those))'
    ]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  it.each([
    [
      'getPetById',
      {
        type: 'object',
        properties: { petId: { type: 'integer', format: 'int64', description: "The pet's id." }, 'X-Request-Id': { type: 'string' } },
        required: ['petId']
      }
    ],
    [
      'findPets',
      {
        type: 'object',
        properties: {
          tags: { type: 'array', items: { type: 'string' }, description: 'Tags to match (csv, the default).' },
          status: { type: 'array', items: { type: 'string', enum: ['available', 'pending', 'sold'] } },
          ids: { type: 'array', items: { type: 'integer' } },
          names: { type: 'array', items: { type: 'string' } },
          limit: { type: 'integer', default: 20, maximum: 100, minimum: 1, description: 'How many at most.' }
        }
      }
    ],
    ['addPet', { type: 'object', properties: { body: { $ref: '#/$defs/Pet' } }, required: ['body'], $defs: { Pet } }],
    [
      'updatePet',
      {
        type: 'object',
        properties: { petId: { type: 'integer', format: 'int64', description: "The pet's id." }, body: { $ref: '#/$defs/Pet' } },
        required: ['petId', 'body'],
        $defs: { Pet }
      }
    ],
    [
      'updatePetWithForm',
      {
        type: 'object',
        properties: {
          petId: { type: 'integer', format: 'int64', description: "The pet's id." },
          body: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              status: { type: 'string', enum: ['available', 'sold'] },
              nicknames: { type: 'array', items: { type: 'string' } }
            },
            required: ['name']
          }
        },
        required: ['petId', 'body']
      }
    ],
    [
      'uploadPhoto',
      {
        type: 'object',
        properties: {
          petId: { type: 'integer' },
          body: {
            type: 'object',
            properties: {
              caption: { type: 'string' },
              file: {
                type: 'string',
                contentMediaType: 'application/octet-stream',
                description: 'The file: base64-encoded bytes, or the URI of a resource this server serves. The photo. (Binary content.)'
              }
            },
            required: ['file']
          }
        },
        required: ['petId', 'body']
      }
    ]
  ])('%s inputSchema (closed: an argument that is no parameter is refused)', (name, want) => {
    expect(input(name)).toEqual({ ...want, additionalProperties: false });
  });
  it('security schemes reach the artifact (apiKey in a header, basic as http basic)', () => {
    expect(result.artifact!.sources.pets).toMatchObject({
      schemes: {
        api_key: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        basic_auth: { type: 'http', scheme: 'basic' },
        oauth: { type: 'oauth2', tokenUrl: 'https://petstore.example.com/oauth/token' }
      }
    });
  });
  it('without baseUrl, host/basePath/schemes give the base URL', async () => {
    const m = join(tmp, 'no-base.mcp-gen.yaml');
    writeFileSync(m, `server: { name: x, version: "1" }\nsources:\n  pets: { openapi: ${JSON.stringify(join(fixtures, 'api.yaml'))} }\n`);
    const r = await build({ manifest: m, env: {} });
    expect(r.artifact!.sources.pets).toMatchObject({ kind: 'openapi', baseUrl: 'https://petstore.example.com/v2' });
  });
});

/** The exact requests the tools send, recorded by a local upstream. */
interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
describe('Swagger 2.0 tools on the wire', () => {
  const recorded: Recorded[] = [];
  let upstream: Server;
  let core: McpCore;
  const legacy: Channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        recorded.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'Rex', code: 1 }));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    process.env.UPSTREAM_URL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v2`;
    process.env.TEST_API_KEY = 'key-123';
    process.env.TEST_BASIC = 'ann:pa ss';
    core = await createCore(await loadArtifact(await buildToTemp(manifest)), { log: createLogger('error', () => {}) });
  });
  afterAll(() => {
    upstream.close();
    for (const v of ['UPSTREAM_URL', 'TEST_API_KEY', 'TEST_BASIC']) delete process.env[v];
  });
  async function call(name: string, args: Obj) {
    recorded.length = 0;
    const reply = JSON.parse(
      String((await core.request(1, 'tools/call', { name, arguments: args }, legacy, new AbortController().signal)).body)
    );
    expect(reply.result?.isError, JSON.stringify(reply)).toBeUndefined();
    expect(recorded).toHaveLength(1);
    return recorded[0]!;
  }

  it('path parameter, header parameter and the API key', async () => {
    const wire = await call('getPetById', { petId: 7, 'X-Request-Id': 'r-1' });
    expect(wire).toMatchObject({ method: 'GET', url: '/v2/pets/7', body: '' });
    expect(wire.headers['x-request-id']).toBe('r-1');
    expect(wire.headers['x-api-key']).toBe('key-123');
    expect(wire.headers.authorization).toBeUndefined();
  });
  it('query arrays per collectionFormat: csv, multi, pipes, ssv; a component parameter', async () => {
    const wire = await call('findPets', { tags: ['a', 'b c'], status: ['available', 'sold'], ids: [1, 2], names: ['x', 'y'], limit: 5 });
    expect(wire.url).toBe('/v2/pets?tags=a,b%20c&status=available&status=sold&ids=1%7C2&names=x%20y&limit=5');
  });
  it('a body parameter is sent as JSON', async () => {
    const wire = await call('addPet', { body: { name: 'Rex', tag: null } });
    expect(wire).toMatchObject({ method: 'POST', url: '/v2/pets' });
    expect(wire.headers['content-type']).toBe('application/json');
    expect(JSON.parse(wire.body)).toEqual({ name: 'Rex', tag: null });
    const put = await call('updatePet', { petId: 3, body: { name: 'Tex' } });
    expect(put).toMatchObject({ method: 'PUT', url: '/v2/pets/3', body: '{"name":"Tex"}' });
  });
  it('formData as application/x-www-form-urlencoded (multi arrays repeat the field)', async () => {
    const wire = await call('updatePetWithForm', { petId: 3, body: { name: 'Rex Two', status: 'sold', nicknames: ['r', 'x'] } });
    expect(wire).toMatchObject({ method: 'POST', url: '/v2/pets/3', body: 'name=Rex+Two&status=sold&nicknames=r&nicknames=x' });
    expect(wire.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });
  it('formData with a file as multipart/form-data, with basic auth', async () => {
    const wire = await call('uploadPhoto', { petId: 3, body: { caption: 'hi', file: Buffer.from('PNGDATA').toString('base64') } });
    expect(wire).toMatchObject({ method: 'POST', url: '/v2/pets/3/photos' });
    expect(wire.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(wire.body).toContain('name="caption"\r\n\r\nhi');
    expect(wire.body).toMatch(/name="file"; filename="file"\r\nContent-Type: application\/octet-stream\r\n\r\nPNGDATA/);
    expect(wire.headers.authorization).toBe(`Basic ${Buffer.from('ann:pa ss').toString('base64')}`);
    expect(wire.headers['x-api-key']).toBeUndefined();
  });
});
