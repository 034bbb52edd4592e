/**
 * Unknown names at run time: the answer suggests the closest name the caller may see (never an entry hidden by
 * scopes), in the message and in `data.didYouMean`, and only for names of 64 characters or fewer.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildToTemp } from '../helpers/artifact.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import type { Principal } from '../../runtime/core/context.js';
import { createCore } from '../../runtime/serve.js';

const manifest = `server: { name: s, version: 1.0.0 }
auth:
  apiKeys:
    - { name: bot, key: "\${BOT}", scopes: [read] }
tools:
  - { name: search_orders, description: d, template: x }
  - { name: search_ordersx, description: d, template: x, scopes: [admin] }
  - { name: purge_cache, description: d, template: x, scopes: [admin] }
resources:
  - { uri: "docs://notes", name: notes, text: n }
  - { uri: "docs://secrets", name: secrets, text: s, scopes: [admin] }
prompts:
  - { name: summary, description: d, messages: [{ role: user, text: x }] }
  - { name: audit, description: d, messages: [{ role: user, text: x }], scopes: [admin] }
`;

let core: McpCore;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-unknown-'));
  writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
  core = await createCore(await loadArtifact(await buildToTemp(join(dir, 'mcp-gen.yaml')), { BOT: 'b' }), {
    log: createLogger('error'),
    env: { BOT: 'b' }
  });
});

const reader: Principal = { name: 'bot', scopes: ['read'], claims: {} };

async function error(
  method: string,
  params: Record<string, unknown>,
  principal?: Principal
): Promise<{ message: string; data?: Record<string, unknown> }> {
  const channel: Channel = {
    legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true },
    notify: () => {},
    ...(principal ? { principal } : {})
  };
  const reply = await core.request(1, method, params, channel, new AbortController().signal);
  return (JSON.parse(String(reply.body)) as { error: { message: string; data?: Record<string, unknown> } }).error;
}

describe('unknown names', () => {
  const given: [string, string, Record<string, unknown>, Principal | undefined, string | undefined][] = [
    ['tool typo, trusted caller', 'tools/call', { name: 'serch_orders' }, undefined, 'search_orders'],
    ['tool typo, reader', 'tools/call', { name: 'serch_orders' }, reader, 'search_orders'],
    ['tool typo nearest a hidden one', 'tools/call', { name: 'purge_cach' }, reader, undefined],
    ['hidden tool itself', 'tools/call', { name: 'purge_cache' }, reader, undefined],
    ['hidden tool, trusted caller sees it', 'tools/call', { name: 'purge_cach' }, undefined, 'purge_cache'],
    ['prompt typo', 'prompts/get', { name: 'sumary' }, reader, 'summary'],
    ['prompt typo nearest a hidden one', 'prompts/get', { name: 'audt' }, reader, undefined],
    ['resource typo', 'resources/read', { uri: 'docs://note' }, reader, 'docs://notes'],
    ['resource typo nearest a hidden one', 'resources/read', { uri: 'docs://secret' }, reader, undefined],
    ['name over 64 characters', 'tools/call', { name: `search_orders${'x'.repeat(60)}` }, undefined, undefined],
    ['not a string', 'tools/call', { name: 42 }, undefined, undefined]
  ];
  it.each(given)('%s', async (_label, method, params, principal, want) => {
    const e = await error(method, params, principal);
    if (want === undefined) {
      expect(e.message).not.toMatch(/did you mean/i);
      expect(e.data?.didYouMean).toBeUndefined();
    } else {
      expect(e.message).toContain(`Did you mean ${JSON.stringify(want)}?`);
      expect(e.data?.didYouMean).toBe(want);
    }
  });

  it('answers a hidden name exactly as a name nothing serves', async () => {
    const hidden = await error('tools/call', { name: 'search_ordersx' }, reader);
    expect(hidden.data?.didYouMean).toBe('search_orders');
    expect(hidden).toEqual({
      ...(await error('tools/call', { name: 'search_ordersy' }, reader)),
      message: hidden.message.replace('search_ordersy', 'search_ordersx')
    });
  });
});
