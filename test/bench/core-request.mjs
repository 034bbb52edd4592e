#!/usr/bin/env node
// In-process micro-bench of the core's hot path: tools/call of the bench's echo tool through core.request() (and
// through the transports' dispatch `execute`, which adds the request deadline), without sockets, so a change can be
// measured on a loaded machine. Needs dist/ (npx tsc -p tsconfig.json).
//
//   node --expose-gc --max-semi-space-size=64 test/bench/core-request.mjs [--ops 200000] [--batch 200] [--path core|execute]
//   node --cpu-prof ... test/bench/core-request.mjs --path execute        a profile of the same loop
//   ... --metrics                                                          with the Prometheus metrics Telemetry
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 ... --tracing        with tracing as the OTEL_* variables set it
//
// Reports CPU ns per request (best of the rounds: the least disturbed by other processes), heap bytes allocated per
// request (heap growth over a batch run with garbage collection held off) and time spent in GC.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const repo = resolve(import.meta.dirname, '..', '..');
const dist = (p) => import(pathToFileURL(join(repo, 'dist', p)).href);
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : argv[i + 1];
};
const OPS = Number(option('--ops', 200_000));
const BATCH = Number(option('--batch', 200));
const PATH = option('--path', 'execute');
const ROUNDS = Number(option('--rounds', 7));

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const TEXT = 'hello from the bench';

