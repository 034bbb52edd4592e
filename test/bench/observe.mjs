#!/usr/bin/env node
// npm run bench:observe: what observability costs. The echo tools/call of the spine bench, served several ways in
// one run: without metrics and without the access log (the baseline), with the defaults (Prometheus metrics on, a
// JSON access line per request on stderr, written to a file), and with tracing on too (every request sampled, spans
// exported over OTLP/HTTP to a local receiver), plus each part alone. Also the cold start of the first two. Writes its section of
// docs/benchmarks.md.
//
//   npm run bench:observe -- --check     exit 1 when a target is missed
//   npm run bench:observe -- --no-write  do not rewrite docs/benchmarks.md
//   BENCH_SECONDS / BENCH_ROUNDS / BENCH_WARMUP / BENCH_CONNECTIONS / BENCH_COLD_RUNS as in the other benches
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  envNumber,
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

const self = fileURLToPath(import.meta.url);
const repo = resolve(import.meta.dirname, '..', '..');
const cli = join(repo, 'dist', 'generators', 'cli', 'main.js');
const argv = process.argv.slice(2);

/** The issue's targets: CPU per request relative to the baseline (higher is cheaper), and the cold start. */
const TARGETS = { metrics: 0.95, tracing: 0.7, coldStart: 1.1 };

const echo = modernRequest('tools/call', { name: 'echo', arguments: { text: 'hi' } }, 'echo');

/** An OTLP/HTTP receiver that accepts every export and counts what it received. */
function serveReceiver() {
  let exports = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (c) => (bytes += c.length));
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' }).end();
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`receiving at http://127.0.0.1:${server.address().port}\n`));
  process.on('SIGUSR2', () => process.stderr.write(`EXPORTS ${exports} ${bytes}\n`));
}

function build(dir, metrics) {
  mkdirSync(dir, { recursive: true });
  const manifest = join(dir, 'mcp-gen.yaml');
  const transport = metrics ? '' : 'transport: { metrics: false }\n';
  const tool =
    'tools:\n  - name: echo\n    description: Echo the text back.\n    input: { properties: { text: { type: string } }, required: [text] }\n    template: "{{text}}"\n';
  writeFileSync(manifest, `server: { name: observe-bench, version: "1" }\n${transport}${tool}`);
  execFileSync(process.execPath, [cli, 'build', '-m', manifest], { stdio: 'pipe' });
  return join(dir, '.mcp-gen');
}

const MCP_URL = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/;
const serveArgs = (out, extra = []) => [cli, 'run', '-o', out, '--http', '--host', '127.0.0.1', '--port', '0', ...extra];

