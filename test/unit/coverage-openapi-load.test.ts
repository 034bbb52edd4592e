/**
 * loadSpec edge cases: document versions, file: URLs, refs through arrays and path items, and remote refs
 * allowed by prefix (fetched, or spoiling only the operations that reach them when the fetch fails).
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
  writeFileSync(join(dir, name), JSON.stringify(doc));
  return join(dir, name);
};
const info = { title: 't', version: '1' };
const ok = { '200': { description: 'ok' } };
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/schemas.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Pet: { type: 'object', properties: { name: { type: 'string' } } } }));
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('loadSpec', () => {
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
    expect([...(loaded.spec.broken ?? new Map()).entries()]).toEqual([['#/paths/~1d/get', '$ref "#/paths/~1a/get/parameters/5" does not resolve']]);
  });

  it('fetches remote refs under an allowed prefix; a failed fetch spoils only the operations using it, with its own reason', async () => {
    const doc = {
      openapi: '3.0.3',
      info,
      paths: {
        '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: `${origin}/schemas.json#/Pet` } } } } } } },
        '/gone': { get: { operationId: 'gone', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: `${origin}/missing.json#/X` } } } } } } }
      }
    };
    const loaded = await loadSpec('s', write('remote.json', doc), dir, undefined, [`${origin}/`]);
    expect('spec' in loaded).toBe(true);
    if (!('spec' in loaded)) return;
    const broken = loaded.spec.broken ?? new Map<string, string>();
    expect([...broken.keys()]).toEqual(['#/paths/~1gone/get']);
    expect(broken.get('#/paths/~1gone/get')).toBe(`$ref "${origin}/missing.json#/X" cannot be resolved (Error reading file "${origin}/missing.json")`);
    expect(JSON.stringify(loaded.spec.doc)).toContain('"name":{"type":"string"}');
  });

  it.each([
    { given: 'remote refs not allowed', allow: false },
    { given: 'a URL outside the allowed prefixes', allow: ['https://schemas.example/'] }
  ] as const)('says remote refs are not fetched when $given', async ({ allow }) => {
    const doc = { openapi: '3.0.3', info, paths: { '/x': { get: { operationId: 'x', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: `${origin}/schemas.json#/Pet` } } } } } } } } };
    const loaded = await loadSpec('s', write('not-fetched.json', doc), dir, undefined, allow);
    if (!('spec' in loaded)) throw new Error(loaded.error);
    expect(loaded.spec.broken?.get('#/paths/~1x/get')).toMatch(/cannot be resolved \(remote \$refs are not fetched at build: bundle the document first, or allow them with allowRemoteRefs/);
  });
});
