/**
 * examples/petstore end to end: the example's local upstream (upstream.mjs) on a free port, the example
 * built and served by the real CLI (`mcp-gen run --http --port 0`) pointed at it, and the real MCP SDK v2
 * client calling the generated tools over Streamable HTTP, in both protocol eras.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtifact,
  cleanupTemp,
  connect,
  killAll,
  repo,
  requireDist,
  startHttp,
  tempDir,
  type Connected,
  type Era
} from '../helpers/e2e-server.js';

const example = join(repo, 'examples', 'petstore');
const KEY = 'e2e-petstore-key';
let upstream: ChildProcess | undefined;
let upstreamUrl: string;
let mcpUrl: string;

/** Starts upstream.mjs with PORT=0 and resolves with the base URL it prints once listening. */
function startUpstream(): Promise<string> {
  const child = spawn(process.execPath, [join(example, 'upstream.mjs')], {
    env: { ...process.env, PORT: '0', PETSTORE_API_KEY: KEY },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  upstream = child;
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`upstream.mjs exited (${code}) before listening: ${out}`)));
  });
}

beforeAll(async () => {
  requireDist();
  upstreamUrl = await startUpstream();
  const artifact = await buildArtifact(join(example, 'mcp-gen.yaml'), tempDir('mcpgen-petstore-'));
  // The server process inherits these: the base URL and credential are resolved at call time, not at build.
  const saved = { url: process.env.PETSTORE_URL, key: process.env.PETSTORE_API_KEY };
  process.env.PETSTORE_URL = upstreamUrl;
  process.env.PETSTORE_API_KEY = KEY;
  try {
    mcpUrl = (await startHttp(artifact)).url;
  } finally {
    for (const [name, value] of [
      ['PETSTORE_URL', saved.url],
      ['PETSTORE_API_KEY', saved.key]
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

afterAll(async () => {
  await killAll();
  if (upstream && upstream.exitCode === null && upstream.signalCode === null) {
    const gone = new Promise((r) => upstream!.once('exit', r));
    upstream.kill('SIGTERM');
    await gone;
  }
  cleanupTemp();
});

const text = (r: { content: unknown }) => (r.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');

describe('the local upstream', () => {
  it('answers the pet endpoints only with the api_key header', async () => {
    expect((await fetch(`${upstreamUrl}/pet/1`)).status).toBe(401);
    const ok = await fetch(`${upstreamUrl}/pet/1`, { headers: { api_key: KEY } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: 1, name: 'Rex' });
  });
});

describe.each(['modern', 'legacy'] as Era[])('petstore over HTTP, %s era', (era) => {
  let conn: Connected;
  let client: Client;
  beforeAll(async () => {
    conn = await connect('http', era, { url: mcpUrl });
    client = conn.client;
  });
  afterAll(() => conn?.close());

  it('lists the pet operations only: include by tag, deletePet excluded, getPetById renamed', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'addPet',
      'findPetsByStatus',
      'findPetsByTags',
      'get_pet',
      'updatePet',
      'updatePetWithForm',
      'uploadFile'
    ]);
    const get = tools.find((t) => t.name === 'get_pet')!;
    expect(get.description).toBe('Look up one pet by its id.');
    expect(get.inputSchema).toMatchObject({ type: 'object', properties: { petId: { type: 'integer' } }, required: ['petId'] });
    expect(get.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('get_pet returns the pet as structured content and as text', async () => {
    const r = await client.callTool({ name: 'get_pet', arguments: { petId: 1 } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ id: 1, name: 'Rex', category: { name: 'Dogs' }, status: 'available' });
    expect(JSON.parse(text(r))).toEqual(r.structuredContent);
  });

  it('findPetsByStatus sends the query and returns the array as text (structured content is for objects only)', async () => {
    const r = await client.callTool({ name: 'findPetsByStatus', arguments: { status: 'sold' } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toBeUndefined();
    expect(JSON.parse(text(r))).toEqual([expect.objectContaining({ id: 4, name: 'Polly', status: 'sold' })]);
  });

  it('addPet posts the JSON body; the new pet can be fetched back', async () => {
    const name = `Fido-${era}`;
    const r = await client.callTool({
      name: 'addPet',
      arguments: { body: { name, photoUrls: [], status: 'pending', tags: [{ id: 9, name: era }] } }
    });
    expect(r.isError).toBeFalsy();
    const added = r.structuredContent as { id: number; name: string };
    expect(added).toMatchObject({ name, status: 'pending', photoUrls: [] });
    expect(typeof added.id).toBe('number');
    const back = await client.callTool({ name: 'get_pet', arguments: { petId: added.id } });
    expect(back.structuredContent).toMatchObject({ id: added.id, name });
    const byTag = await client.callTool({ name: 'findPetsByTags', arguments: { tags: [era] } });
    expect(JSON.parse(text(byTag))).toEqual([expect.objectContaining({ id: added.id })]);
  });

  it('arguments are checked against the spec before anything is sent', async () => {
    const r = await client.callTool({ name: 'addPet', arguments: { body: { name: 'NoPhotos' } } });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('photoUrls');
  });

  it('an unknown pet is a tool error with the status and the upstream body', async () => {
    const r = await client.callTool({ name: 'get_pet', arguments: { petId: 999999 } });
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toBeUndefined();
    expect(text(r)).toBe('HTTP 404 Not Found: {"code":404,"type":"error","message":"Pet not found"}');
  });
});