async function main() {
  const check = argv.includes('--check');
  const write = !argv.includes('--no-write');
  const settings = { ...loadSettings(), coldRuns: Math.round(envNumber('BENCH_COLD_RUNS', 5)) };
  const temp = mkdtempSync(join(os.tmpdir(), 'mcpgen-bench-observe-'));
  const servers = [];
  try {
    const bare = build(join(temp, 'bare'), false);
    const observed = build(join(temp, 'observed'), true);
    const receiver = await startServer('OTLP receiver', [self, '--role', 'receiver'], /(http:\/\/127\.0\.0\.1:\d+)/);
    servers.push(receiver);
    const tracingEnv = {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_SAMPLER: 'always_on'
    };
    const noTracing = { ...process.env };
    for (const k of Object.keys(noTracing)) if (k.startsWith('OTEL_')) delete noTracing[k];
    const configs = [
      { label: 'no metrics, no access log (baseline)', args: serveArgs(bare, ['--log-level', 'warn']), env: noTracing },
      { label: 'defaults: metrics on, JSON access log', args: serveArgs(observed, ['--log-format', 'json']), env: noTracing },
      { label: 'defaults + tracing (all sampled, OTLP)', args: serveArgs(observed, ['--log-format', 'json']), env: tracingEnv },
      { label: 'metrics only (information)', args: serveArgs(observed, ['--log-level', 'warn']), env: noTracing },
      { label: 'access log only (information)', args: serveArgs(bare, ['--log-format', 'json']), env: noTracing },
      {
        label: 'defaults + tracing, none sampled (information)',
        args: serveArgs(observed, ['--log-format', 'json']),
        env: { ...tracingEnv, OTEL_TRACES_SAMPLER: 'always_off' }
      }
    ];
    log('\n[1/2] cold start (median of runs, process spawn to the serving banner)');
    const cold = [];
    for (const c of configs.slice(0, 2)) {
      const times = [];
      for (let i = 0; i < settings.coldRuns; i++) {
        const s = await startServer(c.label, c.args, MCP_URL, c.env, { stderrFile: join(temp, 'cold.log') });
        times.push(s.startMs);
        await s.stop();
      }
      cold.push({ label: c.label, ms: median(times) });
      log(`  ${c.label}: ${median(times).toFixed(0)} ms`);
    }
    log('\n[2/2] tools/call echo under load, interleaved');
    const started = [];
    for (const [i, c] of configs.entries())
      started.push(await startServer(c.label, c.args, MCP_URL, c.env, { stderrFile: join(temp, `server-${i}.log`) }));
    servers.push(...started);
    const targets = started.map((s) => ({ label: s.label, url: s.url, request: echo, pid: s.child.pid }));
    const rows = await interleavedLoad(targets, settings);
    for (const row of rows) {
      row.cpuRatio = median(row.cpuRounds.map((x, k) => rows[0].cpuRounds[k] / x));
      row.rpsRatio = median(row.rounds.map((x, k) => x / rows[0].rounds[k]));
      log(`  ${row.label}: ${fmtInt(row.rps)} req/s, ${fmtInt(row.cpuMicros)} µs CPU/request (${row.cpuRatio.toFixed(2)}× baseline)`);
    }
    const coldRatio = cold[1].ms / cold[0].ms;
    const pass = {
      metrics: rows[1].cpuRatio >= TARGETS.metrics,
      tracing: rows[2].cpuRatio >= TARGETS.tracing,
      cold: coldRatio <= TARGETS.coldStart
    };
    const summary = [
      [
        'metrics + access log vs baseline',
        `≥ ${TARGETS.metrics} ×`,
        `${rows[1].cpuRatio.toFixed(2)}× CPU/request, ${rows[1].rpsRatio.toFixed(2)}× req/s`,
        verdict(pass.metrics)
      ],
      [
        '+ tracing (all sampled) vs baseline',
        `≥ ${TARGETS.tracing} ×`,
        `${rows[2].cpuRatio.toFixed(2)}× CPU/request, ${rows[2].rpsRatio.toFixed(2)}× req/s`,
        verdict(pass.tracing)
      ],
      [
        'cold start, defaults vs baseline',
        `≤ ${TARGETS.coldStart} ×`,
        `${coldRatio.toFixed(2)}× (${cold[1].ms.toFixed(0)} vs ${cold[0].ms.toFixed(0)} ms)`,
        verdict(pass.cold)
      ]
    ];
    log('');
    for (const r of summary) log(`  ${r.join('  ')}`);
    if (write) writeSection(join(repo, 'docs', 'benchmarks.md'), 'observe-bench', markdown(summary, rows, cold, settings));
    return check && !(pass.metrics && pass.tracing && pass.cold) ? 1 : 0;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(temp, { recursive: true, force: true });
  }
}

function markdown(summary, rows, cold, settings) {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
  return `<!-- observe-bench:start -->
## Observability overhead

Generated by \`npm run bench:observe\` (\`test/bench/observe.mjs\`) on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}:
Node ${process.version}, ${cpus.length} × ${cpus[0]?.model?.trim() || 'unknown'}, load average at the end ${load}.

The echo \`tools/call\` (2026-07-28, JSON response) of section 1, served by mcp-gen processes of the same build
in one run: the baseline (\`transport.metrics: false\`, \`--log-level warn\`: no metrics, no access line), the
defaults (Prometheus metrics, a JSON access line per request on stderr, written to a file as a log collector would), and the defaults
with tracing (\`OTEL_EXPORTER_OTLP_ENDPOINT\` to a local receiver, \`OTEL_TRACES_SAMPLER=always_on\`, OTLP
http/protobuf). ${settings.connections} connections, ${settings.seconds} s per server in ${settings.rounds} interleaved slices.
The ratio is the median over slices of the baseline's CPU per request over the server's (higher is cheaper; 1.00
costs nothing); req/s ratios are shown beside it.

${table(['Scenario', 'Target', 'Measured', 'Result'], summary, 'llll')}

${table(
  ['Server', 'req/s', 'CPU/request', '× baseline (CPU)', 'p50 (ms)', 'p99 (ms)'],
  rows.map((r) => [r.label, fmtInt(r.rps), `${fmtInt(r.cpuMicros)} µs`, r.cpuRatio.toFixed(2), String(r.p50), String(r.p99)])
)}

Cold start (median of ${settings.coldRuns}): ${cold.map((c) => `${c.label} ${c.ms.toFixed(0)} ms`).join('; ')}.
With tracing off the OpenTelemetry SDK is not loaded at all (\`test/e2e\` checks the module list).
<!-- observe-bench:end -->
`;
}

if (argv.includes('--role')) {
  process.once('SIGTERM', () => process.exit(0));
  serveReceiver();
} else {
  process.once('exit', killChildren);
  let code;
  try {
    code = await main();
  } catch (e) {
    log(`\nobservability bench failed: ${e instanceof HarnessError ? e.message : (e?.stack ?? String(e))}`);
    code = 2;
  } finally {
    killChildren();
  }
  process.exit(code);
}
