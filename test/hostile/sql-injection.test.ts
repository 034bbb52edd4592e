/**
 * Hostile input (d): SQL injection through every kind of SQL argument (string, integer, number, boolean,
 * identifier enums, a write tool's value, a resource template variable, a completion prefix), with a generated
 * set of payloads (classic, stacked, UNION, comment, quote-escape, encoding and type-confusion forms). SQLite
 * always; PostgreSQL and MariaDB when MCPGEN_TEST_POSTGRES / MCPGEN_TEST_MYSQL are set. A string comes back
 * only as itself; a typed argument refuses text; the other table is never read; no table is dropped or altered.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { report, sample } from './hostile.js';
import { createCore } from '../../runtime/serve.js';

type EngineName = 'sqlite' | 'postgres' | 'mysql';
const engines: { name: EngineName; url?: string }[] = [
  { name: 'sqlite' },
  { name: 'postgres', url: process.env.MCPGEN_TEST_POSTGRES },
  { name: 'mysql', url: process.env.MCPGEN_TEST_MYSQL }
];
for (const e of engines)
  if (e.name !== 'sqlite' && !e.url)
    console.warn(`hostile sql-injection: ${e.name} skipped; set MCPGEN_TEST_${e.name === 'postgres' ? 'POSTGRES' : 'MYSQL'} to run it`);

const T = 'mcpgen_hostile_items';
const S = 'mcpgen_hostile_secrets';
const MARKER = 'SECRET-ROW-42';
const legacy: Channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };

/** Payloads: fixed classics, then generated combinations of breakout × action × terminator. */
function payloads(): string[] {
  const fixed = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "') OR ('1'='1",
    `'; DROP TABLE ${T}; --`,
    `1; DROP TABLE ${T}`,
    `' UNION SELECT token, token FROM ${S} --`,
    `0 UNION SELECT 1, token FROM ${S}`,
    "\\' OR 1=1 --",
    "%' OR '%'='",
    "' || (SELECT token FROM " + S + ") || '",
    "admin'/*",
    '*/ OR /*',
    '1 OR 1=1',
    '1e3',
    '0x41',
    "' AND SLEEP(1) --",
    "'; SELECT pg_sleep(1); --",
    'NULL',
    'null',
    'true',
    '1',
    '-1',
    '',
    ' ',
    '\u0000',
    "'\u0000 OR 1=1",
    '\u02bc OR 1=1 --',
    '\uff07 OR 1=1 --',
    "''''",
    '%',
    '_',
    '\\',
    "\\'",
    '`',
    '$1',
    '?',
    ':name',
    ':{sort}'
  ];
  const breakouts = ["'", '"', "')", '")', '1', "\\'", '%27', ''];
  const actions = [
    ' OR 1=1',
    ` UNION SELECT token, token FROM ${S}`,
    `; DELETE FROM ${T}`,
    `; UPDATE ${T} SET name='pwned'`,
    ' AND 0',
    ` OR EXISTS(SELECT 1 FROM ${S})`
  ];
  const ends = [' --', ' #', ' /*', ';', ''];
  const generated = breakouts.flatMap((b) => actions.flatMap((a) => ends.map((e) => b + a + e)));
  return [...fixed, ...generated];
}

function manifest(url: string): string {
  return `server: { name: sqlhostile, version: 1.0.0 }
sources:
  db: { database: "${url}" }
  rw: { database: "${url}", readOnly: false }
tools:
  - name: by_name
    description: Items by exact name.
    source: db
    sql: SELECT id, name FROM ${T} WHERE name = :name ORDER BY :{sort} :{dir}
    input:
      properties:
        name: { type: string }
        sort: { enum: [id, name], default: id }
        dir: { enum: [asc, desc], default: asc }
      required: [name]
  - name: like
    description: Items whose name starts with a prefix.
    source: db
    sql: SELECT id, name FROM ${T} WHERE name LIKE :prefix
    input: { properties: { prefix: { type: string } }, required: [prefix] }
  - name: typed
    description: Items by id, price and flag.
    source: db
    sql: SELECT id, name FROM ${T} WHERE id = :id OR price > :price OR (:flag = ${url.startsWith('postgres') ? 'true' : '1'} AND id < 0)
    input: { properties: { id: { type: integer }, price: { type: number }, flag: { type: boolean } }, required: [id, price, flag] }
  - name: rename
    description: Renames item 3.
    source: rw
    readOnly: false
    sql: UPDATE ${T} SET name = :name WHERE id = 3
    input: { properties: { name: { type: string } }, required: [name] }
resources:
  - name: item
    uriTemplate: hostile://items/{id}
    source: db
    sql: SELECT id, name FROM ${T} WHERE id = :id
    complete:
      id: { sql: "SELECT name FROM ${T} WHERE name LIKE :prefix ORDER BY name" }
`;
}

