#!/usr/bin/env node
/**
 * `npm start`: builds and serves the demo: examples/quickstart (every declarative kind) and
 * examples/sqlite-shop (SQL on SQLite), each with `mcp-gen run --http` in its own process, and passes through
 * the URL and client configuration each prints. Ctrl+C stops both.
 *
 * Arguments go to both `mcp-gen run`s. The quickstart takes --port (default 3000), the shop the next port
 * (3001); with --port 0 each picks a free one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const cli = join(here, '..', 'dist', 'generators', 'cli', 'main.js');
const demos = ['quickstart', 'sqlite-shop'];

if (!existsSync(cli)) {
  process.stderr.write(`${cli} is missing: run \`npm run build\` first\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
const portAt = args.indexOf('--port');
const port = portAt === -1 ? 3000 : Number(args[portAt + 1]);
if (!Number.isInteger(port) || port < 0 || port > 65534) {
  process.stderr.write(`--port must be a port number (0 for free ports), got ${args[portAt + 1]}\n`);
  process.exit(2);
}
const rest = portAt === -1 ? args : [...args.slice(0, portAt), ...args.slice(portAt + 2)];

for (const demo of demos) {
  // The shop's first build also creates its database from specs/shop.sql.
  const built = spawnSync(process.execPath, [cli, 'build', '-m', join(here, demo, 'mcp-gen.yaml')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const children = new Set();
let stopping = false;

function stop(code) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => [...children].forEach((c) => c.kill('SIGKILL')), 3000).unref();
}

/** Starts one `mcp-gen run --http`; resolves with its URL once it has printed its configuration. */
function serve(demo, demoPort) {
  const child = spawn(process.execPath, [cli, 'run', '-o', join(here, demo, '.mcp-gen'), '--http', '--port', String(demoPort), ...rest], {
    stdio: ['ignore', 'pipe', 'inherit']
  });
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) {
      process.stderr.write(`${demo}: mcp-gen run exited (${signal ?? code}); stopping\n`);
      stop(code || 1);
    }
  });
  return new Promise((resolve) => {
    let out = '';
    let ready = false;
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      if (ready) return void process.stdout.write(chunk);
      // Held back until complete, so the two servers' blocks do not interleave.
      out += chunk;
      const m = /^mcp-gen: serving \S+ at (http:\/\/\S+)$/m.exec(out);
      if (!m || !out.includes('Press Ctrl+C')) return;
      ready = true;
      process.stdout.write(out.replace(/\nPress Ctrl\+C to stop\.\n?/, '\n'));
      resolve(m[1]);
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));

const servers = {};
for (const [i, demo] of demos.entries()) {
  if (stopping) break;
  servers[demo] = { type: 'http', url: await serve(demo, port === 0 ? 0 : port + i) };
}
if (!stopping) {
  // One block with both servers, for clients configured from a single file.
  process.stdout.write(
    `Client configuration for the whole demo (Streamable HTTP):\n${JSON.stringify({ mcpServers: servers }, null, 2)}\n\n`
  );
  process.stdout.write(
    `Demo: ${Object.entries(servers)
      .map(([name, s]) => `${name} at ${s.url}`)
      .join(', ')}. Press Ctrl+C to stop.\n`
  );
}
