import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { compactText, shapeSchema } from '../../generators/kinds/openapi/schema/index.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { buildToTemp } from '../helpers/artifact.js';
import { createCore } from '../../runtime/serve.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'openapi-dynamic');
type Obj = Record<string, unknown>;

describe('compactText', () => {
  it.each([
    ['first paragraph only', 'One.\n\nTwo.', 200, 'One.'],
    ['links keep their text', 'See [the docs](https://x.test/a_(b)) now.', 200, 'See the docs now.'],
    ['pointer sentences dropped', 'Per page. For more information, see "[Pagination](https://x.test)."', 200, 'Per page.'],
    ['cut at a sentence end', 'Alpha beta gamma. Delta epsilon zeta eta theta.', 30, 'Alpha beta gamma.'],
    ['hard cut when one sentence is too long', 'Alphabetagammadelta epsilon', 10, 'Alphabeta…'],
    ['html tags removed, whitespace folded', 'A <b>bold</b>\n  move', 200, 'A bold move'],
    ['a pointer alone is kept', 'For more information, see X.', 200, 'For more information, see X.']
  ])('%s', (_label, given, cap, want) => {
    expect(compactText(given, cap)).toBe(want);
  });
});

describe('shapeSchema', () => {
  const defs = {
    Pet: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1, description: 'x' }, owner: { $ref: '#/$defs/Person' } }
    },
    Person: { type: 'object', properties: { name: { type: 'string' }, friend: { $ref: '#/$defs/Person' } } },
    Either: { oneOf: [{ type: 'string' }, { type: 'integer' }] }
  };
  it.each([
    [
      'refs followed, constraints and annotations dropped',
      { $ref: '#/$defs/Pet' },
      1,
      { type: 'object', properties: { name: { type: 'string' }, owner: { type: 'object' } }, required: ['name'] }
    ],
    [
      'two levels',
      { $ref: '#/$defs/Pet' },
      2,
      {
        type: 'object',
        properties: {
          name: { type: 'string' },
          owner: { type: 'object', properties: { name: { type: 'string' }, friend: { type: 'object' } } }
        },
        required: ['name']
      }
    ],
    [
      'arrays keep their items at the same level',
      { type: 'object', properties: { list: { type: 'array', items: { $ref: '#/$defs/Person' } } } },
      1,
      { type: 'object', properties: { list: { type: 'array' } } }
    ],
    [
      'a combinator below the depth widens to anything',
      { type: 'object', properties: { e: { $ref: '#/$defs/Either' } } },
      1,
      { type: 'object', properties: { e: true } }
    ],
    ['a cycle widens instead of looping', { $ref: '#/$defs/Person' }, 9, expect.objectContaining({ type: 'object' })],
    [
      'an unknown ref widens',
      { type: 'object', properties: { x: { $ref: '#/$defs/Nope' } } },
      1,
      { type: 'object', properties: { x: true } }
    ]
  ])('%s', (_label, given, depth, want) => {
    expect(shapeSchema(given, depth, defs)).toEqual(want);
  });
});

/** Builds the fixture's document with the given source settings and returns the listAnimals tool. */
async function shaped(settings: string, tool = 'listAnimals'): Promise<Obj> {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-shape-'));
  writeFileSync(
    join(dir, 'mcp-gen.yaml'),
    `server: { name: zoo, version: "1" }\nsources:\n  zoo: { openapi: ${JSON.stringify(join(fixtures, 'api.yaml'))}${settings} }\n`
  );
  const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
  const found = result.artifact?.tools.find((t) => t.name === tool);
  if (!found) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return found.descriptor as Obj;
}