describe.each(engines)('SQL injection on $name', (engine) => {
  const enabled = engine.name === 'sqlite' || !!engine.url;
  let admin: Knex;
  let core: McpCore;
  const names = ['apple', 'banana', "o'reilly"];

  beforeAll(async () => {
    if (!enabled) return;
    const dir = mkdtempSync(join(tmpdir(), `mcpgen-sqli-${engine.name}-`));
    const url = engine.name === 'sqlite' ? 'sqlite:./items.db' : engine.url!;
    admin = knexFactory(
      engine.name === 'sqlite'
        ? { client: 'better-sqlite3', connection: { filename: join(dir, 'items.db') }, useNullAsDefault: true }
        : { client: engine.name === 'postgres' ? 'pg' : 'mysql2', connection: engine.url! }
    );
    for (const t of [T, S]) await admin.raw(`DROP TABLE IF EXISTS ${t}`);
    await admin.raw(`CREATE TABLE ${T} (id integer PRIMARY KEY, name varchar(300) NOT NULL, price numeric(10,2))`);
    await admin.raw(`CREATE TABLE ${S} (token varchar(100))`);
    await admin(T).insert(names.map((name, i) => ({ id: i + 1, name, price: i + 1 })));
    await admin(S).insert({ token: MARKER });
    writeFileSync(join(dir, 'mcp-gen.yaml'), manifest(url));
    const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), check: 'required' });
    if (result.files.size === 0) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    await writeArtifact(result);
    core = await createCore(await loadArtifact(result.outDir), { log: createLogger('error', () => {}) });
  });
  afterAll(async () => {
    if (!enabled) return;
    core.close();
    for (const t of [T, S]) await admin.raw(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
    await admin.destroy();
  });

  const request = async (method: string, params: Record<string, unknown>) =>
    String((await core.request(1, method, params, legacy, new AbortController().signal)).body);
  const rowsOf = (body: string): { id: number; name: string }[] | undefined => JSON.parse(body).result?.structuredContent?.rows;

  it.skipIf(!enabled)('every payload through every argument is data, never SQL', async () => {
    const failures: string[] = [];
    let cases = 0;
    const check = (what: string, body: string, ok: (b: string) => boolean) => {
      cases++;
      if (body.includes(MARKER) || body.includes('"code":-32603') || !ok(body)) failures.push(`${what}: ${body.slice(0, 200)}`);
    };
    for (const p of payloads()) {
      // A string is compared as itself: only a row whose name is exactly the payload comes back.
      check(`by_name ${JSON.stringify(p)}`, await request('tools/call', { name: 'by_name', arguments: { name: p } }), (b) =>
        (rowsOf(b) ?? []).every((r) => r.name === p)
      );
      check(`like ${JSON.stringify(p)}`, await request('tools/call', { name: 'like', arguments: { prefix: p } }), (b) =>
        (rowsOf(b) ?? []).every((r) => names.includes(r.name))
      );
      // Typed arguments refuse text; enums refuse anything else.
      for (const [arg, args] of [
        ['id', { id: p, price: 0, flag: false }],
        ['price', { id: 1, price: p, flag: false }],
        ['flag', { id: 1, price: 0, flag: p }]
      ] as const) {
        check(
          `typed.${arg} ${JSON.stringify(p)}`,
          await request('tools/call', { name: 'typed', arguments: args }),
          (b) =>
            JSON.parse(b).result?.isError === true ||
            /^-?\d+(\.\d+)?$/.test(p) ||
            p === 'true' ||
            p === 'NULL' ||
            p === 'null' ||
            p === '1e3' ||
            p === '0x41' ||
            p.trim() === ''
        );
      }
      for (const arg of ['sort', 'dir'])
        check(
          `by_name.${arg} ${JSON.stringify(p)}`,
          await request('tools/call', { name: 'by_name', arguments: { name: 'apple', [arg]: p } }),
          (b) => JSON.parse(b).result?.isError === true
        );
      check(`item ${JSON.stringify(p)}`, await request('resources/read', { uri: `hostile://items/${encodeURIComponent(p)}` }), (b) => {
        const text = JSON.parse(b).result?.contents?.[0]?.text;
        return text === undefined || JSON.parse(text).rows.length <= 1;
      });
      check(
        `complete ${JSON.stringify(p)}`,
        await request('completion/complete', {
          ref: { type: 'ref/resource', uri: 'hostile://items/{id}' },
          argument: { name: 'id', value: p }
        }),
        (b) => ((JSON.parse(b).result?.completion?.values as string[] | undefined) ?? []).every((v) => names.includes(v))
      );
    }
    // The write tool stores each payload literally (a sample: each write is a transaction).
    for (const p of payloads().filter((_, i) => i % 7 === 0)) {
      check(
        `rename ${JSON.stringify(p)}`,
        await request('tools/call', { name: 'rename', arguments: { name: p } }),
        (b) => JSON.parse(b).result?.isError !== true || p.includes('\u0000')
      );
      const stored = (await admin(T).where({ id: 3 }).first()) as { name: string } | undefined;
      cases++;
      if (!p.includes('\u0000') && stored?.name !== p) failures.push(`rename ${JSON.stringify(p)} stored ${JSON.stringify(stored?.name)}`);
    }
    await admin(T).where({ id: 3 }).update({ name: "o'reilly" });
    report(`sql-injection ${engine.name}`, cases, failures);
    expect(failures, sample(failures)).toEqual([]);
    expect(Number(((await admin(T).count({ n: '*' }).first()) as { n: number | string }).n)).toBe(3);
    // An executed UPDATE payload would leave a row named exactly 'pwned' (the rename tool stores whole payloads).
    expect(await admin(T).where({ name: 'pwned' }).first()).toBeUndefined();
    expect((await admin(S).select('token')).map((r: { token: string }) => r.token)).toEqual([MARKER]);
  });

  it.skipIf(!enabled)('control: normal arguments return rows', async () => {
    expect(rowsOf(await request('tools/call', { name: 'by_name', arguments: { name: "o'reilly" } }))).toEqual([
      { id: 3, name: "o'reilly" }
    ]);
    expect(rowsOf(await request('tools/call', { name: 'typed', arguments: { id: 2, price: 100, flag: false } }))?.map((r) => r.id)).toEqual(
      [2]
    );
  });
});
