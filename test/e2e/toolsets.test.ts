import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtifact,
  cleanupTemp,
  cli,
  killAll,
  newClient,
  requireDist,
  startHttp,
  tempDir,
  type Era,
  type HttpProcess
} from '../helpers/e2e-server.js';

/**
 * `toolsets:` served for real (issue 17, point 2): each toolset at transport.path + "/NAME" over Streamable HTTP
 * (SDK v2 client, both eras) and by `mcp-gen run --toolset NAME` over stdio; the root still serves every tool;
 * a toolset over its budget serves its `mode: auto` source as a trio that reaches only its operations; a toolset's
 * scopes hide its tools from callers without them; `mcp-gen list --toolset` shows what it serves.
 */
const KEYS = { STAFF_KEY: 'staff-key-0123456789', VISITOR_KEY: 'visitor-key-0123456789' };

function shopSpec(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const op = (id: string, tag: string, summary: string) => ({
    operationId: id,
    tags: [tag],
    summary,
    responses: { 200: { description: 'ok' } }
  });
  for (let i = 0; i < 30; i++)
    paths[`/pets/kind${i}`] = { get: op(`listPetsOfKind${i}`, 'pets', `List the pets of kind ${i}, with their names and ages.`) };
  for (let i = 0; i < 5; i++) paths[`/stores/${i}`] = { get: op(`getStore${i}`, 'stores', `Get store number ${i}.`) };
  return { openapi: '3.0.3', info: { title: 'Shop', version: '1' }, servers: [{ url: 'http://127.0.0.1:9' }], paths };
}

let dir: string;
let server: HttpProcess;
beforeAll(async () => {
  requireDist();
  const project = tempDir();
  writeFileSync(join(project, 'shop.json'), JSON.stringify(shopSpec()));
  writeFileSync(
    join(project, 'mcp-gen.yaml'),
    [
      'server: { name: shop, version: 1.0.0 }',
      'auth:',
      '  apiKeys:',
      '    - { name: staff, key: "${STAFF_KEY}", scopes: [staff] }',
      '    - { name: visitor, key: "${VISITOR_KEY}", scopes: [] }',
      'sources:',
      '  shop: { openapi: ./shop.json }',
      'tools:',
      '  - { name: hello, description: Say hello., template: "hello" }',
      'toolsets:',
      '  pets: { tags: [pets], tokenBudget: 1000 }',
      '  stores: { tags: [stores], description: The stores. }',
      '  staff: { tools: [hello, "getStore?"], scopes: [staff] }',
      ''
    ].join('\n')
  );
  dir = await buildArtifact(join(project, 'mcp-gen.yaml'));
  server = await startHttp(dir, [], { ...process.env, ...KEYS });
});
afterAll(async () => {
  await killAll();
  cleanupTemp();
});

async function toolsAt(path: string, era: Era, key = KEYS.STAFF_KEY): Promise<{ client: Client; names: string[] }> {
  const client = newClient(era);
  const url = new URL(path, server.url);
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  const names = (await client.listTools()).tools.map((t) => t.name);
  return { client, names };
}

const stores = ['getStore0', 'getStore1', 'getStore2', 'getStore3', 'getStore4'];

