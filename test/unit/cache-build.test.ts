import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import type { Artifact } from '../../runtime/artifact/ir.js';

const petsApi = join(import.meta.dirname, '..', 'fixtures', 'openapi-kind', 'api.yaml');

async function lowered(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-cache-build-'));
  const manifest = join(dir, 'mcp-gen.yaml');
  writeFileSync(manifest, `server: { name: s, version: 1.0.0 }\n${yaml}`);
  const result = await build({ manifest, outDir: join(dir, '.mcp-gen'), env: {} });
  const file = result.files.get('artifact.json') ?? [...result.files.entries()].find(([k]) => k.endsWith('artifact.json'))?.[1];
  const artifact = file === undefined ? undefined : (JSON.parse(String(file)) as Artifact);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  return {
    artifact,
    errors: errors.map((d) => `${d.code} ${d.pointer} ${d.at.line}:${d.at.col} ${d.message}`),
    hints: errors.map((d) => d.hint)
  };
}

const sqlite = `sources:\n  db: { database: "sqlite::memory:" }\n`;
const sqliteWritable = `sources:\n  db: { database: "sqlite::memory:", readOnly: false }\n`;

describe('cache: on entries (build)', () => {
  // given: a manifest; want: each entry's lowered cache policy.
  it.each([
    [
      'a template tool declared read-only, defaults (shared without auth:, 60 s)',
      'tools:\n  - { name: t, description: T., template: hi, annotations: { readOnlyHint: true }, cache: {} }',
      { tools: { t: { ttlMs: 60_000, scope: 'shared' } } }
    ],
    [
      'a SQL tool whose query only reads (its kind says so: no annotation needed)',
      `${sqlite}tools:\n  - { name: q, description: Q., source: db, sql: SELECT 1 AS one, cache: { ttl: 5, scope: principal } }`,
      { tools: { q: { ttlMs: 5000, scope: 'principal' } } }
    ],
    [
      'a SQL resource and resource template',
      `${sqlite}resources:\n  - { name: r, uri: "db://r", source: db, sql: SELECT 1 AS one, cache: { ttl: 10 } }\n` +
        '  - { name: rt, uriTemplate: "db://rows/{id}", source: db, sql: "SELECT :id AS id", cache: { scope: principal } }',
      { resources: { r: { ttlMs: 10_000, scope: 'shared' } }, resourceTemplates: { rt: { ttlMs: 60_000, scope: 'principal' } } }
    ],
    [
      'principal scope by default when auth: is set',
      'auth: { apiKeys: [{ name: a, key: "${A_KEY}" }] }\nresources:\n  - { name: r, uri: "x://r", text: hi, cache: { ttl: 1 } }',
      { resources: { r: { ttlMs: 1000, scope: 'principal' } } }
    ],
    [
      'an OpenAPI GET operation refined by an operation: entry',
      `sources:\n  pets: { openapi: "${petsApi}", baseUrl: "http://127.0.0.1:9/v1" }\ntools:\n  - { operation: pets.getPet, cache: { ttl: 30 } }`,
      { tools: { getPet: { ttlMs: 30_000, scope: 'shared' } } }
    ]
  ])('%s', async (_name, yaml, want) => {
    const { artifact, errors } = await lowered(yaml);
    expect(errors).toEqual([]);
    const byName = <E extends { name: string; cache?: unknown }>(list: readonly E[]) =>
      Object.fromEntries(list.filter((e) => e.cache).map((e) => [e.name, e.cache]));
    const got = {
      ...(want.tools ? { tools: byName(artifact!.tools) } : {}),
      ...(want.resources ? { resources: byName(artifact!.resources) } : {}),
      ...(want.resourceTemplates ? { resourceTemplates: byName(artifact!.resourceTemplates) } : {})
    };
    expect(got).toEqual(want);
    expect(artifact!.cache).toEqual({ maxBytes: 67_108_864 });
  });

  // given: a tool that may write; want: one error at its cache: key saying why, with the expected alternatives.
  it.each([
    [
      'a template tool without readOnlyHint',
      'tools:\n  - name: t\n    description: T.\n    template: hi\n    cache: { ttl: 5 }',
      't',
      '6:5'
    ],
    [
      'a template tool that says readOnlyHint: false',
      'tools:\n  - name: t\n    description: T.\n    template: hi\n    annotations: { readOnlyHint: false }\n    cache: {}',
      't',
      '7:5'
    ],
    [
      'a SQL tool that writes',
      `${sqliteWritable}tools:\n  - name: w\n    description: W.\n    source: db\n    readOnly: false\n    sql: DELETE FROM t\n    cache: {}`,
      'w',
      '10:5'
    ],
    [
      'an OpenAPI DELETE operation',
      `sources:\n  pets: { openapi: "${petsApi}", baseUrl: "http://127.0.0.1:9/v1" }\ntools:\n  - operation: pets.deletePet\n    cache: {}`,
      'deletePet',
      '6:5'
    ]
  ])('refuses %s', async (_name, yaml, tool, position) => {
    const { errors, hints } = await lowered(yaml);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^MCPGEN_CACHE_NOT_READ_ONLY /tools/\\d/cache ${position} tool "${tool}" is not read-only, so its results cannot be cached$`
      )
    );
    expect(hints[0]).toContain('Expected a read-only tool: annotations: { readOnlyHint: true }');
  });

  it.each([
    [
      'store kept as written, ${VAR} unresolved',
      'cache: { store: "redis://:${PW}@cache:6379", maxBytes: 2048 }',
      { store: 'redis://:${PW}@cache:6379', maxBytes: 2048 }
    ],
    ['memory', 'cache: { store: memory }', { store: 'memory', maxBytes: 67_108_864 }]
  ])('top-level cache: %s', async (_name, yaml, want) => {
    const { artifact, errors } = await lowered(`${yaml}\nresources:\n  - { name: r, uri: "x://r", text: hi, cache: {} }`);
    expect(errors).toEqual([]);
    expect(artifact!.cache).toEqual(want);
  });

  it('refuses a store that is neither memory nor a Redis URL', async () => {
    const { errors } = await lowered('cache: { store: "memcached://x" }');
    expect(errors).toEqual(['MCPGEN_INVALID_VALUE /cache/store 2:17 cache.store must be memory or a redis:// URL, got "memcached://x"']);
  });

  it('writes no cache settings when nothing is cached', async () => {
    const { artifact } = await lowered('resources:\n  - { name: r, uri: "x://r", text: hi }');
    expect(artifact!.cache).toBeUndefined();
  });
});
