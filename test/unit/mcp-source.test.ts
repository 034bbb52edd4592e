import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { globMatch } from '../../generators/kinds/mcp/mount.js';
import type { McpSourceIR } from '../../runtime/kinds/mcp/ir.js';
import { cleanupTemp, tempDir } from '../helpers/e2e-server.js';

/**
 * Lowering an `mcp:` source from a recorded surface (`check: off`: no upstream needed): the prefix,
 * include/exclude, overrides, scopes, pass-through schemas, and the diagnostics of a source that matches
 * nothing or takes a name already used. The live connection is covered by test/e2e/mcp-upstream.test.ts.
 */
afterAll(cleanupTemp);

const surface = {
  era: 'legacy',
  tools: [
    {
      name: 'echo',
      description: 'Echo',
      inputSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { m: { type: 'string' } } }
    },
    { name: 'get-sum', description: 'Sum', inputSchema: { type: 'object' } },
    { name: 'get-env', description: 'Env', inputSchema: { type: 'object' } }
  ],
  resources: [{ uri: 'demo://doc/a', name: 'Doc A', mimeType: 'text/markdown' }],
  resourceTemplates: [{ uriTemplate: 'demo://text/{id}', name: 'Dynamic Text' }],
  prompts: [{ name: 'ask', description: 'Ask', arguments: [{ name: 'city', required: true }] }]
};

async function lowered(source: string, extra = '') {
  const dir = tempDir('mcpgen-mcp-unit-');
  mkdirSync(join(dir, '.mcp-gen'));
  writeFileSync(join(dir, '.mcp-gen', 'artifact.json'), JSON.stringify({ sources: { ev: { kind: 'mcp', surface } } }));
  writeFileSync(
    join(dir, 'mcp-gen.yaml'),
    'server: { name: t, version: 1.0.0 }\nsources:\n  ev:\n' +
      `    mcp: { command: upstream-server, env: { TOKEN: "\${UPSTREAM_TOKEN}" } }\n    check: off\n${source}${extra}`
  );
  const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
  return { artifact: result.artifact, diagnostics: result.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`) };
}

describe('globMatch', () => {
  it.each([
    ['echo', 'echo', true],
    ['echo', 'echo2', false],
    ['get-*', 'get-sum', true],
    ['get-*', 'set-sum', false],
    ['*', '', true],
    ['demo://*/a', 'demo://doc/a', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['ab*ba', 'aba', false]
  ])('%s on %s: %s', (glob, text, want) => {
    expect(globMatch(glob, text)).toBe(want);
  });
});

describe('an mcp: source', () => {
  it('mounts everything under NAME_ by default, schemas and descriptors unchanged, ${VAR} kept', async () => {
    const { artifact, diagnostics } = await lowered('');
    expect(diagnostics.filter((d) => !d.startsWith('MCPGEN_ENV_MISSING'))).toEqual([]);
    expect(artifact!.tools.map((t) => t.name)).toEqual(['ev_echo', 'ev_get-sum', 'ev_get-env']);
    expect(artifact!.tools[0]!.descriptor).toEqual({ ...surface.tools[0], name: 'ev_echo' });
    expect(artifact!.resources.map((r) => [r.name, r.uri, r.mimeType])).toEqual([['ev_Doc A', 'demo://doc/a', 'text/markdown']]);
    expect(artifact!.resourceTemplates.map((r) => [r.name, r.uriTemplate])).toEqual([['ev_Dynamic Text', 'demo://text/{id}']]);
    expect(artifact!.prompts[0]).toMatchObject({
      name: 'ev_ask',
      arguments: [{ name: 'city', required: true }],
      exec: { kind: 'mcp', source: 'ev', upstream: 'ask' }
    });
    const source = artifact!.sources.ev as McpSourceIR;
    expect(source.transport).toEqual({ type: 'stdio', command: 'upstream-server', args: [], env: { TOKEN: '${UPSTREAM_TOKEN}' } });
  });

  it.each([
    ['prefix', '    prefix: up.\n', ['up.echo', 'up.get-sum', 'up.get-env']],
    ['include', '    include: [get-*]\n', ['ev_get-sum', 'ev_get-env']],
    ['exclude', '    exclude: [get-env, "demo://*"]\n', ['ev_echo', 'ev_get-sum']],
    ['rename', '    exclude: [get-*]\n    overrides: { echo: { name: say } }\n', ['say']]
  ])('%s', async (_what, settings, want) => {
    expect((await lowered(settings)).artifact!.tools.map((t) => t.name)).toEqual(want);
  });

  it('overrides redescribe, confirm and scope one entry; the source scopes the rest', async () => {
    const { artifact } = await lowered(
      '    scopes: [read]\n    overrides:\n      get-sum: { description: Adds., scopes: [math], confirm: Add? }\n',
      'auth: { apiKeys: [{ name: k, key: "${K:-abcdefghijklmnop}", scopes: [read] }] }\n'
    );
    const sum = artifact!.tools.find((t) => t.name === 'ev_get-sum')!;
    expect(sum).toMatchObject({
      scopes: ['math'],
      confirm: 'Add?',
      descriptor: { description: 'Adds.' },
      at: { pointer: '/sources/ev/overrides/get-sum' }
    });
    expect(artifact!.tools.find((t) => t.name === 'ev_echo')!.scopes).toEqual(['read']);
    // The source's scopes apply to every entry it mounts, prompts included.
    expect(artifact!.prompts[0]!.scopes).toEqual(['read']);
  });

  it('warns about include, exclude and overrides that match nothing', async () => {
    const { diagnostics } = await lowered('    include: [echo, nope*]\n    overrides: { missing: { name: x } }\n');
    expect(diagnostics).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^MCPGEN_MCP_SELECT \/sources\/ev\/include\/1 .*"nope\*" matches nothing/),
        expect.stringMatching(/^MCPGEN_MCP_SELECT \/sources\/ev\/overrides .*"missing" names nothing/)
      ])
    );
  });

  it('refuses a mounted name the manifest already uses', async () => {
    const { diagnostics } = await lowered('', 'tools:\n  - { name: ev_echo, description: mine, template: hi }\n');
    expect(diagnostics).toEqual(expect.arrayContaining([expect.stringMatching(/^MCPGEN_DUPLICATE_NAME .*"ev_echo" is used twice/)]));
  });

  it('without a recorded surface an unreachable upstream is an error', async () => {
    const dir = tempDir('mcpgen-mcp-unit-');
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      'server: { name: t, version: 1.0.0 }\nsources:\n  ev:\n    mcp: { command: upstream-server }\n    check: off\n'
    );
    const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['MCPGEN_MCP_UNREACHABLE']);
  });
});
