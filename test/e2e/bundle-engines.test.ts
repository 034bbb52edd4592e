/**
 * A bundle whose manifest reads PostgreSQL and MySQL and keeps its rate limits in Redis: package.json names
 * knex, pg, mysql2 and ioredis (and nothing native), and after `npm install --omit=dev` outside the repository
 * `node server.mjs` loads each driver from there: both tools answer and /readyz finds every dependency. Runs
 * when MCPGEN_TEST_POSTGRES, MCPGEN_TEST_MYSQL and MCPGEN_TEST_REDIS are set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAndInstall, serveContainerCommand, type Installed, type Served } from '../helpers/bundle-served.js';
import { projectWith, removeProjects } from '../helpers/bundle-projects.js';
import { newClient } from '../helpers/e2e-server.js';

const postgres = process.env.MCPGEN_TEST_POSTGRES;
const mysql = process.env.MCPGEN_TEST_MYSQL;
const redis = process.env.MCPGEN_TEST_REDIS;
const ready = postgres !== undefined && mysql !== undefined && redis !== undefined;
if (!ready) console.warn('bundle-engines: skipped; set MCPGEN_TEST_POSTGRES, MCPGEN_TEST_MYSQL and MCPGEN_TEST_REDIS');

const manifest = `server: { name: engines, version: 1.0.0 }
sources:
  pg: { database: "\${BUNDLE_PG}" }
  my: { database: "\${BUNDLE_MY}" }
limits: { store: "\${BUNDLE_REDIS}", global: 1000/second }
tools:
  - { name: pg_one, description: One from PostgreSQL., source: pg, sql: "SELECT 1 AS one" }
  - { name: my_one, description: One from MySQL., source: my, sql: "SELECT 1 AS one" }
`;

let bundled: Installed;
let served: Served;
let client: ReturnType<typeof newClient>;

beforeAll(async () => {
  if (!ready) return;
  // The build reads the variables too (and checks the statements on the live databases).
  Object.assign(process.env, { BUNDLE_PG: postgres, BUNDLE_MY: mysql, BUNDLE_REDIS: redis });
  bundled = await bundleAndInstall(join(projectWith({ 'mcp-gen.yaml': manifest }), 'mcp-gen.yaml'));
  served = await serveContainerCommand(bundled.dir);
  client = newClient('modern');
  await client.connect(new StreamableHTTPClientTransport(new URL(served.url)));
}, 240_000);

afterAll(async () => {
  await client?.close().catch(() => {});
  await served?.stop();
  bundled?.remove();
  removeProjects();
});

const text = (r: { content: unknown }) => (r.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');

describe.runIf(ready)('a bundle with PostgreSQL, MySQL and Redis', () => {
  it('package.json names exactly the drivers and the Redis client', () => {
    const pkg = JSON.parse(readFileSync(join(bundled.dir, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['ioredis', 'knex', 'mysql2', 'pg']);
  });

  it.each(['pg_one', 'my_one'])('%s answers from its database', async (name) => {
    expect(JSON.parse(text(await client.callTool({ name, arguments: {} })))).toMatchObject({ rows: [{ one: 1 }] });
  });

  it('/readyz finds both databases and the Redis store', async () => {
    const r = await fetch(`${served.origin}/readyz`);
    expect(await r.json()).toEqual({ status: 'ready' });
  });
});
