#!/usr/bin/env node
// npm run bench:cache: what the result cache (`cache:`) saves on a SQL resource. One SQLite database (specs/shop.sql)
// served by mcp-gen processes of the same build in one run, in interleaved slices: the resource template
// without cache: (the query on every read), with cache: and every read a hit (the same URI), and with cache: and
// every read a miss (a new URI each time: the query, plus storing the result), and for information without cache: with a
// new URI each time (the misses' fair baseline). Reports each server's CPU per request
// and the ratios. Writes its section of docs/benchmarks.md.
//
//   npm run bench:cache -- --check     exit 1 when a target is missed
//   npm run bench:cache -- --no-write  do not rewrite docs/benchmarks.md
//   BENCH_SECONDS / BENCH_ROUNDS / BENCH_WARMUP / BENCH_CONNECTIONS as in the other benches
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, resolve } from 'node:path';
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
const repo = resolve(import.meta.dirname, '..', '..');
const cli = join(repo, 'dist', 'generators', 'cli', 'main.js');
const argv = process.argv.slice(2);

/** A hit must cost at most this share of the CPU a miss costs (the query and the shaping are what it skips). */
const TARGET = 0.5;
/** One customer's latest orders: an indexed lookup, a sort and 10 rows; `nonce` only makes URIs unique. */
const SQL =
  'SELECT id, ordered_on, status, total, :nonce AS nonce FROM orders WHERE customer_id = :customer ORDER BY ordered_on DESC, id DESC LIMIT 10';

function build(dir, database, cache) {
  mkdirSync(dir, { recursive: true });
  const manifest = join(dir, 'mcp-gen.yaml');
  writeFileSync(
    manifest,
    [
      'server: { name: cache-bench, version: "1" }',
      'sources:',
      `  shop: { database: ${JSON.stringify(`sqlite:${database}`)}, readOnly: true }`,
      'resources:',
      '  - name: orders',
      '    description: A customer’s latest orders.',
      '    uriTemplate: shop://orders/{customer}/{nonce}',
      '    source: shop',
      `    sql: ${JSON.stringify(SQL)}`,
      ...(cache ? ['    cache: { ttl: 3600 }'] : []),
      ''
    ].join('\n')
  );
  execFileSync(process.execPath, [cli, 'build', '-m', manifest], { stdio: 'pipe' });
  return join(dir, '.mcp-gen');
}

const read = (uri) => modernRequest('resources/read', { uri }, uri);

/** A new URI for every request: each read is a miss (autocannon calls setupRequest per request). */
function everyReadNew() {
  let n = 0;
  const { method, headers } = read('shop://orders/2/0');
  return {
    requests: [
      {
        method,
        headers,
        setupRequest: (req) => {
          const uri = `shop://orders/2/${++n}`;
          return { ...req, headers: { ...req.headers, 'mcp-name': uri }, body: read(uri).body };
        }
      }
    ]
  };
}

const MCP_URL = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/;

