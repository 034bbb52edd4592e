/**
 * The bundle of examples/sqlite-shop serves its database: a copy of the example (its seed at the same relative
 * place) bundled by the real CLI, which creates data/shop.db and carries it into the bundle; `npm install
 * --omit=dev` installs better-sqlite3 and knex there (better-sqlite3 compiles from source when no prebuilt
 * binary can be downloaded: this file's set-up is slow), and `node server.mjs` answers with rows of it over
 * stdio and HTTP.
 */
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAndInstall, connectStdio, resolves, serveContainerCommand, type Installed, type Served } from '../helpers/bundle-served.js';
import { cleanupTemp, newClient, repo, tempDir } from '../helpers/e2e-server.js';

let bundled: Installed;

beforeAll(async () => {
  const root = tempDir('mcpgen-shop-bundle-');
  const example = join(root, 'examples', 'sqlite-shop');
  mkdirSync(join(root, 'specs'), { recursive: true });
  cpSync(join(repo, 'specs', 'shop.sql'), join(root, 'specs', 'shop.sql'));
  cpSync(join(repo, 'examples', 'sqlite-shop'), example, {
    recursive: true,
    filter: (src) => !/[/\\](\.mcp-gen|data|dist-server)$/.test(src)
  });
  bundled = await bundleAndInstall(join(example, 'mcp-gen.yaml'));
}, 600_000);

afterAll(() => {
  bundled?.remove();
  cleanupTemp();
});

const text = (r: { content: unknown }) => (r.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');

describe('the sqlite-shop bundle', () => {
  it('needs better-sqlite3 and knex, pinned, and carries the database', async () => {
    const pkg = JSON.parse(readFileSync(join(bundled.dir, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['better-sqlite3', 'knex']);
    expect(
      readFileSync(join(bundled.dir, 'data', 'shop.db'))
        .subarray(0, 15)
        .toString()
    ).toBe('SQLite format 3');
    expect(await resolves(bundled.dir, 'mcp-gen')).toBe(false);
    expect(await resolves(bundled.dir, 'better-sqlite3')).toBe(true);
  });
});

describe.each(['stdio', 'http'] as const)('served over %s', (transport) => {
  let served: Served | undefined;
  let client: ReturnType<typeof newClient>;
  let close: () => Promise<unknown>;

  beforeAll(async () => {
    if (transport === 'stdio') {
      const connected = await connectStdio(bundled.dir);
      client = connected.client;
      close = connected.close;
    } else {
      served = await serveContainerCommand(bundled.dir);
      client = newClient('modern');
      await client.connect(new StreamableHTTPClientTransport(new URL(served.url)));
      close = () => client.close().catch(() => {});
    }
  });

  afterAll(async () => {
    await close?.();
    if (served) expect(await served.stop()).toBe(0);
  });

  it('reads a customer row through the resource template', async () => {
    const { contents } = await client.readResource({ uri: 'shop://customers/1' });
    const rows = JSON.parse((contents[0] as { text: string }).text).rows;
    expect(rows).toEqual([{ id: 1, name: 'Chidi Turing', email: 'chidi.turing@example.com', country: 'GB', created_on: '2023-10-13' }]);
  });

  it('runs a SQL tool against the bundled database', async () => {
    const result = JSON.parse(text(await client.callTool({ name: 'order_lines', arguments: { order_id: 1 } })));
    expect(result.rowCount).toBeGreaterThan(0);
    expect(Object.keys(result.rows[0])).toEqual(['line', 'sku', 'name', 'quantity', 'unit_price', 'amount']);
  });
});
