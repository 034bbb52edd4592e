/**
 * examples/sqlite-shop end to end: a copy of the example (with specs/shop.sql at the same relative place)
 * built by the real CLI, whose first build creates the database from the seed, served with
 * `mcp-gen run --http --port 0`, and the real MCP SDK v2 client calling its tools, reading its resource
 * template and completing its prompt argument, in both protocol eras. Expected rows come from the same
 * database, queried directly.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupTemp,
  cli,
  connect,
  killAll,
  repo,
  requireDist,
  startHttp,
  tempDir,
  type Connected,
  type Era
} from '../helpers/e2e-server.js';

let root: string;
let example: string;
let dbFile: string;
let mcpUrl: string;

interface Spender {
  id: number;
  name: string;
  country: string;
  spend: number;
}

/** The top spenders, computed here with better-sqlite3 (the tool's answer is checked against this). */
function topSpenders(country: string | null, limit: number): Spender[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db
      .prepare(
        'SELECT c.id, c.name, c.country, ROUND(SUM(o.total), 2) AS spend FROM customers c JOIN orders o ' +
          'ON o.customer_id = c.id WHERE (? IS NULL OR c.country = ?) GROUP BY c.id ORDER BY spend DESC ' +
          'LIMIT ?'
      )
      .all(country, country, limit) as Spender[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  requireDist();
  root = tempDir('mcpgen-shop-');
  example = join(root, 'examples', 'sqlite-shop');
  mkdirSync(join(root, 'specs'), { recursive: true });
  cpSync(join(repo, 'specs', 'shop.sql'), join(root, 'specs', 'shop.sql'));
  cpSync(join(repo, 'examples', 'sqlite-shop'), example, { recursive: true, filter: (src) => !/[/\\](\.mcp-gen|data)$/.test(src) });
  dbFile = join(example, 'data', 'shop.db');
  expect(existsSync(dbFile)).toBe(false);
  // The CLI's build (not the library's) creates the database from seed:.
  execFileSync(process.execPath, [cli, 'build', '-m', join(example, 'mcp-gen.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  mcpUrl = (await startHttp(join(example, '.mcp-gen'))).url;
});

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

const text = (r: { content: unknown }) => (r.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');

describe('the build', () => {
  it('created data/shop.db from specs/shop.sql', () => {
    expect(statSync(dbFile).size).toBeGreaterThan(0);
    const db = new Database(dbFile, { readonly: true });
    const counts = db
      .prepare(
        'SELECT (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM orders) AS orders, ' +
          '(SELECT COUNT(*) FROM order_items) AS items'
      )
      .get();
    db.close();
    expect(counts).toEqual({ customers: 60, orders: 300, items: 754 });
  });
});

describe.each(['modern', 'legacy'] as Era[])('sqlite-shop over HTTP, %s era', (era) => {
  let conn: Connected;
  let client: Client;
  beforeAll(async () => {
    conn = await connect('http', era, { url: mcpUrl });
    client = conn.client;
  });
  afterAll(() => conn?.close());

  it('lists the four tools, with output schemas inferred from the database', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['top_customers', 'customer_orders', 'order_lines', 'search_products']);
    const top = tools[0]!;
    expect(top.inputSchema).toMatchObject({ properties: { country: { type: 'string' }, limit: { type: 'integer', default: 10 } } });
    expect(JSON.stringify(top.outputSchema)).toContain('spend');
    expect(top.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('top_customers answers the top spenders, as rows and as text', async () => {
    const want = topSpenders(null, 10);
    expect(want).toHaveLength(10);
    const r = await client.callTool({ name: 'top_customers', arguments: {} });
    expect(r.isError).toBeFalsy();
    const rows = (r.structuredContent as { rows: Spender[] }).rows;
    expect(rows.map((x) => [x.id, x.name, x.country, Number(x.spend)])).toEqual(want.map((x) => [x.id, x.name, x.country, x.spend]));
    expect(text(r)).toContain(want[0]!.name);
  });

  it('top_customers in one country, with a limit', async () => {
    const want = topSpenders('US', 3);
    const r = await client.callTool({ name: 'top_customers', arguments: { country: 'US', limit: 3 } });
    expect(r.isError).toBeFalsy();
    const rows = (r.structuredContent as { rows: Spender[] }).rows;
    expect(rows.map((x) => x.id)).toEqual(want.map((x) => x.id));
    expect(new Set(rows.map((x) => x.country))).toEqual(new Set(['US']));
  });

  it('an argument the schema refuses is a tool error', async () => {
    const r = await client.callTool({ name: 'top_customers', arguments: { limit: 1000 } });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('limit');
  });

  it('an injection attempt is only a value that matches nothing', async () => {
    const r = await client.callTool({ name: 'search_products', arguments: { text: "x' OR '1'='1" } });
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as { rows: unknown[] }).rows).toEqual([]);
  });

  it('customer_orders, order_lines and search_products answer from the data', async () => {
    const top = topSpenders(null, 1)[0]!;
    const orders = await client.callTool({ name: 'customer_orders', arguments: { customer_id: top.id, limit: 100 } });
    const rows = (orders.structuredContent as { rows: { id: number; total: number | string }[] }).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.reduce((sum, o) => sum + Number(o.total), 0)).toBeCloseTo(top.spend, 2);
    const lines = await client.callTool({ name: 'order_lines', arguments: { order_id: rows[0]!.id } });
    const items = (lines.structuredContent as { rows: { amount: number | string }[] }).rows;
    expect(items.reduce((sum, l) => sum + Number(l.amount), 0)).toBeCloseTo(Number(rows[0]!.total), 2);
    const knives = await client.callTool({ name: 'search_products', arguments: { text: 'KNIFE', category: 'kitchen' } });
    const found = (knives.structuredContent as { rows: { name: string; price: number | string }[] }).rows;
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) expect(p.name).toMatch(/knife/i);
    expect(found.map((p) => Number(p.price))).toEqual([...found.map((p) => Number(p.price))].sort((a, b) => a - b));
  });

  it('reads one customer through the resource template', async () => {
    const top = topSpenders(null, 1)[0]!;
    const r = await client.readResource({ uri: `shop://customers/${top.id}` });
    const body = (r.contents[0] as { text: string }).text;
    expect(body).toContain(top.name);
    expect(body).toContain(top.country);
  });

  it('completes the prompt argument from the database and renders the prompt', async () => {
    const r = await client.complete({ ref: { type: 'ref/prompt', name: 'customer_brief' }, argument: { name: 'id', value: '5' } });
    expect(r.completion.values).toEqual(expect.arrayContaining(['5', '50', '59']));
    for (const v of r.completion.values) expect(v.startsWith('5')).toBe(true);
    const p = await client.getPrompt({ name: 'customer_brief', arguments: { id: '4' } });
    expect((p.messages[0]!.content as { text: string }).text).toContain('shop://customers/4');
  });
});
