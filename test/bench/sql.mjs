#!/usr/bin/env node
// npm run bench:sql: the SQL kind's call overhead. A SQL-backed tool served by `mcp-gen run --http` against a
// raw node:http server running the same query with the same driver, on SQLite (better-sqlite3) and on
// PostgreSQL (pg pool), all five in one run (the fifth, SQLite with `isolation: process`, for information), in
// interleaved slices. Writes the "SQL" section of docs/benchmarks.md (between its markers; the rest of the file is left alone).
//
//   npm run bench:sql                       full run (about a minute on 2 cores)
//   npm run bench:sql -- --check            exit 1 when a target is missed (2: the harness broke)
//   npm run bench:sql -- --no-write         leave docs/benchmarks.md alone
//   BENCH_SECONDS=10 BENCH_ROUNDS=5 BENCH_WARMUP=2 BENCH_CONNECTIONS=50
//   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test   the server and an existing database to connect to
//                                           first (default: MCPGEN_TEST_POSTGRES, then that URL); the bench
//                                           creates a database of its own there, loads specs/shop.sql, drops it
//
// The same file is also the raw servers (`--role raw-sqlite` and `--role raw-pg`), so each runs in its own
// process, like mcp-gen.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  fmtInt,
  HarnessError,
  interleavedLoad,
  killChildren,
  loadSettings,
  log,
  median,
  modernRequest,
  startServer,
  table,
  verdict,
  writeSection
} from './harness.mjs';

const require = createRequire(import.meta.url);
const self = fileURLToPath(import.meta.url);
const repo = resolve(import.meta.dirname, '..', '..');
const cli = join(repo, 'dist', 'generators', 'cli', 'main.js');
const docsFile = join(repo, 'docs', 'benchmarks.md');
const shopSql = join(repo, 'specs', 'shop.sql');
const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);

const TARGET = 0.5;
const POOL_MAX = 10;
/** One customer's latest orders: an indexed lookup, a sort and 10 rows of dates, text and decimals. */
const QUERY = {
  named: 'SELECT id, ordered_on, status, total FROM orders WHERE customer_id = :customer_id ORDER BY ordered_on DESC, id DESC LIMIT :limit',
  positional: 'SELECT id, ordered_on, status, total FROM orders WHERE customer_id = $1 ORDER BY ordered_on DESC, id DESC LIMIT $2'
};
const ARGS = { customer_id: 2, limit: 10 };
const TOOL = 'customer_orders';

// ---------------------------------------------------------------------------------------------------------
// The raw servers: node:http, JSON.parse, the query with the driver, the same result envelope as mcp-gen's
// (rows and rowCount as structuredContent, their JSON as text). No MCP library, no argument validation.
// ---------------------------------------------------------------------------------------------------------

function serveRaw(run) {
  const json = { 'content-type': 'application/json' };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      let id = null;
      try {
        const msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        id = msg.id;
        const rows = await run(msg.params.arguments);
        const structuredContent = { rows, rowCount: rows.length };
        const body = JSON.stringify({
          jsonrpc: '2.0',
          id,
          result: { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent }
        });
        res.writeHead(200, json).end(body);
      } catch (e) {
        res.writeHead(200, json).end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32603, message: String(e?.message ?? e) } }));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening http://127.0.0.1:${server.address().port}/mcp\n`));
}

function serveRawSqlite(file) {
  const Database = require('better-sqlite3');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const statement = db.prepare(QUERY.named);
  serveRaw(async (args) => statement.all({ customer_id: args.customer_id, limit: args.limit ?? 20 }));
}

function serveRawPg(url) {
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: url, max: POOL_MAX });
  serveRaw(async (args) => (await pool.query(QUERY.positional, [args.customer_id, args.limit ?? 20])).rows);
}

// ---------------------------------------------------------------------------------------------------------
// Plumbing.
// ---------------------------------------------------------------------------------------------------------

let tempRoot;
let pgAdmin;

