#!/usr/bin/env node
// npm run bench:state: what a Redis state store costs a 2025-11-25 session. The echo tools/call inside one open
// session per connection, served by two mcp-gen processes of the same artifact in one run: state in memory and
// state in the machine's Redis (MCPGEN_TEST_REDIS, default redis://127.0.0.1:6379), interleaved slices. Reported:
// the ratio of CPU per request of the server process (memory's over Redis's: higher is cheaper), the req/s ratio,
// the Redis commands each request sent (INFO's total_commands_processed over the slices: the round trips), the
// Redis server's own CPU per request, and the memory an idle session takes in Redis (used_memory growth and
// MEMORY USAGE of its keys over 1000 sessions). Writes its section of docs/benchmarks.md.
//
//   npm run bench:state -- --no-write   do not rewrite docs/benchmarks.md
//   npm run bench:state -- --check      exit 1 when the target is missed
//   BENCH_SECONDS / BENCH_ROUNDS / BENCH_WARMUP / BENCH_CONNECTIONS as in the other benches
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import {
  cpuTicks,
  clockTicks,
  fmtInt,
  HarnessError,
  interleavedLoad,
  killChildren,
  loadSettings,
  log,
  median,
  startServer,
  table,
  verdict,
  writeSection
} from './harness.mjs';

const repo = resolve(import.meta.dirname, '..', '..');
const cli = join(repo, 'dist', 'generators', 'cli', 'main.js');
const argv = process.argv.slice(2);
const REDIS = process.env.MCPGEN_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const LEGACY = '2025-11-25';
/** The issue's target: CPU per request with Redis state at least this share of memory state's (memory / Redis). */
const TARGET = 0.6;
const IDLE_SESSIONS = 1000;
const MCP_URL = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/;

function build(dir, prefix) {
  mkdirSync(dir, { recursive: true });
  const manifest = join(dir, 'mcp-gen.yaml');
  writeFileSync(
    manifest,
    `server: { name: state-bench, version: "1" }
transport: { maxSessions: 100000, maxSessionsPerPrincipal: 100000 }
state: { prefix: "${prefix}" }
tools:
  - name: echo
    description: Echo the text back.
    input: { properties: { text: { type: string } }, required: [text] }
    template: "{{text}}"
`
  );
  execFileSync(process.execPath, [cli, 'build', '-m', manifest], { stdio: 'pipe' });
  return join(dir, '.mcp-gen');
}

const jsonHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** Opens a 2025-11-25 session (initialize, then notifications/initialized); resolves with its id. */
async function openSession(url) {
  const init = await fetch(url, {
    method: 'POST',
    headers: jsonHeaders,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'bench', version: '1' } }
    })
  });
  const id = init.headers.get('mcp-session-id');
  await init.text();
  if (!id) throw new HarnessError(`initialize answered ${init.status} without a session`);
  const headers = { ...jsonHeaders, 'mcp-session-id': id, 'mcp-protocol-version': LEGACY };
  const ack = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  await ack.text();
  return id;
}

/**
 * The echo call, each connection of the load in a session of its own (as many clients would be): `sessions` are
 * handed out as autocannon opens its connections.
 */
function callIn(sessions) {
  let next = 0;
  return {
    method: 'POST',
    headers: { ...jsonHeaders, 'mcp-protocol-version': LEGACY },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } }),
    setupClient: (client) => {
      const session = sessions[next++ % sessions.length];
      client.setHeaders({ ...jsonHeaders, 'mcp-protocol-version': LEGACY, 'mcp-session-id': session });
    }
  };
}

const openSessions = (url, n) => Promise.all(Array.from({ length: n }, () => openSession(url)));

/** calls= of each command in INFO commandstats. */
async function commandCalls(redis) {
  const calls = new Map();
  for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) calls.set(m[1], Number(m[2]));
  return calls;
}

/**
 * What Redis did per request over a fixed number of requests to the Redis-state server: scripts called (EVALSHA, EVAL:
 * each one round trip), every command it ran (a script's own calls included: Redis counts those too), and its CPU.
 */
async function redisCost(redis, target, amount = 5000) {
  const { default: autocannon } = await import('autocannon');
  const pid = infoField(await redis.info('server'), 'process_id');
  const before = await commandCalls(redis);
  const ticksBefore = cpuTicks(pid);
  const r = await autocannon({ url: target.url, ...target.request, connections: 10, amount });
  const ticks = (cpuTicks(pid) ?? Number.NaN) - (ticksBefore ?? Number.NaN);
  const after = await commandCalls(redis);
  if (r.non2xx || r.errors) throw new HarnessError(`${target.label}: ${r.non2xx + r.errors} failed requests while counting Redis commands`);
  const delta = (name) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  // The readings' own INFO calls are not the server's.
  const all = [...after.keys()].reduce((sum, name) => sum + delta(name), 0) - delta('info');
  const n = r.requests.total;
  return { scripts: (delta('evalsha') + delta('eval')) / n, commands: all / n, redisCpuMicros: ((ticks / clockTicks()) * 1e6) / n };
}

const infoField = (text, name) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);