describe('OpenAPI source: how much each tool carries', () => {
  it('compact (default): summary + first paragraph, parameter text compacted, output shape, no title', async () => {
    const d = await shaped('');
    expect(d.description).toBe('List animals. Lists every animal of the zoo.');
    expect(d.title).toBeUndefined();
    expect(d.annotations).toEqual({ readOnlyHint: true });
    expect((d.inputSchema as { properties: Obj }).properties.species).toEqual({
      type: 'string',
      description: 'Only this species. See species.'
    });
    expect(d.outputSchema).toEqual({
      type: 'object',
      required: ['items'],
      properties: { items: { type: 'array' }, next: { type: ['string', 'null'] } }
    });
  });
  it('full: title, whole description, whole schemas', async () => {
    const d = await shaped(', descriptions: full, outputSchema: full');
    expect(d.title).toBe('List animals');
    expect(d.description).toContain('A second paragraph');
    expect((d.inputSchema as { properties: Obj }).properties.species).toMatchObject({
      description: 'Only this species. See [species](https://example.com/s).'
    });
    expect(d.outputSchema).toMatchObject({ properties: { next: { description: 'a cursor' } }, $defs: { Animal: { required: ['name'] } } });
  });
  it('none and outputSchema: false', async () => {
    const d = await shaped(', descriptions: none, outputSchema: false');
    expect(d.description).toBe('List animals');
    expect(JSON.stringify(d.inputSchema)).not.toContain('description');
    expect(d.outputSchema).toBeUndefined();
  });
  it('schemas: inline leaves no $ref and cuts the Keeper cycle', async () => {
    const d = await shaped(', schemas: inline, outputSchema: full', 'addAnimal');
    expect(JSON.stringify(d)).not.toContain('$ref');
    expect(d.inputSchema).toMatchObject({
      properties: { body: { properties: { keeper: { properties: { mentor: { type: 'object' } } } } } }
    });
  });
});

describe('OpenAPI source, mode: dynamic', () => {
  let upstream: Server;
  let core: McpCore;
  const wire: string[] = [];
  const legacy: Channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      wire.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 7, name: 'Rex' }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    process.env.ZOO_URL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
    core = await createCore(await loadArtifact(await buildToTemp(join(fixtures, 'mcp-gen.yaml'))), {
      log: createLogger('error', () => {})
    });
  });
  afterAll(() => {
    upstream.close();
    delete process.env.ZOO_URL;
  });
  const request = async (method: string, params: Obj) =>
    JSON.parse(String((await core.request(1, method, params, legacy, new AbortController().signal)).body)) as { result: Obj };
  const call = async (name: string, args: Obj) =>
    (await request('tools/call', { name, arguments: args })).result as {
      structuredContent?: Obj;
      isError?: boolean;
      content: { text: string }[];
    };

  it('lists three meta-tools instead of the operations', async () => {
    const { result } = await request('tools/list', {});
    expect((result.tools as Obj[]).map((t) => t.name)).toEqual(['zoo_search_operations', 'zoo_describe_operation', 'zoo_call_operation']);
    expect(String((result.tools as Obj[])[0]!.description)).toContain('Search the 4 operations of the Zoo API');
  });
  it('search ranks the operation matching most words first; overrides rename operations', async () => {
    const found = (await call('zoo_search_operations', { query: 'list animals' })).structuredContent!.operations as Obj[];
    expect(found[0]).toEqual({
      operation: 'listAnimals',
      method: 'GET',
      path: '/animals',
      description: 'List animals. Lists every animal of the zoo.'
    });
    expect(
      ((await call('zoo_search_operations', { query: 'keepers' })).structuredContent!.operations as Obj[]).map((o) => o.operation)
    ).toEqual(['keepers']);
    expect((await call('zoo_search_operations', { query: 'giraffe' })).structuredContent).toMatchObject({
      operations: [],
      hint: expect.any(String)
    });
  });
  it('describe shows the schema the call is checked against', async () => {
    const r = await call('zoo_describe_operation', { operation: 'getAnimal' });
    expect(r.structuredContent).toMatchObject({
      operation: 'getAnimal',
      method: 'GET',
      path: '/animals/{id}',
      inputSchema: { required: ['id'] }
    });
    expect((await call('zoo_describe_operation', { operation: 'nope' })).isError).toBe(true);
  });
  it('call validates with the operation schema, then sends the request', async () => {
    wire.length = 0;
    const ok = await call('zoo_call_operation', { operation: 'getAnimal', arguments: { id: 7 } });
    expect(ok.isError).toBeUndefined();
    expect(ok.structuredContent).toEqual({ id: 7, name: 'Rex' });
    expect(wire).toEqual(['GET /v1/animals/7']);
    const asText = await call('zoo_call_operation', { operation: 'listAnimals', arguments: '{"tags":["a","b"]}' });
    expect(asText.isError).toBeUndefined();
    expect(wire.at(-1)).toBe('GET /v1/animals?tags=a,b');
    const bad = await call('zoo_call_operation', { operation: 'getAnimal', arguments: { id: 'seven' } });
    expect(bad).toMatchObject({ isError: true, content: [{ text: expect.stringContaining('argument id must be integer') }] });
    expect((await call('zoo_call_operation', { operation: 'getAnimal', arguments: [1] })).isError).toBe(true);
    expect(wire).toHaveLength(2);
  });
});

