/** The shared cache store in Redis (MCPGEN_TEST_REDIS): TTLs, time left, and two servers sharing entries. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { RedisCacheStore } from '../../runtime/cache/redis-store.js';
import type { Channel } from '../../runtime/core/context.js';
import type { McpCore } from '../../runtime/core/server.js';
import { createLogger } from '../../runtime/log.js';
import { createCore } from '../../runtime/serve.js';
import { buildToTemp } from '../helpers/artifact.js';

const url = process.env.MCPGEN_TEST_REDIS;
const quiet = createLogger('error', () => {});
const modernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const closing: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const c of closing) await c.close();
});

describe.skipIf(!url)('RedisCacheStore (MCPGEN_TEST_REDIS)', () => {
  it('stores with a TTL and reports the time left; unknown keys miss', async () => {
    const store = await RedisCacheStore.connect(url!, quiet, { keyPrefix: `mcpgen-test:${randomUUID()}:` });
    closing.push(store);
    await store.set('k', '{"rows":[1]}', 60_000);
    const got = await store.get('k');
    expect(got?.value).toBe('{"rows":[1]}');
    expect(got!.remainingMs).toBeGreaterThan(0);
    expect(got!.remainingMs).toBeLessThanOrEqual(60_000);
    expect(await store.get('other')).toBeUndefined();
    await store.dependency.ready();
  });

  it('is a miss, not an error, when Redis cannot be reached', async () => {
    const store = await RedisCacheStore.connect('redis://127.0.0.1:1', quiet, { keyPrefix: `mcpgen-test:${randomUUID()}:` });
    closing.push(store);
    await store.set('k', 'v', 1000);
    expect(await store.get('k')).toBeUndefined();
    await expect(store.dependency.ready()).rejects.toThrow(/cache store redis:\/\/127\.0\.0\.1:1 unreachable/);
  });

  it('shares entries between two servers of the same artifact (cache.store a Redis URL)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-cache-redis-'));
    const manifest = join(dir, 'mcp-gen.yaml');
    // A unique server name keeps this run's keys apart from any other's in the shared Redis.
    writeFileSync(
      manifest,
      `server: { name: cache-${randomUUID()}, version: 1.0.0 }
cache: { store: "\${TEST_REDIS}" }
sources:
  db: { database: "sqlite::memory:" }
tools:
  - name: stamp
    description: A result that differs on every run.
    source: db
    sql: SELECT random() AS r
    cache: { ttl: 60 }
`
    );
    const art = await buildToTemp(manifest);
    const env = { TEST_REDIS: url! };
    const cores: McpCore[] = [];
    for (let i = 0; i < 2; i++) cores.push(await createCore(await loadArtifact(art, env), { log: quiet, env }));
    closing.push(...cores);
    const channel: Channel = { notify: () => {} };
    const call = async (core: McpCore) => {
      const reply = await core.request(
        1,
        'tools/call',
        { name: 'stamp', arguments: {}, _meta: modernMeta },
        channel,
        new AbortController().signal
      );
      return JSON.stringify((JSON.parse(String(reply.body)) as { result: { structuredContent: unknown } }).result.structuredContent);
    };
    const first = await call(cores[0]!);
    expect(first).toMatch(/"r":"?-?\d+/);
    expect(await call(cores[1]!)).toBe(first);
    await cores[0]!.ready();
  });
});
