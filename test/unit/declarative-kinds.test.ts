/**
 * Declarative backends served in-process: every content block shape (tool content, prompt content messages
 * with {{argument}} templates), text resources, scoped resources and templates for subscriptions, and the
 * prompt argument checks that come before rendering.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import type { Principal } from '../../runtime/core/context.js';
import { toContentBlock } from '../../runtime/artifact/content.js';
import { createLogger } from '../../runtime/log.js';
import { buildToTemp } from '../helpers/artifact.js';
import { createCore } from '../../runtime/serve.js';

const WAV = Buffer.from('RIFF0000WAVEfmt ');
const BIN = Buffer.from([0, 1, 2, 255]);

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-decl-'));
  writeFileSync(join(dir, 'beep.wav'), WAV);
  writeFileSync(join(dir, 'blob.bin'), BIN);
  writeFileSync(join(dir, 'note.md'), '# Note\n');
  mkdirSync(join(dir, 'pages'));
  writeFileSync(join(dir, 'pages', 'a.md'), 'page a');
  writeFileSync(
    join(dir, 'mcp-gen.yaml'),
    `server: { name: decl, version: 1.0.0 }
tools:
  - name: blocks
    description: Every kind of content block.
    content:
      - { type: text, text: hello }
      - { type: audio, file: ./beep.wav }
      - { type: resource, uri: "mem://inline", text: inline body }
      - { type: resource, uri: "mem://binary", file: ./blob.bin }
      - { type: resource, uri: "mem://note", file: ./note.md }
      - { type: resource, uri: "mem://typed", text: "{}", mimeType: application/json }
resources:
  - { name: plain, uri: "mem://plain", text: fixed text }
  - { name: styled, uri: "mem://styled", text: "# t", mimeType: text/markdown }
  - { name: note, uri: "mem://file-note", file: ./note.md }
  - { name: secret, uri: "mem://secret", file: ./note.md, scopes: [admin] }
  - { name: pages, uriTemplate: "mem://pages/{page}", directory: ./pages }
  - { name: private, uriTemplate: "mem://private/{page}", directory: ./pages, scopes: [admin] }
  - { name: hello, uriTemplate: "mem://hello/{who}", template: "Hi {{who}}" }
prompts:
  - name: embed
    description: Embeds a resource named by the topic.
    arguments:
      - { name: topic, required: true }
      - { name: tone, enum: [dry, warm] }
    messages:
      - role: user
        content: { type: resource, uri: "notes://{{topic}}", text: "About {{topic}} ({{tone}})" }
      - role: user
        content: { type: resource, uri: "notes://fixed", text: "no arguments here" }
      - role: assistant
        content: { type: audio, file: ./beep.wav }
`
  );
  return join(dir, 'mcp-gen.yaml');
}

let core: McpCore;
const quiet = createLogger('error', () => {});
const admin: Principal = { name: 'root', scopes: ['admin'], claims: {} };
const guest: Principal = { name: 'guest', scopes: [], claims: {} };

function legacy(principal?: Principal): Channel {
  return {
    legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true },
    notify: () => {},
    ...(principal ? { principal } : {})
  };
}

async function call(method: string, params: Record<string, unknown>, channel: Channel = legacy()) {
  const reply = await core.request(1, method, params, channel, new AbortController().signal);
  return JSON.parse(String(reply.body)) as { result?: Record<string, any>; error?: { code: number; message: string } };
}

beforeAll(async () => {
  core = await createCore(await loadArtifact(await buildToTemp(project())), { log: quiet });
});

describe('content tool', () => {
  it('returns every block in order, files embedded at build', async () => {
    const r = await call('tools/call', { name: 'blocks', arguments: {} });
    expect(r.result!.content).toEqual([
      { type: 'text', text: 'hello' },
      { type: 'audio', data: WAV.toString('base64'), mimeType: 'audio/wav' },
      { type: 'resource', resource: { uri: 'mem://inline', mimeType: 'text/plain', text: 'inline body' } },
      { type: 'resource', resource: { uri: 'mem://binary', mimeType: 'application/octet-stream', blob: BIN.toString('base64') } },
      { type: 'resource', resource: { uri: 'mem://note', mimeType: 'text/markdown', text: '# Note\n' } },
      { type: 'resource', resource: { uri: 'mem://typed', mimeType: 'application/json', text: '{}' } }
    ]);
  });
});

describe('toContentBlock on artifact blocks with optional fields left out', () => {
  it.each([
    { given: { type: 'text' }, want: { type: 'text', text: '' } },
    { given: { type: 'image' }, want: { type: 'image', data: '', mimeType: 'application/octet-stream' } },
    { given: { type: 'audio', data: 'QQ==', mimeType: 'audio/ogg' }, want: { type: 'audio', data: 'QQ==', mimeType: 'audio/ogg' } },
    { given: { type: 'resource', uri: 'x:y' }, want: { type: 'resource', resource: { uri: 'x:y', mimeType: 'text/plain', text: '' } } },
    {
      given: { type: 'resource', uri: 'x:y', data: 'AA==', mimeType: 'image/png' },
      want: { type: 'resource', resource: { uri: 'x:y', mimeType: 'image/png', blob: 'AA==' } }
    }
  ] as const)('$given.type $given', ({ given, want }) => {
    expect(toContentBlock(given)).toEqual(want);
  });
});

describe('text resources', () => {
  it.each([
    { uri: 'mem://plain', want: { uri: 'mem://plain', mimeType: 'text/plain', text: 'fixed text' } },
    { uri: 'mem://styled', want: { uri: 'mem://styled', mimeType: 'text/markdown', text: '# t' } }
  ])('$uri', async ({ uri, want }) => {
    expect((await call('resources/read', { uri })).result!.contents).toEqual([want]);
  });
});

describe('prompt with content messages', () => {
  it('renders the embedded resource uri and text from the arguments, and leaves fixed blocks alone', async () => {
    const r = await call('prompts/get', { name: 'embed', arguments: { topic: 'tides', tone: 'dry' } });
    expect(r.result).toEqual({
      description: 'Embeds a resource named by the topic.',
      messages: [
        {
          role: 'user',
          content: { type: 'resource', resource: { uri: 'notes://tides', mimeType: 'text/plain', text: 'About tides (dry)' } }
        },
        {
          role: 'user',
          content: { type: 'resource', resource: { uri: 'notes://fixed', mimeType: 'text/plain', text: 'no arguments here' } }
        },
        { role: 'assistant', content: { type: 'audio', data: WAV.toString('base64'), mimeType: 'audio/wav' } }
      ]
    });
  });

  it.each([
    { given: { name: 'embed', arguments: 'topic=tides' }, want: 'prompts/get arguments must be an object of strings' },
    { given: { name: 'embed', arguments: ['tides'] }, want: 'prompts/get arguments must be an object of strings' },
    { given: { name: 'embed', arguments: { topic: 'x', tone: 'loud' } }, want: 'argument "tone" must be one of dry, warm' },
    { given: { name: 'embed', arguments: { topic: '' } }, want: 'missing required argument "topic"' },
    { given: { name: 42 }, want: 'Unknown prompt: 42' }
  ])('rejects $given', async ({ given, want }) => {
    const r = await call('prompts/get', given);
    expect(r.error?.code).toBe(-32602);
    expect(r.error?.message).toContain(want);
  });
});

describe('resources/subscribe: what can be watched, and by whom', () => {
  it.each([
    { uri: 'mem://file-note', principal: undefined, want: 'ok' },
    { uri: 'mem://plain', principal: undefined, want: 'ok' },
    { uri: 'mem://pages/a.md', principal: undefined, want: 'ok' },
    { uri: 'mem://hello/ada', principal: undefined, want: 'ok' },
    { uri: 'mem://pages/missing.md', principal: undefined, want: 'not found' },
    { uri: 'mem://nothing-here', principal: undefined, want: 'not found' },
    { uri: 'mem://secret', principal: admin, want: 'ok' },
    { uri: 'mem://secret', principal: guest, want: 'not found' },
    { uri: 'mem://private/a.md', principal: admin, want: 'ok' },
    { uri: 'mem://private/a.md', principal: guest, want: 'not found' }
  ])('$uri as $principal.name → $want', async ({ uri, principal, want }) => {
    const r = await call('resources/subscribe', { uri }, legacy(principal));
    if (want === 'ok') expect(r).toMatchObject({ result: {} });
    else expect(r.error?.code).toBe(-32002);
  });

  it.each(['resources/subscribe', 'resources/unsubscribe'])('%s without a uri is invalid params', async (method) => {
    const r = await call(method, { uri: 7 });
    expect(r.error).toMatchObject({ code: -32602, message: expect.stringContaining(`${method} needs params.uri (a string)`) });
  });
});