async function main() {
  const check = argv.includes('--check');
  const write = !argv.includes('--no-write');
  const settings = loadSettings();
  const temp = mkdtempSync(join(os.tmpdir(), 'mcpgen-bench-cache-'));
  const servers = [];
  try {
    const Database = require('better-sqlite3');
    const file = join(temp, 'shop.db');
    const db = new Database(file);
    db.exec(readFileSync(join(repo, 'specs', 'shop.sql'), 'utf8'));
    db.close();
    const plain = build(join(temp, 'plain'), file, false);
    const cached = build(join(temp, 'cached'), file, true);
    const args = (out) => [cli, 'run', '-o', out, '--http', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn'];
    const configs = [
      { label: 'no cache: (the query on every read)', out: plain, request: read('shop://orders/2/0') },
      { label: 'cache:, every read a miss', out: cached, request: everyReadNew() },
      { label: 'cache:, every read a hit', out: cached, request: read('shop://orders/2/0') },
      // The miss reads a new URI each time: the same without cache: separates what storing costs from what new URIs do.
      { label: 'no cache:, a new URI every read (information)', out: plain, request: everyReadNew() }
    ];
    log('\nresources/read of a SQL resource template under load, interleaved');
    const targets = [];
    for (const [i, c] of configs.entries()) {
      const s = await startServer(c.label, args(c.out), MCP_URL, process.env, { stderrFile: join(temp, `server-${i}.log`) });
      servers.push(s);
      targets.push({ label: c.label, url: s.url, request: c.request, pid: s.child.pid, stderr: s.stderr });
    }
    const rows = await interleavedLoad(targets, settings);
    const [plainRow, missRow, hitRow, plainNewRow] = rows;
    for (const row of rows) {
      row.cpuRatio = median(row.cpuRounds.map((x, k) => x / plainRow.cpuRounds[k]));
      log(`  ${row.label}: ${fmtInt(row.rps)} req/s, ${fmtInt(row.cpuMicros)} µs CPU/request (${row.cpuRatio.toFixed(2)}× no cache)`);
    }
    const hitVsMiss = median(hitRow.cpuRounds.map((x, k) => x / missRow.cpuRounds[k]));
    const rpsHitVsMiss = median(hitRow.rounds.map((x, k) => x / missRow.rounds[k]));
    const pass = hitVsMiss <= TARGET;
    const summary = [
      [
        'CPU per request, hit vs miss',
        `≤ ${TARGET} ×`,
        `${hitVsMiss.toFixed(2)}× (${fmtInt(hitRow.cpuMicros)} vs ${fmtInt(missRow.cpuMicros)} µs); ${rpsHitVsMiss.toFixed(2)}× req/s`,
        verdict(pass)
      ],
      [
        'CPU per request, miss vs no cache with new URIs (what storing costs)',
        'information',
        `${median(missRow.cpuRounds.map((x, k) => x / plainNewRow.cpuRounds[k])).toFixed(2)}×`,
        ''
      ]
    ];
    log('');
    for (const r of summary) log(`  ${r.join('  ')}`);
    if (write) writeSection(join(repo, 'docs', 'benchmarks.md'), 'cache-bench', markdown(summary, rows, settings));
    return check && !pass ? 1 : 0;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(temp, { recursive: true, force: true });
  }
}

function markdown(summary, rows, settings) {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
  return `<!-- cache-bench:start -->
## Result cache

Generated by \`npm run bench:cache\` (\`test/bench/cache.mjs\`) on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}:
Node ${process.version}, ${cpus.length} × ${cpus[0]?.model?.trim() || 'unknown'}, load average at the end ${load}.

\`resources/read\` (2026-07-28, JSON response) of a SQL resource template on SQLite (\`specs/shop.sql\`: one
customer's 10 latest orders, an indexed lookup and a sort), served by mcp-gen processes in one run: without
\`cache:\`, with \`cache: { ttl: 3600 }\` and a new URI on every read (every read a miss: the query, then the result
stored in the in-memory LRU), and with the same URI on every read (every read a hit: authorization, the key, the
LRU lookup and \`JSON.parse\` of the stored result; no query); for information, without \`cache:\` and a new URI on every
read, the fair baseline of the misses (the in-memory store grows by every miss during the run, which the garbage
collector pays for). ${settings.connections} connections,
${settings.seconds} s per server in ${settings.rounds} interleaved slices; ratios are medians over slices of CPU
per request of the server's process (lower is cheaper). The load generator shares the machine's cores.

${table(['Scenario', 'Target', 'Measured', 'Result'], summary, 'llll')}

${table(
  ['Server', 'req/s', 'CPU/request', '× no cache (CPU)', 'p50 (ms)', 'p99 (ms)'],
  rows.map((r) => [r.label, fmtInt(r.rps), `${fmtInt(r.cpuMicros)} µs`, r.cpuRatio.toFixed(2), String(r.p50), String(r.p99)])
)}
<!-- cache-bench:end -->
`;
}

process.once('exit', killChildren);
let code;
try {
  code = await main();
} catch (e) {
  log(`\ncache bench failed: ${e instanceof HarnessError ? e.message : (e?.stack ?? String(e))}`);
  code = 2;
} finally {
  killChildren();
}
process.exit(code);