describe('every generated tool passes the MCP Tool schema', () => {
  it('checkTool names what is wrong', async () => {
    const { checkTool, preloadToolCheck } = await import('../../generators/kinds/openapi/tool-check.js');
    await preloadToolCheck();
    expect(checkTool({ name: 'ok', inputSchema: { type: 'object' } })).toBeUndefined();
    expect(checkTool({ name: 'bad', inputSchema: { type: 'string' } })).toMatch(/^inputSchema\.type: /);
    expect(checkTool({ name: 'bad', inputSchema: { type: 'object' }, annotations: { readOnlyHint: 'yes' } })).toMatch(
      /^annotations\.readOnlyHint: /
    );
  });
});

describe('remote $refs', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ type: 'object', properties: { name: { type: 'string' } } }))
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pet.json`;
  });
  afterAll(() => server.close());
  async function buildWith(settings: string) {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-remote-'));
    const op = (id: string, schema: string) =>
      `    post: { operationId: ${id}, requestBody: { content: { application/json: { schema: ${schema} ` +
      `} } }, responses: { '200': { description: ok } } }`;
    writeFileSync(
      join(dir, 'api.yaml'),
      `openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths:\n  /remote:\n${op('remote', `{ $ref: "${url}" }`)}\n  /local:\n${op('local', '{ type: object }')}\n`
    );
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: r, version: "1" }\nsources:\n  r: { openapi: ./api.yaml, baseUrl: "http://127.0.0.1:9"${settings} }\n`
    );
    return build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
  }
  it('are refused by default: only the operation that needs one is skipped, with how to allow it', async () => {
    const result = await buildWith('');
    expect(result.artifact!.tools.map((t) => t.name)).toEqual(['local']);
    expect(result.diagnostics.map((d) => d.message).join('\n')).toMatch(/operation remote .*skipped.*allow them with allowRemoteRefs/s);
  });
  it('true still refuses loopback addresses (SSRF at build)', async () => {
    const result = await buildWith(', allowRemoteRefs: true');
    expect(result.artifact!.tools.map((t) => t.name)).toEqual(['local']);
  });
  it('a list of URL prefixes fetches exactly those', async () => {
    expect((await buildWith(`, allowRemoteRefs: ["${url.replace('/pet.json', '/other/')}"]`)).artifact!.tools.map((t) => t.name)).toEqual([
      'local'
    ]);
    const result = await buildWith(`, allowRemoteRefs: ["${url.replace('pet.json', '')}"]`);
    expect(result.artifact!.tools.map((t) => t.name)).toEqual(['remote', 'local']);
    expect(result.artifact!.tools[0]!.descriptor.inputSchema).toMatchObject({
      properties: { body: { properties: { name: { type: 'string' } } } }
    });
  });
});

