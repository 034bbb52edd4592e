/**
 * Hostile input (a): thousands of malformed and mutated JSON-RPC messages (seeded, reproducible) sent to the
 * quickstart server over HTTP in both eras (in process) and over stdio (the real CLI process). Every answer
 * must be a valid JSON-RPC result or an error with the right code; no internal errors; the server answers a
 * ping afterwards.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { createLogger } from '../../runtime/log.js';
import { createHttpServer, type HttpServer } from '../../runtime/transports/http.js';
import { buildArtifact, cleanupTemp, cli, copyExample, LEGACY, requireDist } from '../helpers/e2e-server.js';
import { pool, random, report, sample } from './hostile.js';
import { corpus, expected, judge, mutate } from './jsonrpc-mutator.js';
import { createCore } from '../../runtime/serve.js';

const SEED = 0x6d63_7067;
const CASES = { modern: 2000, legacy: 1500, stdio: 2000 };
let dir: string;
let http: HttpServer;
let url: string;
const internalErrors: string[] = [];

beforeAll(async () => {
  dir = await buildArtifact(join(copyExample('quickstart'), 'mcp-gen.yaml'));
  const log = createLogger('error', (line) => internalErrors.push(line));
  const core = await createCore(await loadArtifact(dir), { log });
  http = createHttpServer(core, {
    host: '127.0.0.1',
    port: 0,
    path: '/mcp',
    allowedHosts: [],
    allowedOrigins: [],
    maxBodyBytes: 4 * 1024 * 1024,
    maxSessions: 5000,
    maxSessionsPerPrincipal: 5000,
    sessionIdleSeconds: 60
  });
  url = await http.listen();
});
afterAll(async () => {
  await http.close(100);
  cleanupTemp();
});

function cases(modern: boolean, n: number, seed: number): string[] {
  const r = random(seed);
  const seeds = corpus(modern);
  return Array.from({ length: n }, () => mutate(r.pick(seeds), r));
}

/** The JSON-RPC message of an HTTP answer: plain JSON, or the last event of an SSE stream. */
function messageOf(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    const data = [...text.matchAll(/^data: (.*)$/gm)].at(-1)?.[1];
    return data === undefined ? text : JSON.parse(data);
  }
}

/** Non-ASCII header values travel in the 2026-07-28 base64 sentinel form. */
const headerValue = (v: string) => (/^[\x20-\x7e]*$/.test(v) ? v : `=?base64?${Buffer.from(v).toString('base64')}?=`);

async function fuzzHttp(era: 'modern' | 'legacy'): Promise<string[]> {
  const modern = era === 'modern';
  let session: Record<string, string> = {};
  if (!modern) {
    const init = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } }
      })
    });
    session = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': LEGACY };
  }
  const failures: string[] = [];
  const all = cases(modern, CASES[era], SEED + (modern ? 1 : 2));
  await pool(all, 8, async (text, i) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...session
    };
    if (modern)
      Object.assign(headers, {
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': headerValue(/"method":"([^"]*)"/.exec(text)?.[1] ?? 'x')
      });
    const r = await fetch(url, { method: 'POST', headers, body: text });
    const body = await r.text();
    const want = expected(text);
    const problems: string[] = [];
    if (r.status >= 500) problems.push(`HTTP ${r.status}`);
    if (want.reply === 'none') {
      if (r.status !== 202) problems.push(`expected 202, got ${r.status}`);
    } else {
      problems.push(...judge(messageOf(body), want));
    }
    if (problems.length > 0) failures.push(`#${i} ${text.slice(0, 160)} → ${problems.join('; ')}`);
  });
  return failures;
}

describe('JSON-RPC fuzzing', () => {
  it.each(['modern', 'legacy'] as const)('HTTP, %s era: every answer valid, no crash', async (era) => {
    const failures = await fuzzHttp(era);
    report(`jsonrpc-fuzz http-${era}`, CASES[era], failures);
    expect(failures, sample(failures)).toEqual([]);
    expect(internalErrors, internalErrors.join('\n')).toEqual([]);
    const ping = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'server/discover'
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 'after',
        method: 'server/discover',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } }
      })
    });
    expect(ping.status).toBe(200);
  });

  it('stdio (the CLI process): every line answered validly, parse errors counted, alive after', async () => {
    requireDist();
    const all = cases(false, CASES.stdio, SEED + 3);
    const child = spawn(process.execPath, [cli, 'run', '-o', dir, '--log-level', 'error'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const lines: string[] = [];
    let buffered = '';
    let onLine: (line: string) => void = () => {};
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        lines.push(line);
        onLine(line);
      }
    });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    const alive = new Promise<void>((resolve) => (onLine = (line) => line.includes('"id":"alive"') && resolve()));
    for (const text of all) child.stdin.write(text + '\n');
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 'alive', method: 'ping' }) + '\n');
    await Promise.race([alive, exited.then((code) => Promise.reject(new Error(`stdio server exited (${code}): ${stderr}`)))]);
    // End of input: the server answers the calls still running, then exits.
    child.stdin.end();
    await exited;

    const failures: string[] = [];
    const replies = lines.map((l) => {
      try {
        return JSON.parse(l) as Record<string, any>;
      } catch {
        failures.push(`not JSON: ${l.slice(0, 200)}`);
        return undefined;
      }
    });
    for (const m of replies) {
      if (!m || m.id === 'alive' || (m.method && !('id' in m))) continue; // notifications (log messages) are fine
      const code = m.error?.code;
      const problems = judge(
        m,
        code === undefined
          ? { reply: 'any', id: m.id }
          : { reply: 'error', codes: [-32700, ...[-32600, -32601, -32602, -32002, -32020, -32021, -32022]] }
      );
      if (problems.length > 0) failures.push(`${JSON.stringify(m).slice(0, 200)} → ${problems.join('; ')}`);
    }
    const parseErrors = replies.filter((m) => m?.error?.code === -32700).length;
    // Blank lines are skipped on stdio (they frame nothing).
    const wantParseErrors = all.filter((t) => {
      if (t.trim() === '') return false;
      const e = expected(t);
      return e.reply === 'error' && e.codes.length === 1 && e.codes[0] === -32700;
    }).length;
    if (parseErrors !== wantParseErrors) failures.push(`${parseErrors} parse errors for ${wantParseErrors} malformed lines`);
    report('jsonrpc-fuzz stdio', CASES.stdio, failures);
    expect(failures, sample(failures)).toEqual([]);
    expect(stderr).not.toMatch(/Internal error|TypeError|RangeError/);
  });
});
