import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { buildToTemp } from '../helpers/artifact.js';

/** An upstream that records the exact wire request and answers per path. */
interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const recorded: Recorded[] = [];
let flaky = 0;
let tokensIssued = 0;
let revoke = false;
let upstream: Server;
let base: string;
let core: McpCore;
let artifactDir: string;
const manifest = join(import.meta.dirname, '..', 'fixtures', 'openapi-kind', 'mcp-gen.yaml');
const legacy: Channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      recorded.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      if ((req.url! + recorded.at(-1)!.body).includes('flaky') && flaky-- > 0) return void res.writeHead(503).end();
      if (req.url!.includes('missing'))
        return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such pet"}');
      if (req.method === 'DELETE') return void res.writeHead(204).end();
      if (req.url === '/v1/pets/redir-in') return void res.writeHead(302, { location: '/v1/pets/7' }).end();
      if (req.url === '/v1/pets/redir-out')
        return void res.writeHead(302, { location: base.replace('127.0.0.1', 'localhost') + '/steal' }).end();
      if (req.url === '/token')
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: `tok-${++tokensIssued}`, expires_in: 3600 }));
      if (req.url === '/v1/secure' && req.headers.authorization === 'Bearer tok-1' && revoke) return void res.writeHead(401).end();
      if (req.url!.endsWith('/owner'))
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(req.url!.includes('bad') ? '{"nope":1}' : '{"name":"Ann"}');
      if (req.url!.startsWith('/v1/pets/big')) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(5000));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, path: req.url }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  artifactDir = await buildToTemp(manifest);
  core = await createCore(await loadArtifact(artifactDir), { log: createLogger('error', () => {}) });
  process.env.UPSTREAM_URL = base;
  process.env.TEST_API_KEY = 'secret-key-123';
  process.env.TOKEN_URL = `${base.replace('/v1', '')}/token`;
});
afterAll(() => {
  upstream.close();
  delete process.env.UPSTREAM_URL;
  delete process.env.TEST_API_KEY;
});

async function call(name: string, args: Record<string, unknown>) {
  recorded.length = 0;
  const reply = JSON.parse(
    String((await core.request(1, 'tools/call', { name, arguments: args }, legacy, new AbortController().signal)).body)
  );
  return { result: reply.result, error: reply.error, wire: recorded[0] };
}

describe('OpenAPI kind: building', () => {
  it('generates one tool per selected operation, with overrides, and skips what it cannot map', async () => {
    const result = await build({ manifest, env: {} });
    expect(result.artifact!.tools.map((t) => t.name)).toEqual([
      'listPets',
      'add_pet',
      'getPet',
      'deletePet',
      'getOwner',
      'getStatus',
      'getSecure',
      'uploadFile',
      'submitForm',
      'putText',
      'putBytes'
    ]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.severity}`)).toEqual([
      'MCPGEN_OPENAPI_OPERATION warning',
      'MCPGEN_ENV_MISSING warning'
    ]);
    const add = result.artifact!.tools.find((t) => t.name === 'add_pet')!.descriptor;
    expect(add.description).toBe('Add a pet to the store.');
    expect(add.inputSchema).toMatchObject({ type: 'object', required: ['body'], $defs: { Pet: { required: ['name'] } } });
    const get = result.artifact!.tools.find((t) => t.name === 'getPet')!.descriptor;
    expect(get.annotations).toEqual({ readOnlyHint: true });
    expect(Object.keys((get.inputSchema as { properties: object }).properties)).toEqual(['petId', 'query_petId']);
    expect(get.inputSchema).toMatchObject({ additionalProperties: false });
  });
  it('keeps credentials out of the artifact', () => {
    expect(readFileSync(join(artifactDir, 'artifact.json'), 'utf8')).not.toContain('secret-key-123');
  });
  it('reports an unknown operation override and a broken document', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync(join((await import('node:os')).tmpdir(), 'mcpgen-oa-'));
    writeFileSync(join(dir, 'api.yaml'), 'openapi: 3.0.3\ninfo: { title: x }\npaths: {}\n');
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: x, version: "1" }\nsources:\n  a: { openapi: ` +
        `${join(dirname(manifest), 'api.yaml')} }\n  b: { openapi: ./api.yaml }\ntools:\n  - { ` +
        `operation: a.nope }\n  - { operation: zzz.op }\n`
    );
    const r = await build({ manifest: join(dir, 'mcp-gen.yaml') });
    expect(
      r.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => d.code)
        .sort()
    ).toEqual(['MCPGEN_OPENAPI_LOAD', 'MCPGEN_UNKNOWN_OPERATION', 'MCPGEN_UNKNOWN_OPERATION']);
  });
});

