/**
 * The log while the rate-limit store (Redis) is unreachable: one line when it goes, a summary now and then
 * while it stays away, one line when it is back; never a line per call.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { LimitsIR } from '../../runtime/artifact/ir.js';
import type { RequestContext } from '../../runtime/core/context.js';
import { createLogger, type Logger } from '../../runtime/log.js';
import { createLimits } from '../../runtime/security/limits/limits.js';
import { RedisStore } from '../../runtime/security/limits/redis-store.js';
import { lowerRate } from '../../generators/lower/limits.js';
import { buildToTemp } from '../helpers/artifact.js';
import { createCore } from '../../runtime/serve.js';

const modernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
/** Nothing listens on port 1: the store is down from the start. */
const DOWN = 'redis://127.0.0.1:1';

/** A logger that keeps its lines and lets a test wait until they say something. */
function recorder(): {
  log: Logger;
  lines: string[];
  next(pattern: RegExp): Promise<string>;
  when(test: (lines: string[]) => boolean): Promise<void>;
} {
  const lines: string[] = [];
  const waiting: { test: (lines: string[]) => boolean; resolve: () => void }[] = [];
  const log = createLogger(
    'info',
    (line) => {
      lines.push(line);
      for (const w of waiting.filter((w) => w.test(lines))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    },
    'pretty'
  );
  const when = (test: (lines: string[]) => boolean) => new Promise<void>((resolve) => waiting.push({ test, resolve }));
  const next = async (pattern: RegExp) => {
    const seen = lines.length;
    await when((all) => all.slice(seen).some((l) => pattern.test(l)));
    return lines.slice(seen).find((l) => pattern.test(l))!;
  };
  return { log, lines, next, when };
}

describe('store down: 1000 calls, a line or two', () => {
  // given: onStoreError; want: what each call gets, and the one line the log has.
  it.each([
    [
      'closed',
      { status: 503, code: -32030 },
      /^mcp-gen warn: rate-limit store redis:\/\/127\.0\.0\.1:1 unreachable: .+; calls are refused \(-32030, HTTP 503\) until it is back \(limits\.onStoreError: closed\)\n$/
    ],
    [
      'open',
      { status: 200, code: undefined },
      /^mcp-gen warn: rate-limit store redis:\/\/127\.0\.0\.1:1 unreachable: .+; calls run without rate limits until it is back \(limits\.onStoreError: open\)\n$/
    ]
  ])('onStoreError: %s', async (policy, want, line) => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-outage-'));
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: outage-${randomUUID()}, version: 1.0.0 }\nlimits: { store: "${DOWN}", ` +
        `onStoreError: ${policy}, global: 10/minute }\ntools:\n  - { name: hi, description: Hi., ` +
        `template: hi }\n`
    );
    const { log, lines } = recorder();
    const core = await createCore(await loadArtifact(await buildToTemp(join(dir, 'mcp-gen.yaml'))), { log });
    try {
      for (let i = 0; i < 1000; i++) {
        const reply = await core.request(
          i,
          'tools/call',
          { name: 'hi', _meta: modernMeta },
          { notify: () => {} },
          new AbortController().signal
        );
        expect(reply.status).toBe(want.status);
        expect((JSON.parse(String(reply.body)) as { error?: { code: number } }).error?.code).toBe(want.code);
      }
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line);
    } finally {
      await core.close();
    }
  });
});

const config: LimitsIR = { store: DOWN, onStoreError: 'closed', tools: {}, global: lowerRate('1000000/minute')! };
const call = () => ({ type: 'tool' as const, target: 'hi', arguments: {}, request: {} as RequestContext });
const ran = async () => 'ran';
const attempt = (middleware: ReturnType<typeof createLimits>['middleware']) =>
  middleware(call(), ran).catch((e: { code?: number }) => `refused ${e.code}`);

describe('while the store stays down', () => {
  it('a summary every reporting interval counts the calls decided without it', async () => {
    const { log, lines, when } = recorder();
    const store = await RedisStore.connect(DOWN, log, { outageReportMs: 50 });
    const summaries = (all: string[]) => all.filter((l) => l.includes('still unreachable'));
    const counted = (all: string[]) => summaries(all).reduce((n, l) => n + Number(/: (\d+) call\(s\) refused/.exec(l)?.[1]), 0);
    try {
      const { middleware } = createLimits(config, store, { namespace: 'outage', log });
      for (let i = 0; i < 1000; i++) expect(await attempt(middleware)).toBe('refused -32030');
      // However the calls fell across intervals, the summaries add up to them, and nothing else was logged.
      await when((all) => counted(all) >= 1000);
      expect(counted(lines)).toBe(1000);
      for (const l of summaries(lines))
        expect(l).toMatch(
          /^mcp-gen warn: rate-limit store redis:\/\/127\.0\.0\.1:1 still unreachable: \d+ call\(s\) refused in the last 0\.05 s\n$/
        );
      expect(lines.length - summaries(lines).length).toBe(1);
    } finally {
      await store.close();
    }
  });
});

const redisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!redisServer) console.warn('limits-outage: the recovery case needs redis-server on the PATH; skipped');

/** A free TCP port (for an own redis-server, never the shared one on 6379). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

/** redis-server on `port`, resolved once it accepts connections. */
function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe']
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('Ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
}

function stopRedis(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe.skipIf(!redisServer)('an own Redis that stops and comes back', () => {
  const started: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of started) await stopRedis(c);
  });

  it('logs the outage once, and the recovery once, with the calls it refused', async () => {
    const port = await freePort();
    started.push(await startRedis(port));
    const { log, lines, next } = recorder();
    const store = await RedisStore.connect(`redis://127.0.0.1:${port}`, log);
    try {
      const { middleware } = createLimits(config, store, { namespace: `outage-${randomUUID()}`, log });
      expect(await attempt(middleware)).toBe('ran');
      expect(lines).toEqual([]);

      const gone = next(/unreachable/);
      await stopRedis(started.pop()!);
      await gone;
      for (let i = 0; i < 1000; i++) expect(await attempt(middleware)).toBe('refused -32030');

      const back = next(/reachable again/);
      started.push(await startRedis(port));
      expect(await back).toMatch(
        /^mcp-gen info: rate-limit store redis:\/\/127\.0\.0\.1:\d+ reachable again after \d+ s; 1000 call\(s\) refused while it was unreachable\n$/
      );
      expect(await attempt(middleware)).toBe('ran');
      expect(lines).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});
