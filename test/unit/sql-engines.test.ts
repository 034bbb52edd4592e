/**
 * One suite of SQL query cases run against every engine: SQLite always; PostgreSQL and MariaDB/MySQL when
 * MCPGEN_TEST_POSTGRES / MCPGEN_TEST_MYSQL hold their URLs (.ci/run sets both).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knexFactory, { type Knex } from 'knex';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { reading } from '../helpers/sqlite-running.js';
import { waitFor } from '../helpers/wait.js';
import { createCore } from '../../runtime/serve.js';

type Engine = { name: 'sqlite' | 'postgres' | 'mysql'; url?: string; enable: string; isolation?: 'process' };
const engines: Engine[] = [
  { name: 'sqlite', enable: '' },
  // The same cases with the SQLite source in a process of its own (isolation: process).
  { name: 'sqlite', enable: '', isolation: 'process' },
  { name: 'postgres', url: process.env.MCPGEN_TEST_POSTGRES, enable: 'MCPGEN_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test' },
  { name: 'mysql', url: process.env.MCPGEN_TEST_MYSQL, enable: 'MCPGEN_TEST_MYSQL=mysql://root@127.0.0.1:3306/test' }
];
for (const e of engines)
  if (e.name !== 'sqlite' && !e.url) console.warn(`sql-engines: ${e.name} cases skipped; set ${e.enable} to run them`);

const T = 'mcpgen_sqlk_items';
const ddl: Record<Engine['name'], string> = {
  sqlite:
    `CREATE TABLE ${T} (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price NUMERIC, qty ` +
    `BIGINT, day DATE, created DATETIME, data BLOB)`,
  postgres:
    `CREATE TABLE ${T} (id integer PRIMARY KEY, name text NOT NULL UNIQUE, price numeric(10,2), qty ` +
    `bigint, day date, created timestamp, data bytea)`,
  mysql:
    `CREATE TABLE ${T} (id int PRIMARY KEY, name varchar(100) NOT NULL UNIQUE, price decimal(10,2), ` +
    `qty bigint, day date, created datetime, data varbinary(64))`
};
const blob = (engine: Engine['name']) =>
  engine === 'postgres' ? "'\\xdeadbeef'::bytea" : engine === 'mysql' ? "X'DEADBEEF'" : "X'DEADBEEF'";
const rows = (engine: Engine['name']) => [
  `(1, 'apple', 1.50, 9007199254740993, '2024-02-29', '2024-02-29 13:45:00', ${blob(engine)})`,
  `(2, 'banana', 0.25, 5, '2024-03-01', '2024-03-01 08:00:00', NULL)`,
  `(3, 'o''reilly', 2.00, 7, NULL, NULL, NULL)`,
  `(4, 'cherry', 3.10, 1, NULL, NULL, NULL)`,
  `(5, 'date', 4.00, 2, NULL, NULL, NULL)`
];

function manifest(url: string, timeoutMs = 300, isolation?: 'process'): string {
  // SQLite has no sleep: a recursive count that yields a row about every half second, for half a minute. It
  // reads the table, so its file stays locked while it runs: how the tests see that it runs.
  const sqliteSleep =
    `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100000000) SELECT x AS ` +
    `slept FROM c, (SELECT id FROM ${T} LIMIT 1) WHERE x % 2000000 = 0`;
  // Far longer than any test waits: a statement that stopped was stopped, it did not just end.
  const sleep = url.startsWith('postgres')
    ? 'SELECT pg_sleep(30) AS slept'
    : url.startsWith('mysql')
      ? 'SELECT SLEEP(30) AS slept'
      : sqliteSleep;
  return `server: { name: sqlk, version: 1.0.0 }
sources:
  db: { database: "${url}", statementTimeoutMs: ${timeoutMs}${isolation ? `, isolation: ${isolation}` : ''} }
  rw: { database: "${url}", readOnly: false, statementTimeoutMs: ${timeoutMs}${isolation ? `, isolation: ${isolation}` : ''} }
tools:
  - name: find
    description: Items by name, sorted.
    source: db
    sql: |
      SELECT id, name FROM ${T}
      WHERE (:name IS NULL OR name = :name) AND id <= :maxId
      ORDER BY :{sort} :{dir}
    input:
      properties:
        name: { type: string }
        maxId: { type: integer, default: 100 }
        sort: { enum: [id, name], default: id }
        dir: { enum: [asc, desc], default: asc }
  - name: types
    description: Every column of one item.
    source: db
    sql: SELECT id, price, qty, day, created, data FROM ${T} WHERE id = :id
    input: { properties: { id: { type: integer } }, required: [id] }
  - name: paged
    description: All items, two per page.
    source: db
    maxRows: 2
    format: markdown
    sql: SELECT id, name FROM ${T} ORDER BY id
  - name: rename
    description: Renames an item.
    source: rw
    readOnly: false
    sql: UPDATE ${T} SET name = :name WHERE id = :id
    input: { properties: { id: { type: integer } , name: { type: string } }, required: [id, name] }
  - name: slow
    description: Sleeps past the timeout.
    source: db
    sql: ${sleep}
resources:
  - name: item
    uriTemplate: sqlk://items/{id}
    source: db
    sql: SELECT id, name FROM ${T} WHERE id = :id
    complete:
      id: { sql: "SELECT name FROM ${T} WHERE name LIKE :prefix ORDER BY name" }
`;
}

const legacy: Channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };

async function serve(dir: string, yaml: string): Promise<McpCore> {
  const path = join(dir, 'mcp-gen.yaml');
  writeFileSync(path, yaml);
  const result = await build({ manifest: path, check: 'required' });
  if (result.files.size === 0) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  await writeArtifact(result);
  return createCore(await loadArtifact(result.outDir), { log: createLogger('error', () => {}) });
}

async function request(core: McpCore, method: string, params: Record<string, unknown>, signal = new AbortController().signal) {
  const reply = await core.request(1, method, params, legacy, signal);
  return JSON.parse(String(reply.body)) as { result?: Record<string, any>; error?: { message: string } };
}

const call = async (core: McpCore, name: string, args: Record<string, unknown> = {}) =>
  (await request(core, 'tools/call', { name, arguments: args })).result!;

describe.each(engines)('SQL kind on $name $isolation', (engine) => {
  const enabled = engine.name === 'sqlite' || !!engine.url;
  let dir: string;
  let url: string;
  let admin: Knex;
  let core: McpCore;

  beforeAll(async () => {
    if (!enabled) return;
    dir = mkdtempSync(join(tmpdir(), `mcpgen-sqlk-${engine.name}${engine.isolation ?? ''}-`));
    url = engine.name === 'sqlite' ? 'sqlite:./items.db' : engine.url!;
    admin = knexFactory(
      engine.name === 'sqlite'
        ? { client: 'better-sqlite3', connection: { filename: join(dir, 'items.db') }, useNullAsDefault: true }
        : { client: engine.name === 'postgres' ? 'pg' : 'mysql2', connection: engine.url! }
    );
    await admin.raw(`DROP TABLE IF EXISTS ${T}`);
    await admin.raw(ddl[engine.name]);
    await admin.raw(`INSERT INTO ${T} (id, name, price, qty, day, created, data) VALUES ${rows(engine.name).join(', ')}`);
    core = await serve(dir, manifest(url, 300, engine.isolation));
  });
  afterAll(async () => {
    if (!enabled) return;
    core.close();
    await admin.raw(`DROP TABLE IF EXISTS ${T}`).catch(() => undefined);
    await admin.destroy();
  });

  const cases: { given: string; tool: string; args: Record<string, unknown>; want: (r: Record<string, any>) => void }[] = [
    {
      given: 'no arguments: optional values bound as NULL, identifier defaults',
      tool: 'find',
      args: {},
      want: (r) => expect(r.structuredContent.rows.map((x: any) => x.id)).toEqual([1, 2, 3, 4, 5])
    },
    {
      given: 'a string with a quote',
      tool: 'find',
      args: { name: "o'reilly" },
      want: (r) => expect(r.structuredContent.rows).toEqual([{ id: 3, name: "o'reilly" }])
    },
    {
      given: 'injection through a string',
      tool: 'find',
      args: { name: "x' OR '1'='1" },
      want: (r) => expect(r.structuredContent.rows).toEqual([])
    },
    {
      given: 'injection through a comment',
      tool: 'find',
      args: { name: "apple'; DROP TABLE " + T + '; --' },
      want: (r) => expect(r.structuredContent.rowCount).toBe(0)
    },
    { given: 'injection through an integer', tool: 'find', args: { maxId: '1 OR 1=1' }, want: (r) => expect(r.isError).toBe(true) },
    {
      given: 'injection through an identifier',
      tool: 'find',
      args: { sort: 'id; DROP TABLE x' },
      want: (r) => expect(r.isError).toBe(true)
    },
    { given: 'injection through a direction', tool: 'find', args: { dir: 'desc, (SELECT 1)' }, want: (r) => expect(r.isError).toBe(true) },
    {
      given: 'identifiers from the enum',
      tool: 'find',
      args: { sort: 'name', dir: 'desc', maxId: 3 },
      want: (r) => expect(r.structuredContent.rows.map((x: any) => x.name)).toEqual(["o'reilly", 'banana', 'apple'])
    },
    {
      given: 'type round-trip',
      tool: 'types',
      args: { id: 1 },
      want: (r) =>
        expect(r.structuredContent.rows[0]).toEqual({
          id: 1,
          price: engine.name === 'sqlite' ? 1.5 : '1.50',
          qty: '9007199254740993',
          day: '2024-02-29',
          created: engine.name === 'sqlite' ? '2024-02-29 13:45:00' : '2024-02-29T13:45:00',
          data: '3q2+7w=='
        })
    },
    {
      given: 'nulls and small bigints',
      tool: 'types',
      args: { id: 3 },
      want: (r) => expect(r.structuredContent.rows[0]).toMatchObject({ qty: 7, day: null, created: null, data: null })
    },
    {
      given: 'a database error',
      tool: 'rename',
      args: { id: 2, name: 'apple' },
      want: (r) => expect(r).toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/unique|duplicate/i) }] })
    }
  ];

  it.skipIf(!enabled).each(cases)('$given', async ({ tool, args, want }) => {
    want(await call(core, tool, args));
  });

  it.skipIf(!enabled)('infers outputSchema and annotations at build', async () => {
    const list = (await request(core, 'tools/list', {})).result!.tools as Record<string, any>[];
    const types = list.find((t) => t.name === 'types')!;
    expect(Object.keys(types.outputSchema.properties.rows.items.properties)).toEqual(['id', 'price', 'qty', 'day', 'created', 'data']);
    expect(types.annotations).toEqual({ readOnlyHint: true });
    expect(list.find((t) => t.name === 'rename')!.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(types.inputSchema.properties.cursor).toBeDefined();
  });

  it.skipIf(!enabled)('caps rows and pages with a cursor', async () => {
    const first = await call(core, 'paged');
    expect(first.structuredContent).toMatchObject({ rowCount: 2, truncated: true });
    expect(first.content[0].text).toContain('| id | name |');
    expect(first.content[1].text).toContain('rows 1-2 shown');
    const second = await call(core, 'paged', { cursor: first.structuredContent.nextCursor });
    expect(second.structuredContent.rows.map((x: any) => x.id)).toEqual([3, 4]);
    const third = await call(core, 'paged', { cursor: second.structuredContent.nextCursor });
    expect(third.structuredContent).toEqual({ rows: [{ id: 5, name: 'date' }], rowCount: 1 });
    expect(await call(core, 'find', { cursor: first.structuredContent.nextCursor })).toMatchObject({ isError: true });
    expect(await call(core, 'paged', { cursor: 'not-a-cursor' })).toMatchObject({
      isError: true,
      content: [{ text: expect.stringContaining('invalid cursor') }]
    });
  });

  it.skipIf(!enabled)('writes in a transaction through a write tool', async () => {
    expect((await call(core, 'rename', { id: 4, name: 'cherry2' })).structuredContent).toEqual({ rows: [], rowCount: 0, affectedRows: 1 });
    expect((await call(core, 'find', { name: 'cherry2' })).structuredContent.rows).toEqual([{ id: 4, name: 'cherry2' }]);
    await call(core, 'rename', { id: 4, name: 'cherry' });
  });

  it.skipIf(!enabled)('resources, templates and completions', async () => {
    const read = await request(core, 'resources/read', { uri: 'sqlk://items/2' });
    expect(JSON.parse(read.result!.contents[0].text).rows).toEqual([{ id: 2, name: 'banana' }]);
    expect((await request(core, 'resources/read', { uri: 'sqlk://items/99' })).error?.message).toContain('not found');
    // Bound as one value: at most the row whose id the text converts to (MySQL converts leniently), never all.
    const injected = await request(core, 'resources/read', { uri: "sqlk://items/1' OR '1'='1" });
    expect(injected.error ? [] : JSON.parse(injected.result!.contents[0].text).rows.map((r: any) => r.id)).not.toContain(2);
    const done = await request(core, 'completion/complete', {
      ref: { type: 'ref/resource', uri: 'sqlk://items/{id}' },
      argument: { name: 'id', value: 'b%' }
    });
    expect(done.result!.completion.values).toEqual(['banana']);
  });

  it.skipIf(!enabled || engine.name === 'sqlite')('reports a rejected statement at its line:col inside the SQL', async () => {
    const path = join(dir, 'bad.yaml');
    const sql = `SELECT id,\n        name, FROM ${T}\n      WHERE id = :id AND name = :name`;
    writeFileSync(
      path,
      `server: { name: bad, version: 1.0.0 }\nsources:\n  db: { database: "${url}" }\ntools:\n  - ` +
        `name: bad\n    description: Bad.\n    source: db\n    sql: |\n      ${sql}\n    input: { ` +
        `properties: { id: { type: integer }, name: { type: string } } }\n`
    );
    const result = await build({ manifest: path, check: 'required' });
    const [d] = result.diagnostics;
    expect(result.diagnostics).toHaveLength(1);
    expect(d).toMatchObject({ code: 'MCPGEN_SQL_CHECK', pointer: '/tools/0/sql', message: expect.stringMatching(/FROM/) });
    // Line 10 of the manifest, where the stray `FROM` starts.
    expect([d!.at.line, d!.at.col], d!.message).toEqual([10, 15]);
  });

  /** Whether the `slow` statement is running in the database, seen from the admin connection. */
  const slowRunning = async (): Promise<boolean> => {
    if (engine.name === 'sqlite') return reading(join(dir, 'items.db'));
    const found =
      engine.name === 'postgres'
        ? await admin.raw(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(30)%'`)
        : await admin.raw(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(30)%'`);
    const rows = engine.name === 'postgres' ? (found as { rows: { n: number }[] }).rows : (found as [{ n: number }[]])[0];
    return Number(rows[0]!.n) > 0;
  };

  it.skipIf(!enabled)('times out long statements, and the database stops running them', async () => {
    const r = await call(core, 'slow');
    expect(r).toMatchObject({ isError: true, content: [{ text: expect.stringContaining('took longer than 300 ms') }] });
    await waitFor(async () => !(await slowRunning()), 10_000, 'the timed-out statement to stop in the database');
  });

  it.skipIf(!enabled)('a client cancel stops the statement', async () => {
    const controller = new AbortController();
    const pending = request(core, 'tools/call', { name: 'slow', arguments: {} }, controller.signal);
    await waitFor(slowRunning, 10_000, 'the slow statement to start');
    controller.abort();
    await pending.catch(() => undefined);
    await waitFor(async () => !(await slowRunning()), 10_000, 'the cancelled statement to stop in the database');
    // The connection is usable again afterwards.
    expect((await call(core, 'find', { maxId: 1 })).structuredContent.rows).toEqual([{ id: 1, name: 'apple' }]);
  });
});