function cleanup() {
  killChildren();
  if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
  tempRoot = undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The databases and the mcp-gen builds.
// ---------------------------------------------------------------------------------------------------------

function sqliteDatabase() {
  const Database = require('better-sqlite3');
  const file = join(tempRoot, 'shop.db');
  const db = new Database(file);
  db.exec(readFileSync(shopSql, 'utf8'));
  db.close();
  return file;
}

/** A database of the bench's own on the PostgreSQL server of `base`, loaded with specs/shop.sql. */
async function pgDatabase(base) {
  const { Client } = require('pg');
  const name = `mcpgen_bench_sql_${process.pid}`;
  pgAdmin = { base, name };
  const admin = new Client({ connectionString: base, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (e) {
    throw new HarnessError(`PostgreSQL at ${redact(base)} is unreachable (${e.message}): start it, or set BENCH_PG_URL`);
  }
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = base.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(readFileSync(shopSql, 'utf8'));
  } finally {
    await db.end();
  }
  return url;
}

async function dropPgDatabase() {
  if (!pgAdmin) return;
  const { Client } = require('pg');
  const admin = new Client({ connectionString: pgAdmin.base });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pgAdmin.name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  pgAdmin = undefined;
}

const redact = (url) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

function buildManifest(name, database, extra = '') {
  const dir = join(tempRoot, name);
  mkdirSync(dir, { recursive: true });
  const manifest = [
    `server: { name: ${name}, version: "1" }`,
    'sources:',
    `  shop: { database: ${JSON.stringify(database)}, readOnly: true, pool: { min: 0, max: ${POOL_MAX} }${extra} }`,
    'tools:',
    `  - name: ${TOOL}`,
    "    description: A customer's latest orders.",
    '    source: shop',
    '    format: json',
    `    sql: ${JSON.stringify(QUERY.named)}`,
    '    input:',
    '      properties:',
    '        customer_id: { type: integer, minimum: 1 }',
    '        limit: { type: integer, minimum: 1, maximum: 100, default: 20 }',
    '      required: [customer_id]',
    ''
  ].join('\n');
  writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
  const out = join(dir, '.mcp-gen');
  try {
    execFileSync(process.execPath, [cli, 'build', '-m', join(dir, 'mcp-gen.yaml'), '-o', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8'
    });
  } catch (e) {
    throw new HarnessError(`mcp-gen build of the ${name} manifest failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The load.
// ---------------------------------------------------------------------------------------------------------

const callRequest = modernRequest('tools/call', { name: TOOL, arguments: ARGS }, TOOL);

/** One call before any load: the server answers rows, and the same rows as the others. */
async function checkAnswer(target) {
  const res = await fetch(target.url, { method: 'POST', headers: callRequest.headers, body: callRequest.body });
  const text = await res.text();
  let result;
  try {
    result = JSON.parse(text).result;
  } catch {
    /* reported below */
  }
  const rows = result?.structuredContent?.rows;
  if (res.status !== 200 || result?.isError || !Array.isArray(rows) || rows.length !== ARGS.limit) {
    throw new HarnessError(`${target.label} answered ${res.status} ${text.slice(0, 500)}\n${target.server.stderr()}`);
  }
  return rows.map((r) => r.id).join(',');
}

async function measure(settings, pgBase) {
  const servers = [];
  try {
    const sqliteFile = sqliteDatabase();
    const pgUrl = await pgDatabase(pgBase);
    const sqliteOut = buildManifest('shop-sqlite', `sqlite:${sqliteFile}`);
    const pgOut = buildManifest('shop-postgres', pgUrl);
    const sqliteProcessOut = buildManifest('shop-sqlite-process', `sqlite:${sqliteFile}`, ', isolation: process');
    const run = (out) => [cli, 'run', '-o', out, '--http', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn'];
    const start = async (label, args) => {
      const server = await startServer(label, args, /(http:\/\/127\.0\.0\.1:\d+\/mcp)/);
      servers.push(server);
      return server;
    };
    const targets = [
      {
        engine: 'SQLite',
        label: 'raw node:http + better-sqlite3',
        server: await start('raw sqlite', [self, '--role', 'raw-sqlite', '--db', sqliteFile])
      },
      { engine: 'SQLite', label: 'mcp-gen run --http', server: await start('mcp-gen (sqlite)', run(sqliteOut)) },
      {
        engine: 'PostgreSQL',
        label: `raw node:http + pg pool (max ${POOL_MAX})`,
        server: await start('raw pg', [self, '--role', 'raw-pg', '--url', pgUrl])
      },
      { engine: 'PostgreSQL', label: 'mcp-gen run --http', server: await start('mcp-gen (postgres)', run(pgOut)) },
      // For information (no target): the SQLite source in a process of its own, which a stop kills at once.
      {
        engine: 'SQLite',
        label: 'mcp-gen run --http, `isolation: process`',
        server: await start('mcp-gen (sqlite, process)', run(sqliteProcessOut))
      }
    ];
    for (const t of targets) t.url = t.server.url;
    const answers = await Promise.all(targets.map(checkAnswer));
    if (new Set(answers).size !== 1) throw new HarnessError(`the servers answered different rows: ${answers.join(' | ')}`);

    // Each round starts with another server, so none always runs right after the same neighbour; 200 ms after each
    // slice, as this bench always paused, so the next slice does not start on its heels.
    const loaded = await interleavedLoad(
      targets.map((t) => ({
        label: `${t.engine}, ${t.label}`,
        url: t.url,
        request: callRequest,
        pid: t.server.child.pid,
        stderr: t.server.stderr
      })),
      { ...settings, pauseMs: 200 }
    );
    const rows = targets.map((t, i) => {
      const { rps, p50, p99, rounds } = loaded[i];
      const row = { engine: t.engine, label: t.label, rps, p50, p99, rounds };
      log(`  ${row.engine}, ${row.label}: ${fmtInt(row.rps)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms`);
      return row;
    });
    // mcp-gen over its raw counterpart, slice by slice (both measured in the same round).
    const versus = (row, raw) => median(row.rounds.map((x, k) => x / raw.rounds[k]));
    for (let i = 0; i < 4; i += 2) {
      rows[i].ratio = 1;
      rows[i + 1].ratio = versus(rows[i + 1], rows[i]);
    }
    rows[4].ratio = versus(rows[4], rows[0]);
    const pairs = [0, 2].map((i) => ({
      engine: rows[i].engine,
      raw: rows[i],
      gen: rows[i + 1],
      ratio: rows[i + 1].ratio,
      pass: rows[i + 1].ratio >= TARGET
    }));
    return { rows, pairs };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await dropPgDatabase();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Report.
// ---------------------------------------------------------------------------------------------------------

function markdown(result, settings, env) {
  return `<!-- sql-bench:start -->
## SQL

Generated by \`npm run bench:sql\` (\`test/bench/sql.mjs\`) on ${env.date}: Node ${env.node}, ${env.cores} × ${env.cpu}
(a ${env.cores}-core machine: the five servers, PostgreSQL and autocannon share those cores, so absolute figures are low
and the ratios are what to compare), load average ${env.loadStart} at start, ${env.loadEnd} at the end
(above 2, other work was sharing the two cores during the run: rerun on a quiet machine before comparing).
SQLite ${env.sqlite} (better-sqlite3 ${env.betterSqlite}), PostgreSQL ${env.postgres} (pg ${env.pg}).

${table(
  ['Scenario', 'Target', 'Measured', 'Result'],
  result.pairs.map((p) => [
    `${p.engine}-backed tools/call over HTTP`,
    `≥ ${TARGET} × raw req/s`,
    `${p.ratio.toFixed(2)}× raw (${fmtInt(p.gen.rps)} vs ${fmtInt(p.raw.rps)} req/s)`,
    verdict(p.pass)
  ]),
  'llll'
)}

One tool, \`${TOOL}\`, with \`customer_id\` ${ARGS.customer_id} and \`limit\` ${ARGS.limit} (an indexed lookup, \
a sort, ${ARGS.limit} rows of
integers, dates, text and decimals) on the [shop](../specs/shop.sql) data, on each engine:

\`\`\`sql
${QUERY.named.replace(' ORDER BY', '\nORDER BY')}
\`\`\`

mcp-gen serves it with \`mcp-gen run --http\` (read-only source, pool max ${POOL_MAX}, \`format: json\`); the raw
servers are node:http with the same driver (a better-sqlite3 statement prepared once, opened read-only; a pg
Pool of ${POOL_MAX}) answering the same JSON-RPC envelope (\`structuredContent\` with the rows and \`rowCount\`, their JSON as
text), without MCP, argument validation or value normalisation. Each server is its own process. mcp-gen runs SQLite
statements in a thread of their own (so a long statement never stalls other clients and can be stopped at its
timeout); the raw SQLite server runs them on its only thread, as a minimal better-sqlite3 server would. The last
row is the same SQLite tool with \`isolation: process\` (statements in a process of their own, killed at once when
stopped), compared with the raw SQLite server, for information. autocannon
(${settings.connections} connections, keep-alive) sends 2026-07-28 \`tools/call\` requests to all five; ${settings.warmup} s warm-up each,
then ${settings.seconds} s each in ${settings.rounds} interleaved slices. The ratio is the median of the per-slice ratios.

${table(
  ['Engine', 'Server', 'req/s', '× raw', 'p50 (ms)', 'p99 (ms)'],
  result.rows.map((r) => [r.engine, r.label, fmtInt(r.rps), `${r.ratio.toFixed(2)}×`, r.p50, r.p99]),
  'llrrrr'
)}

\`\`\`sh
npm run bench:sql                 # compiles, runs both engines, rewrites this section (about a minute)
npm run bench:sql -- --check      # exits 1 when a target is missed
npm run bench:sql -- --no-write   # leaves this file alone
npm run bench                     # every bench, this section included
\`\`\`
<!-- sql-bench:end -->
`;
}

async function versions(pgUrl) {
  const Database = require('better-sqlite3');
  const mem = new Database(':memory:');
  const sqlite = mem.prepare('SELECT sqlite_version() AS v').get().v;
  mem.close();
  const { Client } = require('pg');
  const c = new Client({ connectionString: pgUrl });
  await c.connect();
  const postgres = (await c.query('SHOW server_version')).rows[0].server_version.split(' ')[0];
  await c.end();
  const version = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  return { sqlite, postgres, betterSqlite: version('better-sqlite3'), pg: version('pg') };
}

async function main() {
  const check = argv.includes('--check');
  const write = !argv.includes('--no-write');
  if (!existsSync(cli)) throw new HarnessError(`${cli} is missing: run \`npx tsc -p .\` (npm run bench:sql does) first`);
  const settings = loadSettings({ rounds: 5 });
  const pgBase = process.env.BENCH_PG_URL || process.env.MCPGEN_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';
  const cpus = os.cpus();
  const env = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    node: process.version,
    cpu: cpus[0]?.model?.trim() || 'unknown',
    cores: cpus.length,
    loadStart: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')
  };
  log(`mcp-gen SQL bench: node ${env.node}, ${env.cores} × ${env.cpu}, load average ${env.loadStart}`);
  const started = performance.now();
  tempRoot = mkdtempSync(join(os.tmpdir(), 'mcpgen-bench-sql-'));
  const result = await measure(settings, pgBase);
  Object.assign(env, await versions(pgBase));
  env.loadEnd = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
  log('');
  for (const p of result.pairs) log(`${p.engine}: mcp-gen ${p.ratio.toFixed(2)}× raw (target ≥ ${TARGET}×) ${verdict(p.pass)}`);
  log(`bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (write) {
    writeSection(docsFile, 'sql-bench', markdown(result, settings, env));
    log(`wrote the SQL section of ${relative(process.cwd(), docsFile) || docsFile}`);
  }
  return check && result.pairs.some((p) => !p.pass) ? 1 : 0;
}

const role = option('--role');
if (role === 'raw-sqlite') serveRawSqlite(option('--db'));
else if (role === 'raw-pg') serveRawPg(option('--url'));
else if (role !== undefined) {
  process.stderr.write(`unknown role ${role}\n`);
  process.exit(2);
} else {
  process.once('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
  let code;
  try {
    code = await main();
  } catch (e) {
    process.stderr.write(`\nSQL bench harness failed: ${e instanceof HarnessError ? e.message : (e?.stack ?? String(e))}\n`);
    code = 2;
  } finally {
    try {
      await dropPgDatabase();
    } catch {
      /* the server went away: nothing left to drop */
    }
    cleanup();
  }
  process.exit(code);
}
