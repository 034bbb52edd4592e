/**
 * The built quickstart served by the real CLI, driven by the real MCP SDK v2 client:
 * {stdio, Streamable HTTP} × {2025-11-25 (legacy), 2026-07-28 (modern)}.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolError, ResourceNotFoundError, type Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtifact,
  cleanupTemp,
  connect,
  copyExample,
  killAll,
  LEGACY,
  MODERN,
  startHttp,
  tempDir,
  type Connected,
  type Era,
  type Transport
} from '../helpers/e2e-server.js';

const SECRET = 'TOP-SECRET-e2e-6f1c';
let project: string;
let artifact: string;
let httpUrl: string;

beforeAll(async () => {
  // A temp copy of the quickstart, so the pages folder can hold symlinks that point outside it.
  project = copyExample('quickstart');
  const outside = join(tempDir('mcpgen-e2e-outside-'), 'private');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  symlinkSync(join(outside, 'secret.txt'), join(project, 'pages', 'leak.md'));
  symlinkSync(outside, join(project, 'pages', 'leakdir'));
  artifact = await buildArtifact(join(project, 'mcp-gen.yaml'));
  httpUrl = (await startHttp(artifact)).url;
});

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

/** Awaits a rejection and returns the error (fails the test when the promise resolves). */
async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    const value = await p;
    throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('expected a rejection')) throw e;
    return e;
  }
}

