import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import type { Artifact } from '../../runtime/artifact/ir.js';

const tools = `tools:
  - name: greet
    description: Greet.
    template: hi
`;

async function lowered(yaml: string, env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-limits-build-'));
  const manifest = join(dir, 'mcp-gen.yaml');
  writeFileSync(manifest, `server: { name: s, version: 1.0.0 }\n${yaml}\n${tools}`);
  const result = await build({ manifest, outDir: join(dir, '.mcp-gen'), env });
  const file = result.files.get('artifact.json') ?? [...result.files.entries()].find(([k]) => k.endsWith('artifact.json'))?.[1];
  const artifact = file === undefined ? undefined : (JSON.parse(String(file)) as Artifact);
  return { artifact, diagnostics: result.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`) };
}

describe('limits: and audit: in the artifact', () => {
  it.each([
    [
      'every scope, burst and per-tool overrides',
      'limits:\n  global: 100/second\n  principal: { rate: 60/minute, burst: 5 }\n  tool: 10/hour\n  ' +
        'principalTool: 2/day\n  concurrency: 3\n  tools:\n    greet: { tool: 1/minute, concurrency: 1 }',
      {
        limits: {
          store: 'memory',
          onStoreError: 'closed',
          global: { limit: 100, windowMs: 1000, burst: 100, text: '100/second' },
          principal: { limit: 60, windowMs: 60_000, burst: 5, text: '60/minute' },
          tool: { limit: 10, windowMs: 3_600_000, burst: 10, text: '10/hour' },
          principalTool: { limit: 2, windowMs: 86_400_000, burst: 2, text: '2/day' },
          concurrency: 3,
          tools: { greet: { tool: { limit: 1, windowMs: 60_000, burst: 1, text: '1/minute' }, concurrency: 1 } }
        }
      }
    ],
    [
      'a Redis store, fail open',
      'limits: { store: "redis://127.0.0.1:6379/2", onStoreError: open }',
      { limits: { store: 'redis://127.0.0.1:6379/2', onStoreError: 'open', tools: {} } }
    ],
    ['audit to stderr', 'audit: { sink: stderr }', { audit: { sink: 'stderr' } }],
    [
      'audit to a file',
      'audit: { sink: { file: ./logs/a.log }, flushMs: 250 }',
      { audit: { sink: 'file', path: './logs/a.log', flushMs: 250 } }
    ],
    ['audit file, default flush', 'audit: { sink: { file: a.log } }', { audit: { sink: 'file', path: 'a.log', flushMs: 1000 } }]
  ])('%s', async (_name, yaml, want) => {
    const { artifact, diagnostics } = await lowered(yaml);
    expect(diagnostics).toEqual([]);
    expect(artifact).toMatchObject(want);
  });

  it('keeps a store written with ${VAR} as the reference (a Redis URL may carry a password)', async () => {
    const { artifact, diagnostics } = await lowered('limits: { store: "${REDIS_URL}", global: 1/second }', {
      REDIS_URL: 'redis://:hunter2@cache:6379'
    });
    expect(diagnostics).toEqual([]);
    expect(artifact!.limits!.store).toBe('${REDIS_URL}');
    expect(JSON.stringify(artifact)).not.toContain('hunter2');
  });

  it('an unset store variable is only a warning at build (it is resolved where the server runs)', async () => {
    const { artifact, diagnostics } = await lowered('limits: { store: "${REDIS_URL}" }');
    expect(diagnostics).toEqual([
      'MCPGEN_ENV_MISSING /limits/store environment variable REDIS_URL is not set: calls that need this credential will fail until it is'
    ]);
    expect(artifact!.limits!.store).toBe('${REDIS_URL}');
  });

  it.each([
    [
      'a per-tool limit for no tool',
      'limits:\n  tools:\n    gret: { concurrency: 1 }',
      'MCPGEN_INVALID_VALUE /limits/tools/gret limits.tools names "gret", which is not a tool of this server (tools: greet)'
    ],
    [
      'a store that is neither memory nor Redis',
      'limits: { store: "memcached://x" }',
      'MCPGEN_INVALID_VALUE /limits/store limits.store must be memory or a redis:// URL, got "memcached://x"'
    ],
    ['a rate without a unit', 'limits: { global: "100" }', 'MCPGEN_INVALID_VALUE /limits/global'],
    ['a zero burst', 'limits: { global: { rate: 1/second, burst: 0 } }', '/limits/global'],
    ['an unknown limits key', 'limits: { perTool: 1/second }', 'MCPGEN_UNKNOWN_KEY /limits/perTool'],
    ['an unknown sink', 'audit: { sink: syslog }', '/audit/sink'],
    ['audit without a sink', 'audit: { flushMs: 100 }', 'MCPGEN_MISSING_KEY /audit']
  ])('reports %s', async (_name, yaml, want) => {
    const { diagnostics } = await lowered(yaml);
    expect(diagnostics.join('\n')).toContain(want);
  });
});
