#!/usr/bin/env node
// Smoke test with the MCP Inspector CLI (a second, independent client): lists and calls tools of the
// conformance example in both protocol eras, over stdio and Streamable HTTP. Needs Node >= 22.19, which
// run.mjs provides; called from there with the node binary and the artifact already built.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PIN = '2.12.0';

export function inspectorEntry(cache) {
  const dir = join(cache, `inspector-${PIN}`);
  const entry = join(dir, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
  if (!existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', dir, `@modelcontextprotocol/inspector@${PIN}`], {
      stdio: ['ignore', 'ignore', 'inherit']
    });
  }
  return entry;
}

export function inspect(nodeBin, entry, era, target, args) {
  return new Promise((resolve) => {
    const child = spawn(nodeBin, [entry, '--cli', '--protocol-era', era, ...args, ...target], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** Returns the number of failed checks; prints one line per check. */
export async function inspectorSmoke({ nodeBin, cache, cli, artifact, url }) {
  const entry = inspectorEntry(cache);
  const targets = { stdio: [process.execPath, cli, 'run', '-o', artifact], http: ['--transport', 'http', url] };
  let failed = 0;
  for (const era of ['legacy', 'modern']) {
    for (const [name, target] of Object.entries(targets)) {
      const list = await inspect(nodeBin, entry, era, target, ['--method', 'tools/list']);
      const call = await inspect(nodeBin, entry, era, target, ['--method', 'tools/call', '--tool-name', 'test_simple_text']);
      const listed = list.code === 0 && list.out.includes('"test_simple_text"') && list.out.includes('"json_schema_2020_12_tool"');
      const called = call.code === 0 && call.out.includes('This is a simple text response for testing.');
      for (const [check, ok, r] of [
        ['tools/list', listed, list],
        ['tools/call', called, call]
      ]) {
        console.log(`inspector ${era} ${name} ${check}: ${ok ? 'ok' : 'FAILED'}`);
        if (!ok) {
          failed++;
          console.log((r.out + r.err).slice(-2000));
        }
      }
    }
  }
  return failed;
}
