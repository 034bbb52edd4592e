/** operationsOf on hand-built documents: refs that do not resolve, parameter forms, bodies and servers. */
import { describe, expect, it } from 'vitest';
import type { LoadedSpec } from '../../generators/kinds/openapi/load.js';
import { operationsOf, serverUrl, type GeneratedOperation } from '../../generators/kinds/openapi/operations.js';

type Obj = Record<string, unknown>;
const ok = { '200': { description: 'ok' } };
const spec = (paths: Obj, extra: Obj = {}, serverVariables?: Record<string, string>): LoadedSpec => ({
  source: 's',
  file: '/x/api.json',
  dialect: '3.1',
  doc: { openapi: '3.1.0', info: { title: 't', version: '1' }, paths, ...extra },
  ...(serverVariables ? { serverVariables } : {})
});
const only = (s: LoadedSpec): GeneratedOperation['tool'] => {
  const ops = operationsOf(s);
  expect(ops).toHaveLength(1);
  return ops[0]!.tool;
};
const built = (s: LoadedSpec) => {
  const tool = only(s);
  if ('skipped' in tool) throw new Error(tool.skipped);
  return tool;
};

describe('operationsOf: operations that cannot become tools say why', () => {
  it.each([
    [
      'a parameter ref outside the document',
      { parameters: [{ $ref: 'other.json#/P' }] },
      {},
      'parameter "other.json#/P" cannot be resolved'
    ],
    [
      'a parameter ref to nothing',
      { parameters: [{ $ref: '#/components/parameters/Nope' }] },
      {},
      'parameter "#/components/parameters/Nope" cannot be resolved'
    ],
    ['a request body ref to nothing', { requestBody: { $ref: '#/components/requestBodies/Nope' } }, {}, 'requestBody cannot be resolved'],
    [
      'a schema that is not a schema',
      { parameters: [{ name: 'q', in: 'query', schema: 5 }] },
      {},
      'a schema must be an object or a boolean, got 5 (#/paths/~1a/get/parameters/q)'
    ],
    [
      'a dangling schema ref',
      { parameters: [{ name: 'q', in: 'query', schema: { $ref: '#/components/schemas/Nope' } }] },
      { components: { schemas: {} } },
      'dangling $ref to Nope'
    ],
    ['a schema ref it cannot carry', { parameters: [{ name: 'q', in: 'query', schema: { $ref: '#/paths/~1b' } }] }, {}, 'unsupported $ref']
  ])('%s', (_label, op, extra, want) => {
    const tool = only(spec({ '/a': { get: { operationId: 'a', ...op, responses: ok } } }, extra));
    expect('skipped' in tool && tool.skipped).toContain(want);
  });
});

