#!/usr/bin/env node
// npm run bench:continuation: what reading a result over maxResultBytes part by part costs (docs/openapi.md,
// Continuation). In this process, on the built runtime (runtime/core/continuation.ts with the in-memory cache
// store): a 1 MB structured JSON result and a 1 MB text of lines, each split at 16 KB. For each, the CPU of the
// first call (cutting the whole result and keeping its other parts), of one follow-up call, and of reading every
// part, in interleaved rounds; and the size of what is kept against the result's text. Writes its section of
// docs/benchmarks.md.
//
//   npm run bench:continuation -- --check     exit 1 when a target is missed
//   npm run bench:continuation -- --no-write  do not rewrite docs/benchmarks.md
//   BENCH_ROUNDS as in the other benches
import os from 'node:os';
import { join, resolve } from 'node:path';
import { envNumber, log, median, table, verdict, writeSection } from './harness.mjs';

const repo = resolve(import.meta.dirname, '..', '..');
const dist = join(repo, 'dist', 'runtime');
const { firstPart, nextPart } = await import(join(dist, 'core', 'continuation.js'));
const { MemoryCacheStore, ResultCache } = await import(join(dist, 'cache', 'index.js'));
const { createLogger } = await import(join(dist, 'log.js'));
const argv = process.argv.slice(2);

/** Reading every part may cost at most this many times the first call (it used to re-cut the whole for each). */
const READ_ALL_TARGET = 2;
/** What is kept may be at most this many times the result's text (it used to be the text and the structured copy). */
const KEPT_TARGET = 1.2;
const MAX_BYTES = 16_384;

const items = Array.from({ length: 6000 }, (_, i) => ({ id: i, name: `item ${i}`, description: 'x'.repeat(120) }));
const structured = { total: items.length, items };
const lines = Array.from({ length: 14_000 }, (_, i) => `${String(i).padStart(6, '0')} ${'log line '.repeat(7)}`).join('\n');
const scenarios = [
  {
    label: '1 MB structured JSON (6,000 items)',
    result: { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured }
  },
  { label: '1 MB text (14,000 lines)', result: { content: [{ type: 'text', text: lines }] } }
];

const tool = { name: 'bench', continuation: { maxBytes: MAX_BYTES, argument: 'cursor', ttlMs: 600_000 } };
const quiet = createLogger('error', () => {});
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const cursorOf = (result) => result._meta?.['io.mcp-gen/part']?.cursor;

/** One read of a whole result: the first call, then every follow-up. */
async function readAll(result) {
  const store = new MemoryCacheStore(64 << 20);
  const cache = new ResultCache(store, 'bench:');
  let started = cpuMicros();
  let part = await firstPart(cache, tool, undefined, result, quiet);
  const first = cpuMicros() - started;
  const kept = store.bytes;
  let parts = 1;
  started = cpuMicros();
  for (let cursor = cursorOf(part); cursor; cursor = cursorOf(part)) {
    part = await nextPart(cache, tool, undefined, cursor);
    if (part.isError) throw new Error(`follow-up failed: ${part.content[0].text}`);
    parts++;
  }
  const rest = cpuMicros() - started;
  return { first, followUp: rest / (parts - 1), all: first + rest, parts, kept };
}

const rounds = envNumber('BENCH_ROUNDS', 10);
const runs = scenarios.map(() => []);
for (const s of scenarios) await readAll(s.result); // warm-up: compile the paths once
for (let r = 0; r < rounds; r++) for (const [i, s] of scenarios.entries()) runs[i].push(await readAll(s.result));

const rows = scenarios.map((s, i) => {
  const of = (key) => median(runs[i].map((run) => run[key]));
  const textBytes = Buffer.byteLength(s.result.content[0].text);
  return {
    label: s.label,
    parts: runs[i][0].parts,
    first: of('first'),
    followUp: of('followUp'),
    all: of('all'),
    readAllRatio: median(runs[i].map((run) => run.all / run.first)),
    keptRatio: runs[i][0].kept / textBytes
  };
});
const pass = rows.every((row) => row.readAllRatio <= READ_ALL_TARGET && row.keptRatio <= KEPT_TARGET);
const ms = (micros) => (micros / 1000).toFixed(1);
for (const row of rows)
  log(
    `  ${row.label}: ${row.parts} parts; first ${ms(row.first)} ms, follow-up ${Math.round(row.followUp)} µs, all ${ms(row.all)} ms ` +
      `(${row.readAllRatio.toFixed(2)}× the first); kept ${row.keptRatio.toFixed(2)}× the text`
  );

if (!argv.includes('--no-write')) writeSection(join(repo, 'docs', 'benchmarks.md'), 'continuation-bench', markdown());
process.exit(argv.includes('--check') && !pass ? 1 : 0);

function markdown() {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
  const summary = rows.flatMap((row) => [
    [
      `${row.label}: reading every part vs the first call`,
      `≤ ${READ_ALL_TARGET} ×`,
      `${row.readAllRatio.toFixed(2)}×`,
      verdict(row.readAllRatio <= READ_ALL_TARGET)
    ],
    [
      `${row.label}: what is kept vs the result's text`,
      `≤ ${KEPT_TARGET} ×`,
      `${row.keptRatio.toFixed(2)}×`,
      verdict(row.keptRatio <= KEPT_TARGET)
    ]
  ]);
  return `<!-- continuation-bench:start -->
## Continuation: a large result read part by part

Generated by \`npm run bench:continuation\` (\`test/bench/continuation.mjs\`) on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}:
Node ${process.version}, ${cpus.length} × ${cpus[0]?.model?.trim() || 'unknown'}, load average at the end ${load}.

A result over \`maxResultBytes\` (16 KB here) on the built runtime, in one process with the in-memory cache store
(docs/openapi.md, Continuation): the first call cuts the whole result once and keeps its other parts as one entry;
each follow-up call slices its own part out of that entry. CPU of the process (user + system), medians of ${rounds}
interleaved rounds. The same bench on the code before this design (commit c0086cd, 2026-12-03, 3 rounds), where
each follow-up re-cut the whole kept result: a follow-up took 11 ms on the structured result (709 ms to read every
part, 61× its first call) and 4.6 ms on the text (287 ms, 134×), and what was kept of the structured result held
both its text and its structured content (2.06× the text). Its first calls were cheaper (11.8 and 2.3 ms: they cut
only the first part), so a model that reads only the first part now pays about twice as much for it.

${table(['Scenario', 'Target', 'Measured', 'Result'], summary)}

${table(
  ['Result', 'Parts', 'First call', 'One follow-up', 'Every part'],
  rows.map((row) => [row.label, String(row.parts), `${ms(row.first)} ms`, `${Math.round(row.followUp)} µs`, `${ms(row.all)} ms`])
)}
<!-- continuation-bench:end -->
`;
}
