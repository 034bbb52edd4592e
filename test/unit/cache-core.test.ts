/** The result cache through the core: scopes, principals, isError, hints, audit, metrics and dev reloads. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { Channel, Principal } from '../../runtime/core/context.js';
import type { McpCore } from '../../runtime/core/server.js';
import { createLogger } from '../../runtime/log.js';
import { createMetricsTelemetry, type MetricsTelemetry } from '../../runtime/observe/metrics.js';
import { createCore } from '../../runtime/serve.js';
import { buildToTemp } from '../helpers/artifact.js';

const quiet = createLogger('error', () => {});
const modernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const env = { ALICE_KEY: 'alice-key', BOB_KEY: 'bob-key', ADMIN_KEY: 'admin-key' };
const principal = (name: string, scopes: string[] = []): Principal => ({ name, scopes, claims: {} });
const alice = principal('alice');
const bob = principal('bob');
const admin = principal('admin', ['admin']);

const manifest = `
server: { name: cached, version: 1.0.0 }
auth:
  apiKeys:
    - { name: alice, key: "\${ALICE_KEY}" }
    - { name: bob, key: "\${BOB_KEY}" }
    - { name: admin, key: "\${ADMIN_KEY}", scopes: [admin] }
audit: { sink: { file: ./audit.log } }
sources:
  db: { database: "sqlite:./data.db" }
tools:
  - name: value
    description: One row's value; cached per caller (principal scope, the default with auth:).
    source: db
    sql: SELECT v FROM t WHERE id = :id
    input: { properties: { id: { type: integer } }, required: [id] }
    cache: { ttl: 60 }
  - name: shared_value
    description: One row's value; cached for everyone.
    source: db
    sql: SELECT v FROM t WHERE id = :id
    input: { properties: { id: { type: integer } }, required: [id] }
    cache: { ttl: 60, scope: shared }
  - name: fails
    description: Always a tool error.
    template: nope
    isError: true
    annotations: { readOnlyHint: true }
    cache: {}
resources:
  - name: row
    uriTemplate: db://rows/{id}
    source: db
    sql: SELECT v FROM t WHERE id = :id
    cache: { ttl: 30 }
  - name: secret_row
    uriTemplate: db://secret/{id}
    source: db
    sql: SELECT v FROM t WHERE id = :id
    scopes: [admin]
    cache: { ttl: 30, scope: shared }
`;

let dir: string;
let root: string;
let db: Database.Database;
let core: McpCore;
let metrics: MetricsTelemetry;

const setRow = (id: number, v: string) => db.prepare('INSERT OR REPLACE INTO t (id, v) VALUES (?, ?)').run(id, v);

async function rpc(who: Principal | undefined, method: string, params: Record<string, unknown>) {
  const on = core;
  const channel: Channel = { notify: () => {}, ...(who ? { principal: who } : {}) };
  const reply = await on.request(1, method, { ...params, _meta: modernMeta }, channel, new AbortController().signal);
  return JSON.parse(String(reply.body)) as { result?: Record<string, any>; error?: { code: number; message: string } };
}
const callValue = async (who: Principal, tool: string, id: number) => {
  const r = await rpc(who, 'tools/call', { name: tool, arguments: { id } });
  return (r.result?.structuredContent as { rows: { v: string }[] } | undefined)?.rows[0]?.v;
};
const readRow = (who: Principal, uri: string) => rpc(who, 'resources/read', { uri });

async function counted(entry: string, result: 'hit' | 'miss'): Promise<number> {
  const text = await metrics.registry.metrics();
  const m = new RegExp(`^mcpgen_cache_requests_total\\{entry="${entry}",result="${result}"\\} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mcpgen-cache-core-'));
  db = new Database(join(root, 'data.db'));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  writeFileSync(join(root, 'mcp-gen.yaml'), manifest);
  dir = await buildToTemp(join(root, 'mcp-gen.yaml'));
  metrics = createMetricsTelemetry({ processMetrics: false });
  core = await createCore(await loadArtifact(dir, env), { log: quiet, env, telemetry: metrics });
});

afterAll(async () => {
  await core?.close(); // closing twice is harmless
  db?.close();
});

describe('cross-principal isolation (property)', () => {
  it("principal A's cached rows never reach principal B", async () => {
    // given: any interleaving of calls by two principals over a few ids, the row changing before every call;
    // want: each answer is either the row as it is now (a miss) or the answer this same caller got first for this id.
    const step = fc.record({ who: fc.constantFrom('alice', 'bob'), id: fc.integer({ min: 0, max: 2 }) });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        // Ids of their own per run: the cache holds nothing for them yet, as the model starts empty.
        const base = 1000 + 10 * run++;
        const seen = new Map<string, string>();
        for (const [i, { who, id }] of steps.entries()) {
          const now = `v${base}-${i}`;
          setRow(base + id, now);
          const got = await callValue(who === 'alice' ? alice : bob, 'value', base + id);
          const key = `${who}:${id}`;
          const expected = seen.get(key) ?? now;
          if (!seen.has(key)) seen.set(key, now);
          expect(got).toBe(expected);
        }
      }),
      { numRuns: 60 }
    );
  });
});

describe('result cache in the core', () => {
  it('answers a caller from its own entry, never from another principal’s (principal scope)', async () => {
    const before = [await counted('value', 'hit'), await counted('value', 'miss')];
    setRow(1, 'first');
    expect(await callValue(alice, 'value', 1)).toBe('first');
    setRow(1, 'second');
    expect(await callValue(alice, 'value', 1)).toBe('first');
    expect(await callValue(bob, 'value', 1)).toBe('second');
    expect([(await counted('value', 'hit')) - before[0]!, (await counted('value', 'miss')) - before[1]!]).toEqual([1, 2]);
  });

  it('shares an entry between callers in shared scope', async () => {
    setRow(2, 'one');
    expect(await callValue(alice, 'shared_value', 2)).toBe('one');
    setRow(2, 'two');
    expect(await callValue(bob, 'shared_value', 2)).toBe('one');
  });

  it('never caches isError results', async () => {
    for (let i = 0; i < 3; i++) expect((await rpc(alice, 'tools/call', { name: 'fails', arguments: {} })).result?.isError).toBe(true);
    expect([await counted('fails', 'hit'), await counted('fails', 'miss')]).toEqual([0, 3]);
  });

  it('gives a read its TTL, counting down on hits, private for principal scope', async () => {
    setRow(3, 'r1');
    const first = (await readRow(alice, 'db://rows/3')).result!;
    setRow(3, 'r2');
    const second = (await readRow(alice, 'db://rows/3')).result!;
    expect(first.cacheScope).toBe('private');
    expect(first.ttlMs).toBe(30_000);
    expect(second.ttlMs).toBeLessThanOrEqual(30_000);
    expect(second.ttlMs).toBeGreaterThan(0);
    expect(second.contents).toEqual(first.contents);
    expect(await counted('row', 'hit')).toBe(1);
  });

  it('still enforces scopes on a hit: a caller without the scope is refused what another cached', async () => {
    setRow(4, 'classified');
    const granted = await readRow(admin, 'db://secret/4');
    expect(JSON.stringify(granted.result?.contents)).toContain('classified');
    expect(granted.result?.cacheScope).toBe('private');
    const refused = await readRow(bob, 'db://secret/4');
    expect(refused.result).toBeUndefined();
    expect(JSON.stringify(refused)).not.toContain('classified');
  });

  it('starts empty after a dev reload (swap)', async () => {
    setRow(6, 'before');
    await callValue(alice, 'value', 6);
    setRow(6, 'after');
    expect(await callValue(alice, 'value', 6)).toBe('before');
    await core.swap(await loadArtifact(dir, env, 1));
    expect(await callValue(alice, 'value', 6)).toBe('after');
  });

  it('writes an audit line for a hit, marked cached', async () => {
    setRow(5, 'audited');
    await callValue(alice, 'value', 5);
    await callValue(alice, 'value', 5);
    // The audit file is flushed on close.
    await core.close();
    const lines = readFileSync(join(root, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.target === 'value')
      .slice(-2);
    expect(lines.map((l) => [l.outcome, l.cached])).toEqual([
      ['ok', undefined],
      ['ok', true]
    ]);
  });
});
