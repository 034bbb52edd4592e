#!/usr/bin/env node
// npm run bench:sandbox: the per-call cost of running a handler in a sandbox. One `echo` handler tool is
// built three times (sandbox mode none, worker and strict) and called in-process through McpCore (no transport),
// sequentially (latency) and 16 at a time (throughput); prints a table. BENCH_CALLS=2000 BENCH_ROUNDS=3.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const repo = resolve(import.meta.dirname, '..', '..');
const { build } = await import(join(repo, 'dist', 'generators', 'build.js'));
const { writeArtifact } = await import(join(repo, 'dist', 'generators', 'cli', 'commands', 'build.js'));
const { loadArtifact } = await import(join(repo, 'dist', 'runtime', 'artifact', 'load.js'));
const { McpCore } = await import(join(repo, 'dist', 'runtime', 'core', 'server.js'));
const { createLogger } = await import(join(repo, 'dist', 'runtime', 'log.js'));

const calls = Number(process.env.BENCH_CALLS ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'mcpgen-bench-sandbox-'));
writeFileSync(join(dir, 'echo.ts'), 'export default async (a: { text: string }) => ({ echo: a.text });\n');
const channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };

async function core(mode) {
  const sub = join(dir, mode);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(sub);
  writeFileSync(join(sub, 'echo.ts'), 'export default async (a: { text: string }) => ({ echo: a.text });\n');
  writeFileSync(
    join(sub, 'mcp-gen.yaml'),
    `server: { name: bench, version: "1" }\nsandbox: { mode: ${mode}, workers: ` +
      `${process.env.BENCH_WORKERS ?? 4} }\ntools:\n  - { name: echo, description: Echo., input: { ` +
      `properties: { text: { type: string } }, required: [text] }, handler: ./echo.ts }\n`
  );
  const result = await build({ manifest: join(sub, 'mcp-gen.yaml') });
  await writeArtifact(result);
  const started = performance.now();
  const c = await McpCore.create(await loadArtifact(result.outDir), { log: createLogger('error') });
  return { core: c, startMs: performance.now() - started };
}

const call = (c, i) =>
  c.request(i, 'tools/call', { name: 'echo', arguments: { text: `hello ${i}` } }, channel, new AbortController().signal);

const rows = [];
for (const mode of ['none', 'worker', 'strict']) {
  const { core: c, startMs } = await core(mode);
  for (let i = 0; i < 200; i++) await call(c, i); // warm-up
  let best = Infinity;
  let bestRate = 0;
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    for (let i = 0; i < calls; i++) await call(c, i);
    best = Math.min(best, ((performance.now() - t) * 1000) / calls);
    t = performance.now();
    for (let i = 0; i < calls; i += 16) await Promise.all(Array.from({ length: 16 }, (_, k) => call(c, i + k)));
    bestRate = Math.max(bestRate, calls / ((performance.now() - t) / 1000));
  }
  rows.push({ mode, startMs: Math.round(startMs), sequentialUs: Math.round(best), callsPerSecond16: Math.round(bestRate) });
}
rmSync(dir, { recursive: true, force: true });
console.table(rows);
const none = rows[0].sequentialUs;
for (const r of rows.slice(1)) console.log(`${r.mode}: +${r.sequentialUs - none} µs per call over mode none`);
