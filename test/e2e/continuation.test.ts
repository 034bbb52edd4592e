/**
 * Continuation end to end (issue 18, point 2): a built artifact served by the real CLI, read part by part by the
 * real SDK clients (v2 in both eras over Streamable HTTP and stdio, v1 over Streamable HTTP). The parts' structured
 * content must still pass the clients' own outputSchema check.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtifact,
  cleanupTemp,
  connect,
  killAll,
  requireDist,
  startHttp,
  tempDir,
  type Era,
  type Transport
} from '../helpers/e2e-server.js';

let dir: string;
let url: string;
const orders = Array.from({ length: 300 }, (_, i) => ({ id: i, customer: `customer ${i % 17}`, total: i * 3 }));

beforeAll(async () => {
  requireDist();
  const project = tempDir('mcpgen-continue-e2e-');
  mkdirSync(join(project, 'handlers'));
  writeFileSync(
    join(project, 'handlers', 'orders.ts'),
    `export default async () => ({ count: 300, orders: ${JSON.stringify(orders)} });\n`
  );
  writeFileSync(
    join(project, 'handlers', 'log.ts'),
    `export default async () => Array.from({ length: 500 }, (_, i) => \`event \${i}\`).join('\\n');\n`
  );
  writeFileSync(
    join(project, 'mcp-gen.yaml'),
    `server: { name: parts, version: "1", maxResultBytes: 2048 }
tools:
  - name: orders
    description: Every order.
    handler: ./handlers/orders.ts
    output:
      type: object
      required: [count, orders]
      properties:
        count: { type: integer }
        orders: { type: array, items: { type: object, required: [id], properties: { id: { type: integer } } } }
  - { name: log, description: The event log., handler: ./handlers/log.ts }
`
  );
  dir = await buildArtifact(join(project, 'mcp-gen.yaml'), join(project, '.mcp-gen'));
  url = (await startHttp(dir)).url;
}, 120_000);

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

type Result = { content: unknown; structuredContent?: unknown; _meta?: Record<string, unknown>; isError?: unknown };
type Call = (name: string, args: Record<string, unknown>) => Promise<Result>;
const cursorOf = (r: Result) => (r._meta?.['io.mcp-gen/part'] as { cursor?: string } | undefined)?.cursor;
const texts = (r: Result) => (r.content as { text: string }[]).map((c) => c.text);

/** Reads every part of a tool's result, following the cursors. */
async function allParts(call: Call, name: string): Promise<Result[]> {
  const parts = [await call(name, {})];
  for (let cursor = cursorOf(parts[0]!); cursor !== undefined && parts.length < 500; cursor = cursorOf(parts.at(-1)!))
    parts.push(await call(name, { cursor }));
  return parts;
}

async function readsEverything(call: Call): Promise<void> {
  const structured = await allParts(call, 'orders');
  expect(structured.length).toBeGreaterThan(5);
  for (const p of structured) expect(p.isError).toBeFalsy();
  expect(structured.flatMap((p) => (p.structuredContent as { orders: unknown[] }).orders)).toEqual(orders);
  expect(texts(structured.at(-1)!).at(-1)).toMatch(/^Last part of a split result: items \d+-300 of 300 \(of orders\)\.$/);
  const lines = await allParts(call, 'log');
  expect(lines.map((p) => texts(p)[0]).join('')).toBe(Array.from({ length: 500 }, (_, i) => `event ${i}`).join('\n'));
}

const cases: [Transport, Era][] = [
  ['http', 'modern'],
  ['http', 'legacy'],
  ['stdio', 'modern'],
  ['stdio', 'legacy']
];

describe('split results through real clients', () => {
  it.each(cases)('SDK v2 over %s (%s era) reads every part', async (transport, era) => {
    const { client, close } = await connect(transport, era, transport === 'http' ? { url } : { dir });
    try {
      const tools = await client.listTools();
      expect(tools.tools.find((t) => t.name === 'orders')?.inputSchema.properties).toHaveProperty('cursor');
      await readsEverything((name, args) => client.callTool({ name, arguments: args }) as Promise<Result>);
    } finally {
      await close();
    }
  });

  it('SDK v1 over Streamable HTTP reads every part', async () => {
    const client = new ClientV1({ name: 'v1', version: '1' });
    await client.connect(new HttpV1(new URL(url)));
    try {
      await client.listTools();
      await readsEverything((name, args) => client.callTool({ name, arguments: args }) as Promise<Result>);
    } finally {
      await client.close();
    }
  });
});