describe('bodyMediaType on an override', () => {
  async function buildWith(override: string) {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-media-'));
    const content = `{ application/json: { schema: { type: object } }, application/x-www-form-urlencoded: { schema: { type: object } } }`;
    writeFileSync(
      join(dir, 'api.yaml'),
      `openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths:\n  /p:\n    post: { operationId: send, ` +
        `requestBody: { content: ${content} }, responses: { '200': { description: ok } } }\n`
    );
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: m, version: "1" }\nsources:\n  m: { openapi: ./api.yaml, baseUrl: ` +
        `"http://127.0.0.1:9" }\ntools:\n  - { operation: m.send${override} }\n`
    );
    return build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
  }
  it('JSON is preferred; an override picks another accepted type; an unaccepted one is an error', async () => {
    const body = async (o: string) =>
      ((await buildWith(o)).artifact?.tools[0]?.exec as { body?: { mediaType: string } } | undefined)?.body?.mediaType;
    expect(await body('')).toBe('application/json');
    expect(await body(', bodyMediaType: application/x-www-form-urlencoded')).toBe('application/x-www-form-urlencoded');
    const bad = await buildWith(', bodyMediaType: text/csv');
    expect(bad.diagnostics.map((d) => `${d.severity} ${d.message}`).join('\n')).toMatch(
      /warning operation send .*bodyMediaType text\/csv is not one it accepts[\s\S]*error source "m" has no usable operation "send"/
    );
  });
});

describe('forwardHeaders', () => {
  let upstream: Server;
  let seen: Record<string, string | string[] | undefined> = {};
  let dir: string;
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      seen = req.headers;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    dir = mkdtempSync(join(tmpdir(), 'mcpgen-fwd-'));
    writeFileSync(
      join(dir, 'api.yaml'),
      `openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths:\n  /p:\n    get: { operationId: get, ` +
        `responses: { '200': { description: ok } } }\n`
    );
  });
  afterAll(() => upstream.close());
  const manifest = (headers: string) => {
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: f, version: "1" }\nsources:\n  f: { openapi: ./api.yaml, baseUrl: ` +
        `"http://127.0.0.1:${(upstream.address() as AddressInfo).port}", forwardHeaders: ${headers} }\n`
    );
    return join(dir, 'mcp-gen.yaml');
  };
  it('copies only the listed headers of the MCP request, never its Authorization', async () => {
    const core = await createCore(await loadArtifact(await buildToTemp(manifest('[X-Request-Id, accept-language]'))), {
      log: createLogger('error', () => {})
    });
    const sent: Record<string, string> = {
      'x-request-id': 'r-1',
      'accept-language': 'fr',
      authorization: 'Bearer client-secret',
      'x-other': 'no'
    };
    const channel: Channel = {
      legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true },
      notify: () => {},
      requestHeader: (n) => sent[n]
    };
    await core.request(1, 'tools/call', { name: 'get', arguments: {} }, channel, new AbortController().signal);
    expect(seen).toMatchObject({ 'x-request-id': 'r-1', 'accept-language': 'fr' });
    expect(seen.authorization).toBeUndefined();
    expect(seen['x-other']).toBeUndefined();
    await core.close();
  });
  it.each(['Authorization', 'cookie', 'Host', 'content-type', 'Mcp-Session-Id'])('refuses to forward %s', async (name) => {
    const result = await build({ manifest: manifest(`[${name}]`), env: {} });
    expect(result.diagnostics.some((d) => d.severity === 'error' && d.pointer === '/sources/f/forwardHeaders/0')).toBe(true);
  });
});

describe('multipart file parts from a resource URI', () => {
  let upstream: Server;
  let body = '';
  let core: McpCore;
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        body = Buffer.concat(chunks).toString('latin1');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-file-'));
    const schema = '{ type: object, properties: { note: { type: string }, file: { type: string, format: binary } } }';
    writeFileSync(
      join(dir, 'api.yaml'),
      `openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths:\n  /up:\n    post: { operationId: ` +
        `upload, requestBody: { content: { multipart/form-data: { schema: ${schema} } } }, responses: { ` +
        `'200': { description: ok } } }\n`
    );
    writeFileSync(join(dir, 'greeting.txt'), 'hello\n');
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: u, version: "1" }\nsources:\n  u: { openapi: ./api.yaml, baseUrl: ` +
        `"http://127.0.0.1:${(upstream.address() as AddressInfo).port}" }\nresources:\n  - { name: ` +
        `greeting, uri: "files://greeting.txt", file: ./greeting.txt, mimeType: text/plain }\n`
    );
    core = await createCore(await loadArtifact(await buildToTemp(join(dir, 'mcp-gen.yaml'))), { log: createLogger('error', () => {}) });
  });
  afterAll(async () => {
    upstream.close();
    await core.close();
  });
  const legacy: Channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };
  const call = async (args: Obj) =>
    JSON.parse(
      String((await core.request(1, 'tools/call', { name: 'upload', arguments: args }, legacy, new AbortController().signal)).body)
    ).result as { isError?: boolean; content: { text: string }[] };
  it('the schema says both forms', async () => {
    const { result } = JSON.parse(String((await core.request(1, 'tools/list', {}, legacy, new AbortController().signal)).body)) as {
      result: { tools: Obj[] };
    };
    expect(JSON.stringify(result.tools[0]!.inputSchema)).toContain('or the URI of a resource this server serves');
  });
  it('a resource URI is read (as the caller) and sent with its type and name', async () => {
    expect((await call({ body: { note: 'n', file: 'files://greeting.txt' } })).isError).toBeUndefined();
    expect(body).toMatch(/name="file"; filename="greeting\.txt"\r\nContent-Type: text\/plain\r\n\r\nhello\n\r\n/);
  });
  it('base64 still works; an unknown URI is a tool error naming it', async () => {
    await call({ body: { file: Buffer.from('bytes').toString('base64') } });
    expect(body).toMatch(/filename="file"\r\nContent-Type: application\/octet-stream\r\n\r\nbytes\r\n/);
    const bad = await call({ body: { file: 'files://nope.txt' } });
    expect(bad).toMatchObject({ isError: true, content: [{ text: expect.stringContaining('no resource files://nope.txt') }] });
  });
});
