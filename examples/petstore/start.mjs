#!/usr/bin/env node
/**
 * `npm run example:petstore`: builds this example, starts the local petstore (upstream.mjs) and serves the
 * build with `mcp-gen run --http`, pointed at it. Ctrl+C stops both. Extra arguments go to `mcp-gen run`
 * (e.g. `npm run example:petstore -- --port 0`). With PETSTORE_URL already set, that petstore is used
 * instead and no local one is started.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const cli = join(here, '..', '..', 'dist', 'generators', 'cli', 'main.js');
const manifest = join(here, 'mcp-gen.yaml');
const artifact = join(here, '.mcp-gen');

if (!existsSync(cli)) {
  process.stderr.write(`${cli} is missing: run \`npm run build\` first\n`);
  process.exit(1);
}
// A demo value, so the demo works out of the box; the local upstream expects the same one.
process.env.PETSTORE_API_KEY ||= 'special-key';

// Built here rather than in the npm script so the build sees PETSTORE_API_KEY (no "not set" warning).
const built = spawnSync(process.execPath, [cli, 'build', '-m', manifest, '-o', artifact], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const children = new Set();
let stopping = false;

/** Stops every child still running; exits once they have all gone. */
function stop(code) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children) child.kill('SIGTERM');
  // A child that ignores SIGTERM must not keep the demo alive.
  setTimeout(() => [...children].forEach((c) => c.kill('SIGKILL')), 3000).unref();
}

/** Spawns a child; `onLine` sees its stdout line by line (which is also passed through). */
function start(name, args, onLine) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    process.stdout.write(chunk);
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    lines.forEach(onLine);
  });
  child.on('exit', (code, signal) => {
    children.delete(child);
    // One half of the demo is useless without the other.
    if (!stopping) {
      process.stderr.write(`${name} exited (${signal ?? code}); stopping\n`);
      stop(code || 1);
    }
  });
  return child;
}

/** Resolves with the URL the local upstream prints once it listens. */
function startUpstream() {
  return new Promise((resolve) => {
    start('petstore upstream', [join(here, 'upstream.mjs')], (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]);
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));

const upstreamUrl = process.env.PETSTORE_URL || (await startUpstream());
process.env.PETSTORE_URL = upstreamUrl;
if (!stopping) {
  start('mcp-gen run', [cli, 'run', '-o', artifact, '--http', ...process.argv.slice(2)], (line) => {
    const m = /^mcp-gen: serving \S+ at (http:\/\/\S+)$/.exec(line);
    if (m) process.stdout.write(`\nPetstore demo: MCP server at ${m[1]}, petstore at ${upstreamUrl}. Ctrl+C stops both.\n`);
  });
}