const text = (r: { content: unknown }) => (r.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');

describe.each([
  ['stdio', 'legacy'],
  ['stdio', 'modern'],
  ['http', 'legacy'],
  ['http', 'modern']
] as [Transport, Era][])('quickstart over %s, %s era', (transport, era) => {
  let conn: Connected;
  let client: Client;

  beforeAll(async () => {
    conn = await connect(transport, era, transport === 'stdio' ? { dir: artifact } : { url: httpUrl });
    client = conn.client;
  });
  afterAll(() => conn?.close());

  it('negotiates the expected protocol version and reads the server info', () => {
    expect(client.getNegotiatedProtocolVersion()).toBe(era === 'legacy' ? LEGACY : MODERN);
    expect(client.getServerVersion()).toMatchObject({ name: 'quickstart', version: '1.0.0' });
    expect(client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {}, prompts: {}, completions: {} });
  });

  it('lists tools, resources, resource templates and prompts', async () => {
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(['greet', 'server_logo']);
    const greet = tools.tools.find((t) => t.name === 'greet')!;
    expect(greet.description).toBe('Greet someone by name.');
    expect(greet.inputSchema).toMatchObject({
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, excited: { type: 'boolean' } },
      additionalProperties: false
    });
    expect((await client.listResources()).resources).toEqual([expect.objectContaining({ name: 'readme', uri: 'docs://readme' })]);
    expect((await client.listResourceTemplates()).resourceTemplates).toEqual([
      expect.objectContaining({ name: 'docs', uriTemplate: 'docs://pages/{page}' })
    ]);
    const prompts = (await client.listPrompts()).prompts;
    expect(prompts.map((p) => p.name)).toEqual(['review']);
    expect(prompts[0]!.arguments).toEqual([
      expect.objectContaining({ name: 'code', required: true }),
      expect.objectContaining({ name: 'language' })
    ]);
  });

  it('refuses an undeclared argument as a tool error naming the accepted ones', async () => {
    const r = await client.callTool({ name: 'greet', arguments: { name: 'Ada', exited: true } });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe(
      'Invalid arguments for tool greet:\n- unknown argument "exited". Did you mean "excited"?\nIt ' +
        'accepts these arguments: name, excited.\nFix the arguments and call the tool again.'
    );
  });

  it('calls greet; the default of `excited` applies when it is omitted', async () => {
    const plain = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } });
    expect(plain.isError ?? false).toBe(false);
    expect(plain.content).toEqual([{ type: 'text', text: 'Hello, Ada.' }]);
    const excited = await client.callTool({ name: 'greet', arguments: { name: 'Ada', excited: true } });
    expect(excited.content).toEqual([{ type: 'text', text: 'Hello, Ada!' }]);
    const calm = await client.callTool({ name: 'greet', arguments: { name: 'Grace', excited: false } });
    expect(text(calm)).toBe('Hello, Grace.');
  });

  it('answers bad greet arguments with an isError result the model can act on', async () => {
    const r = await client.callTool({ name: 'greet', arguments: { excited: 'very' } });
    expect(r.isError).toBe(true);
    const message = text(r);
    expect(message).toContain('greet');
    expect(message).toContain('missing required argument "name"');
    expect(message).toMatch(/excited.*boolean/);
    const wrongType = await client.callTool({ name: 'greet', arguments: { name: 42 } });
    expect(wrongType.isError).toBe(true);
    expect(text(wrongType)).toMatch(/name.*string/);
  });

  it('returns server_logo as PNG image content with valid base64', async () => {
    const r = await client.callTool({ name: 'server_logo', arguments: {} });
    expect(r.isError ?? false).toBe(false);
    expect(r.content).toHaveLength(1);
    const block = r.content[0] as { type: string; data: string; mimeType: string };
    expect(block.type).toBe('image');
    expect(block.mimeType).toBe('image/png');
    expect(block.data).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const bytes = Buffer.from(block.data, 'base64');
    expect(bytes.toString('base64')).toBe(block.data);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.equals(readFileSync(join(project, 'logo.png')))).toBe(true);
  });

  it('rejects an unknown tool with a protocol error (not a transport error)', async () => {
    const e = await rejection(client.callTool({ name: 'no_such_tool', arguments: {} }));
    expect(e).toBeInstanceOf(ProtocolError);
    expect(e.code).toBe(-32602);
    expect(e.message).toContain('no_such_tool');
  });

  it('reads docs://readme as markdown text', async () => {
    const r = await client.readResource({ uri: 'docs://readme' });
    expect(r.contents).toHaveLength(1);
    const c = r.contents[0] as { uri: string; mimeType: string; text: string };
    expect(c).toMatchObject({ uri: 'docs://readme', mimeType: 'text/markdown' });
    expect(c.text).toBe(readFileSync(join(project, 'README.md'), 'utf8'));
    expect(c.text).toContain('Quickstart');
  });

  it('reads a page through the docs://pages/{page} template', async () => {
    const r = await client.readResource({ uri: 'docs://pages/intro.md' });
    const c = r.contents[0] as { uri: string; mimeType: string; text: string };
    expect(c).toMatchObject({ uri: 'docs://pages/intro.md', mimeType: 'text/markdown' });
    expect(c.text).toBe(readFileSync(join(project, 'pages', 'intro.md'), 'utf8'));
  });

  it('reports a missing page as resource-not-found', async () => {
    const e = await rejection(client.readResource({ uri: 'docs://pages/missing.md' }));
    expect(e).toBeInstanceOf(ResourceNotFoundError);
    expect(e.message).toContain('docs://pages/missing.md');
  });

  it.each([
    ['encoded ../ traversal', 'docs://pages/..%2F..%2Fpackage.json'],
    ['encoded ../ traversal to the manifest', 'docs://pages/..%2Fmcp-gen.yaml'],
    ['absolute path', 'docs://pages/%2Fetc%2Fpasswd'],
    ['symlink to a file outside the folder', 'docs://pages/leak.md'],
    ['path through a symlinked directory outside the folder', 'docs://pages/leakdir%2Fsecret.txt']
  ])('refuses %s without leaking file contents', async (_what, uri) => {
    const e = await rejection(client.readResource({ uri }));
    expect(e).toBeInstanceOf(ProtocolError);
    const seen = JSON.stringify({ message: e.message, data: e.data });
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain('"name": "mcp-gen"');
    expect(seen).not.toContain('root:');
  });

  it('gets the review prompt rendered with its arguments', async () => {
    const r = await client.getPrompt({ name: 'review', arguments: { code: 'print(1)', language: 'py' } });
    expect(r.description).toBe('Ask for a code review.');
    expect(r.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Review this py code:\nprint(1)' } }]);
  });

  it('rejects the review prompt without its required argument, or with a value outside the enum', async () => {
    const missing = await rejection(client.getPrompt({ name: 'review', arguments: { language: 'ts' } }));
    expect(missing).toBeInstanceOf(ProtocolError);
    expect(missing.code).toBe(-32602);
    expect(missing.message).toContain('"code"');
    const outside = await rejection(client.getPrompt({ name: 'review', arguments: { code: 'x', language: 'rust' } }));
    expect(outside).toBeInstanceOf(ProtocolError);
    expect(outside.code).toBe(-32602);
    expect(outside.message).toMatch(/language.*ts, py, go/);
    const unknown = await rejection(client.getPrompt({ name: 'no_such_prompt' }));
    expect(unknown).toBeInstanceOf(ProtocolError);
  });

  it('completes the prompt argument `language`', async () => {
    const r = await client.complete({ ref: { type: 'ref/prompt', name: 'review' }, argument: { name: 'language', value: 't' } });
    expect(r.completion.values).toEqual(['ts']);
    const all = await client.complete({ ref: { type: 'ref/prompt', name: 'review' }, argument: { name: 'language', value: '' } });
    expect(all.completion.values).toEqual(['ts', 'py', 'go']);
  });

  it('completes the template variable `page` from the folder, never listing what lies outside it', async () => {
    const r = await client.complete({ ref: { type: 'ref/resource', uri: 'docs://pages/{page}' }, argument: { name: 'page', value: 'in' } });
    expect(r.completion.values).toEqual(['intro.md']);
    const all = await client.complete({ ref: { type: 'ref/resource', uri: 'docs://pages/{page}' }, argument: { name: 'page', value: '' } });
    expect(all.completion.values).toEqual(expect.arrayContaining(['intro.md', 'usage.md']));
    expect(all.completion.values.join(' ')).not.toMatch(/leak|secret/);
  });
});