describe('OpenAPI kind: the exact wire request', () => {
  it('path, query (form, exploded array), header, cookie and the API key', async () => {
    const { result, wire } = await call('listPets', { tags: ['a', 'b c'], limit: 5, 'X-Trace': 't-1', session: 's;1' });
    expect(result.isError).toBeUndefined();
    expect(wire!.method).toBe('GET');
    expect(wire!.url).toBe('/v1/pets?tags=a&tags=b%20c&limit=5');
    expect(wire!.headers['x-trace']).toBe('t-1');
    expect(wire!.headers.cookie).toBe('session=s%3B1');
    expect(wire!.headers['x-api-key']).toBe('secret-key-123');
    expect(result.structuredContent).toEqual({ ok: true, path: '/v1/pets?tags=a&tags=b%20c&limit=5' });
  });
  it('a path value can never change the path; same-name parameters in two locations both arrive', async () => {
    const { wire } = await call('getPet', { petId: '../admin?x=1', query_petId: 'q' });
    expect(wire!.url).toBe('/v1/pets/..%2Fadmin%3Fx%3D1?petId=q');
  });
  it('a server declared on the path wins (relative to the base URL)', async () => {
    expect((await call('getStatus', {})).wire!.url).toBe('/v2/status');
  });
  it('OAuth2 client credentials: token fetched once, cached, refreshed after a 401', async () => {
    const first = await call('getSecure', {});
    expect(first.wire).toMatchObject({ url: '/token', method: 'POST' });
    expect(first.wire!.headers.authorization).toBe(`Basic ${Buffer.from('app:s3cret').toString('base64')}`);
    expect(first.wire!.body).toBe('grant_type=client_credentials&scope=read');
    expect(recorded[1]!.headers.authorization).toBe('Bearer tok-1');
    await call('getSecure', {});
    expect(recorded.map((r) => r.url)).toEqual(['/v1/secure']);
    revoke = true;
    expect((await call('getSecure', {})).result.isError).toBe(true);
    revoke = false;
    await call('getSecure', {});
    expect(recorded.map((r) => r.url)).toEqual(['/token', '/v1/secure']);
    expect(recorded[1]!.headers.authorization).toBe('Bearer tok-2');
  });
  it('accepts object and array arguments sent as JSON text', async () => {
    const { wire } = await call('add_pet', { body: '{"name":"Tex"}' });
    expect(JSON.parse(wire!.body)).toEqual({ name: 'Tex' });
    expect((await call('listPets', { tags: '["x"]' })).wire!.url).toBe('/v1/pets?tags=x');
  });
  it('follows redirects below the base URL, refuses the others (credentials never leave)', async () => {
    const inside = await call('getPet', { petId: 'redir-in' });
    expect(recorded.map((r) => r.url)).toEqual(['/v1/pets/redir-in', '/v1/pets/7']);
    expect(inside.result.structuredContent).toEqual({ ok: true, path: '/v1/pets/7' });
    const outside = await call('getPet', { petId: 'redir-out' });
    expect(outside.result.isError).toBe(true);
    expect(outside.result.content[0].text).toMatch(/^Refused: getPet was redirected to http:\/\/localhost/);
    expect(recorded).toHaveLength(1);
  });
  it('JSON body', async () => {
    const { wire } = await call('add_pet', { body: { name: 'Rex', tag: null } });
    expect(wire!.method).toBe('POST');
    expect(wire!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(wire!.body)).toEqual({ name: 'Rex', tag: null });
  });
  it.each([
    ['submitForm', { body: { a: 'x y', n: [1, 2] } }, 'application/x-www-form-urlencoded', 'a=x+y&n=1&n=2'],
    ['putText', { body: 'plain words' }, 'text/plain', 'plain words'],
    ['putBytes', { body: Buffer.from('bytes!').toString('base64') }, 'application/octet-stream', 'bytes!']
  ])('%s body', async (tool, args, type, body) => {
    const { wire } = await call(tool, args);
    expect(wire!.headers['content-type']).toBe(type);
    expect(wire!.body).toBe(body);
  });
  it('multipart with a file part given as base64', async () => {
    const { wire } = await call('uploadFile', { body: { note: 'hi', file: Buffer.from('PNGDATA').toString('base64') } });
    expect(wire!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(wire!.body).toContain('name="note"\r\n\r\nhi');
    expect(wire!.body).toMatch(/name="file"; filename="file"\r\nContent-Type: application\/octet-stream\r\n\r\nPNGDATA/);
  });
  it('an operation without security sends no credential; 204 is an empty success', async () => {
    const { result, wire } = await call('deletePet', { petId: '7' });
    expect(wire!.headers['x-api-key']).toBeUndefined();
    expect(result).toEqual({ content: [{ type: 'text', text: '' }] });
  });
  it('outputSchema from the 2xx response: kept promises pass, broken ones are tool errors', async () => {
    const owner = (await build({ manifest, env: {} })).artifact!.tools.find((t) => t.name === 'getOwner')!;
    expect(owner.descriptor.outputSchema).toEqual({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } });
    expect((await call('getOwner', { petId: '1' })).result.structuredContent).toEqual({ name: 'Ann' });
    const broken = (await call('getOwner', { petId: 'bad' })).result;
    expect(broken.isError).toBe(true);
    expect(broken.content[0].text).toContain('does not match its outputSchema');
    expect(broken.content[0].text).toContain('{"nope":1}');
  });
  it('retries idempotent methods on 503, and never a POST', async () => {
    flaky = 2;
    const get = await call('getPet', { petId: 'flaky' });
    expect(get.result.isError).toBeUndefined();
    expect(recorded).toHaveLength(3);
    flaky = 2;
    recorded.length = 0;
    const reply = JSON.parse(
      String(
        (
          await core.request(
            1,
            'tools/call',
            { name: 'submitForm', arguments: { body: { a: 'flaky' } } },
            legacy,
            new AbortController().signal
          )
        ).body
      )
    );
    expect(reply.result.content[0].text).toMatch(/^HTTP 503/);
    expect(recorded).toHaveLength(1);
    flaky = 0;
  });
  it('non-2xx is a tool error with status and an excerpt', async () => {
    const { result } = await call('getPet', { petId: 'missing' });
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toBe('HTTP 404 Not Found: {"error":"no such pet"}');
    expect(result.structuredContent).toBeUndefined();
  });
  it('arguments are validated before anything is sent', async () => {
    const { result, wire } = await call('listPets', { limit: 1000 });
    expect(result.isError).toBe(true);
    expect(wire).toBeUndefined();
  });
  it('an undeclared argument is refused before anything is sent, naming the parameters', async () => {
    const { result, wire } = await call('listPets', { limit: 5, tag: 'a' });
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toContain('- unknown argument "tag". Did you mean "tags"?');
    expect(result.content[0].text).toContain('It accepts these arguments: tags, limit, X-Trace, session.');
    expect(wire).toBeUndefined();
  });
  it('a missing credential is a clear tool error', async () => {
    delete process.env.TEST_API_KEY;
    const { result, wire } = await call('listPets', {});
    process.env.TEST_API_KEY = 'secret-key-123';
    expect(result.content[0].text).toBe(
      'Cannot call listPets: no credential for api_key or bearer (api_key: set the environment ' +
        'variable TEST_API_KEY; or bearer: add it under auth: of source "pets").'
    );
    expect(wire).toBeUndefined();
  });
  it('an unreachable upstream is a tool error naming it', async () => {
    process.env.UPSTREAM_URL = 'http://127.0.0.1:9/v1';
    const { result } = await call('listPets', {});
    process.env.UPSTREAM_URL = base;
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toContain('listPets failed: GET http://127.0.0.1:9/v1/pets');
  });
});

import { dirname } from 'node:path';
import { createCore } from '../../runtime/serve.js';