describe.each(['modern', 'legacy'] as const)('toolsets over Streamable HTTP (%s era)', (era) => {
  it('the root serves every tool', async () => {
    const { client, names } = await toolsAt('/mcp', era);
    expect(names).toHaveLength(1 + 35);
    expect(names).toContain('hello');
    await client.close();
  });

  it('a toolset serves only its tools, and a tool outside it is unknown there', async () => {
    const { client, names } = await toolsAt('/mcp/stores', era);
    expect(names).toEqual(stores);
    expect((await client.callTool({ name: 'hello', arguments: {} }).catch((e: Error) => ({ failed: e.message }))) as object).toMatchObject({
      failed: expect.stringMatching(/unknown tool.*hello/i)
    });
    await client.close();
  });

  it('a toolset over its budget serves its source as a trio that reaches only its operations', async () => {
    const { client, names } = await toolsAt('/mcp/pets', era);
    expect(names).toEqual(['pets_shop_search_operations', 'pets_shop_describe_operation', 'pets_shop_call_operation']);
    const found = await client.callTool({ name: 'pets_shop_search_operations', arguments: { query: 'get store list pets', limit: 50 } });
    const operations = (found.structuredContent as { operations: { operation: string }[] }).operations.map((o) => o.operation);
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.every((o) => o.startsWith('listPetsOfKind'))).toBe(true);
    const outside = await client.callTool({ name: 'pets_shop_describe_operation', arguments: { operation: 'getStore1' } });
    expect(outside.isError).toBe(true);
    expect(JSON.stringify(outside.content)).toContain('Unknown operation');
    await client.close();
  });

  it("a toolset's scopes hide its tools from a caller without them", async () => {
    const staff = await toolsAt('/mcp/staff', era);
    expect(staff.names).toEqual(['hello', ...stores]);
    expect((await staff.client.callTool({ name: 'hello', arguments: {} })).content).toEqual([{ type: 'text', text: 'hello' }]);
    await staff.client.close();
    const visitor = await toolsAt('/mcp/staff', era, KEYS.VISITOR_KEY);
    expect(visitor.names).toEqual([]);
    // The same tool at the root, where the toolset's scopes do not apply.
    await visitor.client.close();
    expect((await toolsAt('/mcp', era, KEYS.VISITOR_KEY)).names).toContain('hello');
  });
});

describe('toolsets elsewhere', () => {
  it('an unknown toolset path is a 404', async () => {
    const r = await fetch(new URL('/mcp/nope', server.url), { method: 'POST', headers: { authorization: `Bearer ${KEYS.STAFF_KEY}` } });
    expect(r.status).toBe(404);
  });

  it('generated paths under the endpoint: a toolset is served, anything else is a 404, and the server stays up', async () => {
    const origin = new URL(server.url).origin;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('pets', 'stores', 'staff', 'pets/', '', '/')),
        async (suffix) => {
          const path = `/mcp/${encodeURIComponent(suffix).replace(/%2F/g, '/')}`;
          const r = await fetch(`${origin}${path}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${KEYS.STAFF_KEY}`,
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream'
            },
            body: '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}'
          });
          await r.text();
          const known = ['pets', 'stores', 'staff'].includes(suffix);
          expect(r.status === 404, `${path}: ${r.status}`).toBe(!known);
        }
      ),
      { numRuns: 60 }
    );
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
  });

  it('stdio: run --toolset NAME serves that toolset; an unknown one is refused with the names', async () => {
    const client = newClient('legacy');
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cli, 'run', '-o', dir, '--toolset', 'stores', '--log-level', 'warn'],
        env: { ...process.env, ...KEYS } as Record<string, string>
      })
    );
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(stores);
    await client.close();
    const refused = spawnSync(process.execPath, [cli, 'run', '-o', dir, '--toolset', 'nope'], {
      encoding: 'utf8',
      env: { ...process.env, ...KEYS },
      input: ''
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('--toolset nope: the build has toolsets pets, stores, staff');
  });

  it('list --tokens reports each toolset, and --toolset NAME lists what it serves', () => {
    const all = execFileSync(process.execPath, [cli, 'list', '-o', dir, '--tokens'], { encoding: 'utf8' });
    expect(all).toMatch(/^pets {2}\/mcp\/pets {2}3 tool\(s\) {2}\d+ {2}\d+$/m);
    expect(all).toMatch(/^stores {2}\/mcp\/stores {2}5 tool\(s\) {2}\d+ {2}\d+ {2}The stores\.$/m);
    const pets = JSON.parse(
      execFileSync(process.execPath, [cli, 'list', '-o', dir, '--json', '--toolset', 'pets'], { encoding: 'utf8' })
    ) as {
      entries: { type: string; name: string }[];
    };
    expect(pets.entries.filter((e) => e.type === 'tool').map((e) => e.name)).toEqual([
      'pets_shop_search_operations',
      'pets_shop_describe_operation',
      'pets_shop_call_operation'
    ]);
  });
});