describe('operationsOf: parameters and bodies', () => {
  it('a path item given by a local ref is followed; one that resolves to nothing has no operations', () => {
    const s = spec(
      { '/a': { $ref: '#/x-items/A' }, '/b': { $ref: '#/x-items/Missing' }, '/c': { $ref: 'other.json#/C' } },
      { 'x-items': { A: { get: { operationId: 'getA', responses: ok } } } }
    );
    expect(operationsOf(s).map((o) => o.operationId)).toEqual(['getA']);
  });

  it('parameter refs with escaped pointers, content-typed parameters, allowReserved and repeated names', () => {
    const s = spec(
      {
        '/a/{id}': {
          parameters: [{ $ref: '#/components/parameters/a~1b~0c' }],
          get: {
            operationId: 'a',
            parameters: [
              { name: 'filter', in: 'query', content: { 'application/json': { schema: { type: 'object' } } } },
              { name: 'raw', in: 'query', content: { 'text/plain': {} } },
              { name: 'id', in: 'query', allowReserved: true, schema: { type: 'string' } },
              { name: 'nothing', in: 'query' }
            ],
            responses: ok
          }
        }
      },
      { components: { parameters: { 'a/b~c': { name: 'id', in: 'path', required: true, schema: { type: 'integer' } } } } }
    );
    const tool = built(s);
    expect(tool.exec.params).toEqual([
      { name: 'id', in: 'path', argument: 'id' },
      { name: 'filter', in: 'query', argument: 'filter', contentType: 'application/json' },
      { name: 'raw', in: 'query', argument: 'raw', contentType: 'text/plain' },
      { name: 'id', in: 'query', argument: 'query_id', allowReserved: true },
      { name: 'nothing', in: 'query', argument: 'nothing' }
    ]);
    expect(tool.inputSchema).toMatchObject({
      properties: { id: { type: 'integer' }, filter: { type: 'object' }, raw: {}, query_id: { type: 'string' }, nothing: {} },
      required: ['id']
    });
  });

  it('a body argument is renamed when a parameter already uses "body"; a boolean schema becomes its object form', () => {
    const s = spec(
      {
        '/a': {
          post: {
            operationId: 'a',
            parameters: [{ name: 'body', in: 'query', schema: true }],
            requestBody: { $ref: '#/components/requestBodies/B' },
            responses: ok
          }
        }
      },
      { components: { requestBodies: { B: { required: true, content: { 'application/json': { schema: { type: 'object' } } } } } } }
    );
    const tool = built(s);
    expect(tool.exec.body).toEqual({ argument: 'requestBody', mediaType: 'application/json' });
    expect(tool.inputSchema).toMatchObject({ properties: { body: {}, requestBody: { type: 'object' } }, required: ['requestBody'] });
  });

  it('multipart file fields say both forms they accept, keeping their own description', () => {
    const s = spec({
      '/up': {
        post: {
          operationId: 'up',
          requestBody: {
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  properties: {
                    a: { type: 'string', format: 'binary' },
                    b: { type: 'string', contentMediaType: 'image/png', description: 'The photo.' },
                    c: { type: 'string' }
                  }
                }
              }
            }
          },
          responses: ok
        }
      }
    });
    const tool = built(s);
    const props = (tool.inputSchema as { properties: { body: { properties: Record<string, Obj> } } }).properties.body.properties;
    expect(tool.exec.body).toMatchObject({ files: expect.arrayContaining(['b']) });
    expect(props.b!.description).toBe('The file: base64-encoded bytes, or the URI of a resource this server serves. The photo.');
    expect(props.c!.description).toBeUndefined();
  });
});

describe('operationsOf: descriptions', () => {
  it.each([
    [
      'a summary ending in punctuation is not given another stop',
      { summary: 'Get it!', description: 'Returns it.' },
      'Get it! Returns it.'
    ],
    ['no summary: the description alone', { description: 'Returns it.' }, 'Returns it.'],
    [
      'a description that starts with the summary is not repeated',
      { summary: 'Returns it', description: 'Returns it quickly.' },
      'Returns it quickly.'
    ],
    ['nothing: method and path', {}, 'GET /a']
  ])('%s', (_label, texts, want) => {
    const tool = built(spec({ '/a': { get: { operationId: 'a', ...texts, responses: ok } } }));
    expect(tool.descriptor.description).toBe(want);
  });
});

describe('serverUrl', () => {
  it.each([
    [
      'manifest values win over defaults',
      { url: 'https://{region}.x.test/{v}', variables: { region: { default: 'eu' }, v: { default: 'v1' } } },
      { region: 'us' },
      'https://us.x.test/v1'
    ],
    ['a variable without a default becomes empty', { url: 'https://x.test/{v}', variables: { v: {} } }, {}, 'https://x.test/'],
    ['no url', { variables: { v: { default: 'x' } } }, {}, '']
  ])('%s', (_label, server, values, want) => {
    expect(serverUrl(server, values)).toBe(want);
  });
  it('a path item server wins and takes the source variables', () => {
    const tool = built(
      spec(
        { '/a': { servers: [{ url: 'https://{h}.test', variables: { h: { default: 'd' } } }], get: { operationId: 'a', responses: ok } } },
        {},
        { h: 'mine' }
      )
    );
    expect(tool.exec.server).toBe('https://mine.test');
  });
});
