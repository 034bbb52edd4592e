#!/usr/bin/env node
// npm run bench: every benchmark, one after the other, each rewriting its own part of docs/benchmarks.md.
// Flags (--check, --no-write) go to each of them; the exit code is the worst of theirs.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let worst = 0;
for (const bench of [
  'run.mjs',
  'stdio.mjs',
  'openapi.mjs',
  'sql.mjs',
  'observe.mjs',
  'cache.mjs',
  'workers.mjs',
  'state.mjs',
  'continuation.mjs'
]) {
  const { status } = spawnSync(process.execPath, [join(here, bench), ...process.argv.slice(2)], { stdio: 'inherit' });
  worst = Math.max(worst, status ?? 2);
}
process.exit(worst);
