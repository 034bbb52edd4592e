import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { cleanupTemp, connect, killAll, startHttp, tempDir, type Era, type Transport } from '../helpers/e2e-server.js';

const shop = `CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total REAL);
INSERT INTO customers VALUES (1, 'Ada', 'UK'), (2, 'Bo', 'SE'), (3, 'Cy', 'UK'), (12, 'Di', 'FR');
INSERT INTO orders VALUES (1, 1, 10.5), (2, 1, 20), (3, 2, 5), (4, 3, 7), (5, 12, 1);
`;

// The manifest of the issue, verbatim apart from the seed and the prompt's messages.
const manifest = `server: { name: shop, version: 1.0.0 }
sources:
  shop:
    database: sqlite:./data/shop.db
    readOnly: true
    pool: { min: 0, max: 10 }
    seed: ./shop.sql
tools:
  - name: top_customers
    description: Customers with the highest total spend, optionally in one country.
    source: shop
    sql: |
      SELECT c.id, c.name, c.country, SUM(o.total) AS spend
      FROM customers c JOIN orders o ON o.customer_id = c.id
      WHERE (:country IS NULL OR c.country = :country)
      GROUP BY c.id ORDER BY spend DESC LIMIT :limit
    input:
      properties:
        country: { type: string }
        limit: { type: integer, minimum: 1, maximum: 100, default: 10 }
resources:
  - name: customer
    uriTemplate: shop://customers/{id}
    source: shop
    sql: SELECT * FROM customers WHERE id = :id
prompts:
  - name: customer_brief
    description: A brief on one customer.
    arguments:
      - name: id
        complete: { source: shop, sql: "SELECT id FROM customers WHERE CAST(id AS TEXT) LIKE :prefix || '%' LIMIT 20" }
    messages:
      - { role: user, text: "Write a brief on customer {{id}}." }
`;

let dir: string;
afterAll(async () => {
  await killAll();
  cleanupTemp();
});

describe.each([
  ['stdio', 'legacy'],
  ['http', 'modern']
] as [Transport, Era][])('the issue manifest through the SDK client (%s, %s)', (transport, era) => {
  it('seeds the database at build, then serves tools, resources and completions from it', async () => {
    dir ??= await (async () => {
      const d = tempDir('mcpgen-sqle2e-');
      writeFileSync(join(d, 'shop.sql'), shop);
      writeFileSync(join(d, 'mcp-gen.yaml'), manifest);
      const result = await build({ manifest: join(d, 'mcp-gen.yaml'), seed: true });
      expect(result.diagnostics).toEqual([]);
      await writeArtifact(result);
      return result.outDir;
    })();
    const target = transport === 'stdio' ? { dir } : { url: (await startHttp(dir)).url };
    const { client, close } = await connect(transport, era, target);
    try {
      const { tools } = await client.listTools();
      expect(tools[0]).toMatchObject({ name: 'top_customers', annotations: { readOnlyHint: true } });
      expect(Object.keys((tools[0]!.outputSchema as any).properties.rows.items.properties)).toEqual(['id', 'name', 'country', 'spend']);
      const uk = await client.callTool({ name: 'top_customers', arguments: { country: 'UK' } });
      expect(uk.structuredContent).toEqual({
        rows: [
          { id: 1, name: 'Ada', country: 'UK', spend: 30.5 },
          { id: 3, name: 'Cy', country: 'UK', spend: 7 }
        ],
        rowCount: 2
      });
      const all = await client.callTool({ name: 'top_customers', arguments: { limit: 1 } });
      expect((all.structuredContent as any).rows).toEqual([{ id: 1, name: 'Ada', country: 'UK', spend: 30.5 }]);
      const read = await client.readResource({ uri: 'shop://customers/2' });
      expect(JSON.parse((read.contents[0] as { text: string }).text).rows).toEqual([{ id: 2, name: 'Bo', country: 'SE' }]);
      const done = await client.complete({ ref: { type: 'ref/prompt', name: 'customer_brief' }, argument: { name: 'id', value: '1' } });
      expect(done.completion.values).toEqual(['1', '12']);
    } finally {
      await close();
    }
  });
});