async function idleSessionBytes(redis, url, prefix) {
  const before = infoField(await redis.info('memory'), 'used_memory');
  for (let i = 0; i < IDLE_SESSIONS; i += 50) await Promise.all(Array.from({ length: 50 }, () => openSession(url)));
  const after = infoField(await redis.info('memory'), 'used_memory');
  let keyBytes = 0;
  const keys = await redis.keys(`${prefix}s:*`);
  for (const key of keys) keyBytes += (await redis.memory('USAGE', key)) ?? 0;
  return { usedMemory: (after - before) / IDLE_SESSIONS, sessionKey: keyBytes / keys.length, keys: keys.length };
}

async function main() {
  const check = argv.includes('--check');
  const write = !argv.includes('--no-write');
  const settings = loadSettings();
  const temp = mkdtempSync(join(os.tmpdir(), 'mcpgen-bench-state-'));
  const prefix = `mcpgen-bench-${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(REDIS);
  try {
    const out = build(join(temp, 'echo'), prefix);
    const args = (extra) => [cli, 'run', '-o', out, '--http', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', ...extra];
    const memory = await startServer('state in memory', args(['--state', 'memory']), MCP_URL);
    const shared = await startServer('state in Redis', args(['--state', REDIS]), MCP_URL);
    const targets = [];
    for (const s of [memory, shared])
      targets.push({
        label: s.label,
        url: s.url,
        request: callIn(await openSessions(s.url, settings.connections)),
        pid: s.child.pid,
        stderr: s.stderr
      });
    log('\n2025-11-25 tools/call (echo) in an open session under load, interleaved');
    const rows = await interleavedLoad(targets, settings);
    const [memoryRow, redisRow] = rows;
    const { scripts, commands, redisCpuMicros } = await redisCost(redis, targets[1]);
    const ratio = median(redisRow.cpuRounds.map((x, k) => memoryRow.cpuRounds[k] / x));
    const rpsRatio = median(redisRow.rounds.map((x, k) => x / memoryRow.rounds[k]));
    for (const row of rows) log(`  ${row.label}: ${fmtInt(row.rps)} req/s, ${fmtInt(row.cpuMicros)} µs CPU/request`);
    log(
      `  Redis: ${scripts.toFixed(2)} scripts and ${commands.toFixed(2)} commands per request, ${fmtInt(redisCpuMicros)} µs of Redis CPU per request`
    );
    const idle = await idleSessionBytes(redis, shared.url, prefix);
    log(`  idle session: ${fmtInt(idle.usedMemory)} bytes (used_memory growth), ${fmtInt(idle.sessionKey)} bytes (MEMORY USAGE of s:<id>)`);
    const pass = ratio >= TARGET;
    const summary = [
      [
        'CPU per request, Redis state vs memory state (memory ÷ Redis)',
        `≥ ${TARGET} ×`,
        `${ratio.toFixed(2)}×; ${rpsRatio.toFixed(2)}× req/s`,
        verdict(pass)
      ],
      [
        'Redis round trips per request (scripts called)',
        'at most 1',
        `${scripts.toFixed(2)} (Redis ran ${commands.toFixed(1)} commands per request, the script's own included)`,
        verdict(scripts <= 1.01 && commands - scripts < 10)
      ],
      ['Redis server CPU per request', 'information', `${fmtInt(redisCpuMicros)} µs`, ''],
      [
        `Memory per idle session in Redis (${IDLE_SESSIONS} sessions)`,
        'information',
        `${fmtInt(idle.usedMemory)} bytes (used_memory growth; the session record ${fmtInt(idle.sessionKey)} bytes by MEMORY USAGE, plus its quota and live-session entries)`,
        ''
      ]
    ];
    log('');
    for (const [name, target, measured, result] of summary) log(`  ${name}  ${target}  ${measured}  ${result}`);
    if (write) writeSection(join(repo, 'docs', 'benchmarks.md'), 'state-bench', markdown(summary, rows, settings));
    if (check && !pass) process.exitCode = 1;
  } finally {
    killChildren();
    const keys = await redis.keys(`${prefix}*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    redis.disconnect();
    rmSync(temp, { recursive: true, force: true });
  }
}

function markdown(summary, rows, settings) {
  const load = os.loadavg().map((x) => x.toFixed(2));
  return `<!-- state-bench:start -->
## Shared state: Redis vs memory

Generated by \`npm run bench:state\` (\`test/bench/state.mjs\`) on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}:
Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}, load average at the end ${load.join(', ')}.

The echo \`tools/call\` in open 2025-11-25 sessions (each connection of the load in a session of its own, JSON answers),
served by two mcp-gen processes of the same artifact in one run: \`--state memory\` and \`--state redis://…\` (the
machine's Redis on loopback). ${settings.connections} connections, ${settings.seconds} s per server in ${settings.rounds} interleaved slices; the
ratio is the median over slices of memory's CPU per request of the server process over Redis's (higher is
cheaper). Redis's own CPU is not in the server's: it is shown apart, with the commands each request sent. The
load generator shares the machine's cores.

${table(['Scenario', 'Target', 'Measured', 'Result'], summary, 'llll')}

${table(
  ['Server', 'req/s', 'CPU/request', 'p50 (ms)', 'p99 (ms)'],
  rows.map((r) => [r.label, fmtInt(r.rps), `${fmtInt(r.cpuMicros)} µs`, String(r.p50), String(r.p99)])
)}
<!-- state-bench:end -->
`;
}

main().catch((e) => {
  killChildren();
  log(e instanceof HarnessError ? e.message : (e?.stack ?? String(e)));
  process.exit(2);
});
