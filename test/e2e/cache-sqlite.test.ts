/**
 * The result cache end to end: the sqlite-shop example with `cache:` on its customer template and a tool, built and
 * served by the real CLI (`mcp-gen run --http`). A row changed behind the server's back is not seen while the
 * entry is fresh (proof the read came from the cache, not the database); the result carries its time left; both
 * eras are served from the same entry; /metrics counts the hits and misses.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupTemp,
  cli,
  killAll,
  legacySession,
  LEGACY,
  post,
  postModern,
  repo,
  requireDist,
  startHttp,
  tempDir
} from '../helpers/e2e-server.js';
import { parseExposition, sampleValue } from '../helpers/prometheus.js';

let url: string;
let dbFile: string;

beforeAll(async () => {
  requireDist();
  const root = tempDir('mcpgen-cache-e2e-');
  const example = join(root, 'examples', 'sqlite-shop');
  mkdirSync(join(root, 'specs'), { recursive: true });
  cpSync(join(repo, 'specs', 'shop.sql'), join(root, 'specs', 'shop.sql'));
  cpSync(join(repo, 'examples', 'sqlite-shop'), example, { recursive: true, filter: (src) => !/[/\\](\.mcp-gen|data)$/.test(src) });
  const manifest = join(example, 'mcp-gen.yaml');
  const text = readFileSync(manifest, 'utf8');
  const cached = text
    .replace(
      '    sql: SELECT * FROM customers WHERE id = :id\n',
      '    sql: SELECT * FROM customers WHERE id = :id\n    cache: { ttl: 120 }\n'
    )
    .replace('      required: [order_id]\n', '      required: [order_id]\n    cache: { ttl: 120 }\n');
  expect(cached.match(/cache: \{ ttl: 120 \}/g)).toHaveLength(2);
  writeFileSync(manifest, cached);
  execFileSync(process.execPath, [cli, 'build', '-m', manifest], { stdio: ['ignore', 'pipe', 'pipe'] });
  dbFile = join(example, 'data', 'shop.db');
  url = (await startHttp(join(example, '.mcp-gen'))).url;
});

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

function rename(id: number, name: string): void {
  const db = new Database(dbFile);
  try {
    db.prepare('UPDATE customers SET name = ? WHERE id = ?').run(name, id);
  } finally {
    db.close();
  }
}

const read = async (id: number) => (await postModern(url, id, 'resources/read', { uri: `shop://customers/${id}` })).json.result;

describe('cache: over a real SQL resource (sqlite-shop)', () => {
  it('answers from the cache while fresh, with the time left, across both eras', async () => {
    const first = await read(1);
    expect(first.ttlMs).toBe(120_000);
    expect(first.cacheScope).toBe('public');
    rename(1, 'Renamed Behind The Server');
    const second = await read(1);
    expect(second.contents).toEqual(first.contents);
    expect(second.ttlMs).toBeGreaterThan(0);
    expect(second.ttlMs).toBeLessThanOrEqual(120_000);
    // A 2025 session reads the same entry (the key is the entry and its arguments, not the era).
    const session = await legacySession(url);
    const legacy = await post(
      url,
      { jsonrpc: '2.0', id: 9, method: 'resources/read', params: { uri: 'shop://customers/1' } },
      { 'mcp-session-id': session.id, 'mcp-protocol-version': LEGACY }
    );
    expect(legacy.json.result.contents).toEqual(first.contents);
    // Another customer is a miss, read from the database as it is now.
    rename(2, 'Fresh Name');
    expect(JSON.stringify((await read(2)).contents)).toContain('Fresh Name');
  });

  it('caches a SQL read tool by its arguments', async () => {
    const call = async (order_id: number) =>
      (await postModern(url, 1, 'tools/call', { name: 'order_lines', arguments: { order_id } })).json.result.structuredContent;
    const first = await call(1);
    const db = new Database(dbFile);
    try {
      db.prepare('UPDATE order_items SET quantity = quantity + 100 WHERE order_id = 1').run();
    } finally {
      db.close();
    }
    expect(await call(1)).toEqual(first);
  });

  it('counts hits and misses in /metrics', async () => {
    const scraped = parseExposition(await (await fetch(new URL('/metrics', url))).text());
    const count = (entry: string, result: string) => sampleValue(scraped, 'mcpgen_cache_requests_total', { entry, result });
    expect([count('customer', 'miss'), count('customer', 'hit')]).toEqual([2, 2]);
    expect([count('order_lines', 'miss'), count('order_lines', 'hit')]).toEqual([1, 1]);
  });
});
