/**
 * The primary of `run --workers` (generators/cli/cluster-primary.ts) with stand-in workers
 * (test/fixtures/cluster/worker.mjs, real node:cluster processes that speak its IPC messages but serve nothing):
 * the banner once all listen, the drain on SIGTERM and its exit code, a start-up failure, restarts with their log
 * lines, the crash-loop guard, and the side listener's whole-server /metrics and /readyz.
 */
import cluster from 'node:cluster';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runPrimary, type PrimaryOptions } from '../../generators/cli/cluster-primary.js';
import { runWorkers } from '../../generators/cli/commands/run-workers.js';
import type { LoadedArtifact } from '../../runtime/artifact/load.js';
import { createLogger } from '../../runtime/log.js';
import { parseExposition, sampleValue } from '../helpers/prometheus.js';
import { waitFor } from '../helpers/wait.js';

beforeAll(() => cluster.setupPrimary({ exec: join(import.meta.dirname, '..', 'fixtures', 'cluster', 'worker.mjs'), args: [] }));
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.FAKE_WORKER;
});

type Line = Record<string, unknown> & { msg: string };

/** Starts a primary over stand-in workers behaving as `mode`; `signal()` sends it SIGTERM as the OS would. */
function start(mode: string, extra: Partial<PrimaryOptions> = {}) {
  process.env.FAKE_WORKER = mode;
  const out: string[] = [];
  const log = createLogger('info', (l) => void out.push(l));
  const banners: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => (banners.push(String(text)), true));
  const before = process.listeners('SIGTERM');
  const done = runPrimary({ count: 2, log, graceMs: 1000, metrics: true, banner: (url) => `serving at ${url}\n`, ...extra });
  const lines = () => out.map((l) => JSON.parse(l) as Line);
  return {
    done,
    lines,
    banners,
    logged: (pattern: RegExp, n = 1) => waitFor(() => lines().filter((l) => pattern.test(l.msg)).length >= n, 15_000, `${n} × ${pattern}`),
    signal: () => {
      const added = process.listeners('SIGTERM').filter((l) => !before.includes(l));
      expect(added).toHaveLength(1);
      (added[0] as (s: NodeJS.Signals) => void)('SIGTERM');
    }
  };
}

describe('runPrimary', () => {
  it('prints the banner once both workers listen, drains both on SIGTERM and exits 0', async () => {
    const p = start('serve');
    await p.logged(/^serving with 2 workers$/);
    expect(p.banners).toEqual(['serving at http://127.0.0.1:9/mcp\n']);
    p.signal();
    expect(await p.done).toBe(0);
    expect(p.lines().map((l) => l.msg)).toEqual(
      expect.arrayContaining(['shutting down: draining 2 workers (up to 1 s)', expect.stringMatching(/^worker \d+ exited$/)])
    );
  });

  it('exits 1 when a worker fails its drain', async () => {
    const p = start('drain-fail');
    await p.logged(/^serving with 2 workers$/);
    p.signal();
    expect(await p.done).toBe(1);
    expect(p.lines().find((l) => /exited \(code 1\)/.test(l.msg))).toMatchObject({ exit_code: 1 });
  });

  it('stops with the exit code of a worker that fails to start', async () => {
    const p = start('fail');
    expect(await p.done).toBe(3);
    expect(p.lines()[0]).toMatchObject({
      level: 'error',
      exit_code: 3,
      msg: expect.stringMatching(/^worker \d+ failed to start \(code 3\): stopping$/)
    });
    expect(p.banners).toEqual([]);
  });

  it('restarts a killed worker with backoff and logs it; gives up with exit code 1 after a crash loop', async () => {
    const p = start('serve');
    await p.logged(/^serving with 2 workers$/);
    const kill = () =>
      Object.values(cluster.workers ?? {})
        .find((w) => w && !w.isDead())!
        .process.kill('SIGKILL');
    kill();
    await p.logged(/serving again$/);
    expect(p.lines().find((l) => /died/.test(l.msg))).toMatchObject({
      level: 'error',
      signal: 'SIGKILL',
      exit_code: null,
      restart_in_ms: 100,
      msg: expect.stringMatching(/^worker \d+ died \(SIGKILL\): restarting it in 100 ms$/)
    });
    for (let deaths = 2; deaths <= 5; deaths++) {
      kill();
      await p.logged(/serving again$/, deaths);
    }
    expect(
      p
        .lines()
        .filter((l) => /died/.test(l.msg))
        .map((l) => l.restart_in_ms)
    ).toEqual([100, 200, 400, 800, 1600]);
    kill();
    expect(await p.done).toBe(1);
    expect(p.lines().map((l) => l.msg)).toContain('crash loop: 6 worker deaths within 30 s, giving up: draining the others and exiting');
  }, 30_000);

  it('serves the whole server’s /metrics (behind the token) and /readyz on the side listener', async () => {
    const p = start('serve', { side: { host: '127.0.0.1', port: 0 }, metrics: { token: 's3cret' } });
    await p.logged(/^serving with 2 workers$/);
    const url = /at (http:\S+) /.exec(p.lines().find((l) => l.msg.startsWith('health and metrics'))!.msg)![1];
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const scraped = parseExposition(await (await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer s3cret' } })).text());
    expect(sampleValue(scraped, 'fake_calls_total')).toBe(4);
    expect(sampleValue(scraped, 'mcpgen_workers')).toBe(2);
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
    p.signal();
    expect(await p.done).toBe(0);
  });

  it('answers /metrics with 404 on the side listener when metrics are off', async () => {
    const p = start('serve', { side: { host: '127.0.0.1', port: 0 }, metrics: false });
    await p.logged(/^serving with 2 workers$/);
    const url = /at (http:\S+) /.exec(p.lines().find((l) => l.msg.startsWith('health and metrics'))!.msg)![1];
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    p.signal();
    expect(await p.done).toBe(0);
  });
});

describe('runWorkers (run --workers in the primary)', () => {
  const loaded = {
    dir: '/srv/app/.mcp-gen',
    root: '/srv/app',
    artifact: { server: { name: 'app' }, transport: { type: 'http', host: '127.0.0.1', port: 0, logLevel: 'error' } }
  } as unknown as LoadedArtifact;

  it('refuses what every worker would, once, before forking', async () => {
    await expect(runWorkers(loaded, { workers: '2', http: true })).rejects.toThrow(/state\.store is memory/);
    await expect(runWorkers(loaded, { workers: '1', http: true, port: '99999' })).rejects.toThrow('invalid port 99999');
    expect(Object.keys(cluster.workers ?? {})).toEqual([]);
  });

  it('prints the connection help once the workers listen, and drains them on SIGTERM', async () => {
    process.env.FAKE_WORKER = 'serve';
    const banners: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => (banners.push(String(text)), true));
    const before = process.listeners('SIGTERM');
    const done = runWorkers(loaded, { workers: '2', http: true, state: 'redis://127.0.0.1:6379' });
    await waitFor(() => banners.length > 0, 15_000, 'the banner');
    expect(banners[0]).toMatch(/^mcp-gen: serving app at http:\/\/127\.0\.0\.1:9\/mcp\n/);
    (process.listeners('SIGTERM').find((l) => !before.includes(l)) as (s: string) => void)('SIGTERM');
    expect(await done).toBe(0);
  });
});