const dir = mkdtempSync(join(os.tmpdir(), 'mcp-gen-core-bench-'));
try {
  const manifest = {
    server: { name: 'bench-echo', version: '1.0.0' },
    tools: [
      {
        name: 'echo',
        description: 'Echo the text back.',
        input: { properties: { text: { type: 'string' } }, required: ['text'] },
        template: '{{text}}'
      }
    ]
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mcp-gen.yaml'), JSON.stringify(manifest, null, 1));
  execFileSync(
    process.execPath,
    [join(repo, 'dist', 'generators', 'cli', 'main.js'), 'build', '-m', join(dir, 'mcp-gen.yaml'), '-o', join(dir, '.mcp-gen')],
    { stdio: 'pipe' }
  );
  const { loadArtifact } = await dist('runtime/artifact/load.js');
  const { createCore } = await dist('runtime/serve.js');
  const { Cancellation } = await dist('runtime/core/cancellation.js');
  const { execute } = await dist('runtime/transports/dispatch.js');
  const { transportLimits } = await dist('runtime/transports/limits.js');
  const METRICS = argv.includes('--metrics');
  const NOOP = argv.includes('--noop-telemetry');
  // --tracing: the OTEL_* variables decide (e.g. OTEL_EXPORTER_OTLP_ENDPOINT of a receiver, OTEL_TRACES_SAMPLER).
  const TRACING = argv.includes('--tracing');
  const noop = { run: (work) => work(), end() {} };
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false, child: () => quiet, flush() {} };
  const tracing = TRACING
    ? await (await dist('runtime/observe/tracing.js')).startTracing(process.env, quiet, { serviceName: 'bench', serviceVersion: '1' })
    : undefined;
  if (TRACING && !tracing) throw new Error('--tracing: set OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_TRACES_EXPORTER)');
  const { combineTelemetry } = await dist('runtime/observe/combine.js');
  const telemetry = NOOP
    ? { begin: () => noop, kinds: (await dist('runtime/core/telemetry.js')).noTelemetry.kinds }
    : combineTelemetry(METRICS ? (await dist('runtime/observe/metrics.js')).createMetricsTelemetry() : undefined, tracing?.telemetry);
  const core = await createCore(await loadArtifact(join(dir, '.mcp-gen')), telemetry ? { telemetry } : {});
  const limits = transportLimits(option('--timeout') ? { requestTimeoutSeconds: Number(option('--timeout')) } : undefined);
  const channel = { transport: 'stdio', legacy: undefined, notify() {} };

  let id = 0;
  // A fresh message per request, as a transport would have decoded it (the core may write into params).
  const one = () => {
    const msg = { type: 'request', id: ++id, method: 'tools/call', params: { name: 'echo', arguments: { text: TEXT }, _meta: META } };
    const cancellation = new Cancellation();
    return PATH === 'core'
      ? core.request(msg.id, msg.method, msg.params, channel, cancellation)
      : execute(core, msg, channel, cancellation, limits);
  };
  // `BATCH` requests in flight at once, as a pipelining stdio client has them.
  const batch = async () => {
    const pending = new Array(BATCH);
    for (let i = 0; i < BATCH; i++) pending[i] = one();
    const replies = await Promise.all(pending);
    return replies[BATCH - 1];
  };
  const check = await batch();
  if (check === 'timeout' || !String(check.body).includes(TEXT)) throw new Error(`unexpected reply ${JSON.stringify(check)}`);

  // GC entries arrive late (on a later turn): each is kept and counted in the round it started in.
  const gcEntries = [];
  new PerformanceObserver((list) => gcEntries.push(...list.getEntries())).observe({ entryTypes: ['gc'] });
  const gcWithin = (from, to) => gcEntries.reduce((sum, e) => (e.startTime >= from && e.startTime < to ? sum + e.duration : sum), 0);

  // Warm-up, then timed rounds.
  for (let n = 0; n < OPS / 4; n += BATCH) await batch();
  if (globalThis.__startAlloc) {
    // An allocation profile of a few batches: a script preloaded with --import defines these two hooks (e.g. around
    // the inspector's HeapProfiler.startSampling/stopSampling with includeObjectsCollectedBy{Major,Minor}GC).
    await globalThis.__startAlloc();
    for (let i = 0; i < 20; i++) await batch();
    await globalThis.__stopAlloc(20 * BATCH);
  }
  // CPU time of this process (user + system), not wall-clock: other processes on the machine count less.
  const perOp = [];
  const gcShare = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let n = 0; n < OPS; n += BATCH) await batch();
    const cpu = process.cpuUsage(cpu0);
    const t1 = performance.now();
    await new Promise((r) => setTimeout(r, 5));
    const cpuMs = (cpu.user + cpu.system) / 1000;
    perOp.push((cpuMs * 1e6) / OPS);
    gcShare.push(gcWithin(t0, t1) / cpuMs);
  }

  // Allocation: heap growth over a few batches with no GC in between (needs --expose-gc and a large semi-space).
  let bytes = 'n/a (run with --expose-gc --max-semi-space-size=64)';
  if (globalThis.gc) {
    const samples = [];
    for (let r = 0; r < 5; r++) {
      globalThis.gc();
      await new Promise((r) => setImmediate(r));
      const t0 = performance.now();
      const h0 = process.memoryUsage().heapUsed;
      const n = BATCH * 10;
      for (let i = 0; i < 10; i++) await batch();
      const grown = process.memoryUsage().heapUsed - h0;
      const t1 = performance.now();
      await new Promise((r) => setTimeout(r, 5));
      if (!gcEntries.some((e) => e.startTime >= t0 && e.startTime < t1)) samples.push(grown / n);
    }
    if (samples.length > 0) bytes = `${Math.round(Math.min(...samples))} B`;
  }
  perOp.sort((a, b) => a - b);
  const median = perOp[Math.floor(perOp.length / 2)];
  process.stdout.write(
    `path=${PATH}${METRICS ? ' metrics' : ''}${TRACING ? ' tracing' : ''}${NOOP ? ' no-op telemetry' : ''} batch=${BATCH} ops/round=${OPS}: CPU best ${perOp[0].toFixed(0)} ns/op, median ${median.toFixed(0)} ns/op; ` +
      `allocated ${bytes}/op; GC ${(100 * Math.min(...gcShare)).toFixed(0)}-${(100 * Math.max(...gcShare)).toFixed(0)} % of the time; ` +
      `load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}\n`
  );
  await core.close();
  await tracing?.shutdown();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