describe.each(engines.filter((e) => e.name !== 'sqlite'))('outage and recovery on $name', (engine) => {
  let proxy: Server | undefined;
  const sockets = new Set<Socket>();
  afterAll(() => {
    for (const s of sockets) s.destroy();
    proxy?.close();
  });
  it.skipIf(!engine.url)('starts while the database is down, reports it without secrets, then recovers', async () => {
    const real = new URL(engine.url!);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const viaProxy = new URL(engine.url!);
    viaProxy.port = String(port);
    // PostgreSQL here trusts local users whatever the password; MariaDB checks it, so it gets none.
    if (engine.name === 'postgres') viaProxy.password = 'hunter2';
    const dir = mkdtempSync(join(tmpdir(), `mcpgen-sqlk-outage-`));
    const yaml = `server: { name: outage, version: 1.0.0 }
sources:
  db: { database: "\${OUTAGE_DB}" }
tools:
  - { name: one, description: One., source: db, sql: SELECT 1 AS one }
`;
    writeFileSync(join(dir, 'mcp-gen.yaml'), yaml);
    const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: { OUTAGE_DB: viaProxy.href } });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['MCPGEN_SQL_CHECK_SKIPPED']);
    expect(JSON.stringify(result.diagnostics)).not.toContain('hunter2');
    await writeArtifact(result);
    expect(JSON.stringify(result.artifact)).toContain('${OUTAGE_DB}');
    process.env.OUTAGE_DB = viaProxy.href;
    const core = await createCore(await loadArtifact(result.outDir), { log: createLogger('error', () => {}) });
    const down = await call(core, 'one');
    expect(down).toMatchObject({ isError: true, content: [{ text: expect.stringContaining('not available') }] });
    expect(JSON.stringify(down)).not.toMatch(/hunter2|root@|postgres@/);
    proxy = createServer((client) => {
      const upstream = connect(Number(real.port), real.hostname);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy!.listen(port, '127.0.0.1', resolve));
    expect((await call(core, 'one')).structuredContent).toEqual({ rows: [{ one: 1 }], rowCount: 1 });
    core.close();
    delete process.env.OUTAGE_DB;
  });
});
