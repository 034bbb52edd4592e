/**
 * `mcp-gen run --http --workers N`, as real processes: the usage errors (and the refusal of memory state with more
 * than one worker), then a cluster of two workers behind one port: both answer, /metrics adds them up, a worker
 * killed with SIGKILL is restarted and logged while requests keep succeeding, and SIGTERM to the primary drains
 * everything (the call in flight completes) and exits 0.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtifact,
  cleanupTemp,
  cli,
  killAll,
  modernHeaders,
  modernMeta,
  requireDist,
  startHttp,
  tempDir
} from '../helpers/e2e-server.js';
import { parseExposition, sampleValue } from '../helpers/prometheus.js';
import { waitFor } from '../helpers/wait.js';

let project: string;
let artifact: string;

beforeAll(async () => {
  requireDist();
  project = tempDir('mcpgen-workers-');
  mkdirSync(join(project, 'handlers'));
  // A call that says when it started (a file), then runs long enough for a signal to arrive while it is in flight.
  writeFileSync(
    join(project, 'handlers', 'slow.ts'),
    `import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
export default async (args: { marker: string }) => {
  writeFileSync(args.marker, 'started');
  await sleep(1500);
  return 'slow done';
};
`
  );
  writeFileSync(
    join(project, 'mcp-gen.yaml'),
    `server: { name: workers, version: 1.0.0 }
tools:
  - name: echo
    description: Echo the text back.
    input: { properties: { text: { type: string } }, required: [text] }
    template: "{{text}}"
  - name: slow
    description: Takes a while.
    input: { properties: { marker: { type: string } }, required: [marker] }
    handler: ./handlers/slow.ts
`
  );
  artifact = await buildArtifact(join(project, 'mcp-gen.yaml'));
});
afterAll(async () => {
  await killAll();
  cleanupTemp();
});

/** Runs the CLI to its end (these cases never start serving). */
function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [cli, 'run', '-o', artifact, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MCPGEN_STATE: '', ...env }
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('run --workers: usage errors', () => {
  it.each([
    { given: ['--http', '--workers', '0'], env: {}, want: /--workers must be a whole number of workers \(1 or more\) or auto, got 0/ },
    { given: ['--http', '--workers', 'abc'], env: {}, want: /--workers must be .* or auto, got abc/ },
    { given: ['--http', '--workers=1.5'], env: {}, want: /--workers must be .* got 1\.5/ },
    { given: ['--http', '--workers='], env: {}, want: /--workers must be .* got $/m },
    { given: ['--stdio', '--workers', '2'], env: {}, want: /--workers needs --http/ },
    { given: ['--workers', '2'], env: {}, want: /--workers needs --http/ },
    { given: ['--http', '--workers', '2'], env: {}, want: /--workers 2 needs a shared state store, and state\.store is memory/ },
    { given: ['--http', '--workers', '2'], env: { MCPGEN_STATE: 'memory' }, want: /state\.store is memory/ },
    { given: ['--http', '--workers', '2', '--port', 'x'], env: { MCPGEN_STATE: 'redis://127.0.0.1:1' }, want: /invalid port x/ },
    { given: ['--http', '--workers', '2', '--drain-timeout', '-1'], env: { MCPGEN_STATE: 'redis://127.0.0.1:1' }, want: /--drain-timeout/ }
  ])('$given $env: exit 2, $want', async ({ given, env, want }) => {
    const { code, stderr } = await runCli(given, env);
    expect(stderr).toMatch(want);
    expect(code, stderr).toBe(2);
  });

  it('a port in use: the first worker to fail names it, and the primary exits 2', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const port = String((taken.address() as AddressInfo).port);
      const { code, stderr } = await runCli(['--http', '--port', port, '--workers', '2'], { MCPGEN_STATE: 'redis://127.0.0.1:1' });
      expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(stderr).toMatch(/"exit_code":2,.*"msg":"worker \d+ failed to start \(code 2\): stopping"/);
      expect(code, stderr).toBe(2);
    } finally {
      taken.close();
    }
  });
});

/** One 2026-07-28 POST on a connection of its own (no keep-alive agent): the OS may hand it to any worker. */
function postFresh(url: string, id: number, method: string, params: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const body = JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: modernMeta } });
  const name = typeof params.name === 'string' ? params.name : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...modernHeaders(method, name) }
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The JSON log lines so far. */
const logLines = (stderr: string): Array<Record<string, unknown>> =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** The pids of a process's children (Linux: /proc/PID/task/PID/children). */
const childrenOf = (pid: number): number[] =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '')
    .map(Number);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const redis = process.env.MCPGEN_TEST_REDIS;
if (!redis) console.warn('workers: the cluster cases are skipped; set MCPGEN_TEST_REDIS=redis://127.0.0.1:6379');

/**
 * More than one worker needs a shared state store; only 2026-07-28 requests are sent here (they need no session),
 * so these cases hold whatever the store does with sessions.
 */
describe.skipIf(!redis)('run --http --workers 2', () => {
  it('serves from both workers, aggregates /metrics, restarts a killed worker, and drains all on SIGTERM', async () => {
    const server = await startHttp(artifact, ['--workers', '2', '--log-level', 'info', '--log-format', 'json'], {
      ...process.env,
      MCPGEN_STATE: redis!
    });
    const base = server.url.replace(/\/mcp$/, '');
    const pid = server.child.pid!;
    const workers = childrenOf(pid);
    expect(workers).toHaveLength(2);

    // Fresh connections, spread by the primary across the workers: each access line names its worker.
    let calls = 0;
    const answering = () =>
      new Set(
        logLines(server.stderr())
          .filter((l) => l.msg === 'request completed')
          .map((l) => l.worker)
      );
    for (let id = 1; id <= 8; id++) {
      const r = await postFresh(server.url, id, 'tools/call', { name: 'echo', arguments: { text: `hi ${id}` } });
      expect(r.status).toBe(200);
      expect(r.body.result.content[0].text).toBe(`hi ${id}`);
      calls++;
    }
    await waitFor(() => answering().size === 2, 5_000, 'access lines from both workers');
    expect([...answering()].sort()).toEqual([1, 2]);

    // Whichever worker answers /metrics, it shows the whole server: every call, whichever worker served it.
    const scrape = async () => parseExposition(await (await fetch(`${base}/metrics`, { headers: { connection: 'close' } })).text());
    for (let i = 0; i < 2; i++) {
      const m = await scrape();
      expect(sampleValue(m, 'mcp_server_operation_duration_seconds_count', { mcp_method_name: 'tools/call' })).toBe(calls);
      expect(sampleValue(m, 'mcpgen_workers')).toBe(2);
    }
    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);

    // A worker killed outright is logged and replaced; the other one serves meanwhile.
    process.kill(workers[0]!, 'SIGKILL');
    await waitFor(
      () => logLines(server.stderr()).some((l) => l.signal === 'SIGKILL' && /died \(SIGKILL\): restarting/.test(String(l.msg))),
      10_000,
      'the death of the killed worker in the log'
    );
    for (let id = 100; id < 104; id++) expect((await postFresh(server.url, id, 'tools/list', {})).status).toBe(200);
    await waitFor(() => logLines(server.stderr()).some((l) => / serving again$/.test(String(l.msg))), 10_000, 'the restarted worker');
    const death = logLines(server.stderr()).find((l) => l.signal === 'SIGKILL')!;
    expect(death).toMatchObject({ level: 'error', worker: 1, pid: workers[0], exit_code: null });
    const after = childrenOf(pid);
    expect(after).toHaveLength(2);
    expect(after).not.toContain(workers[0]);
    expect(sampleValue(await scrape(), 'mcpgen_worker_restarts_total')).toBe(1);

    // SIGTERM to the primary while a call runs: the call completes, every process exits, the primary with 0.
    const marker = join(project, 'started');
    const slow = postFresh(server.url, 200, 'tools/call', { name: 'slow', arguments: { marker } });
    await waitFor(() => existsSync(marker), 10_000, 'the slow call to start');
    server.child.kill('SIGTERM');
    const answered = await slow;
    expect(answered.status).toBe(200);
    expect(answered.body.result.content[0].text).toBe('slow done');
    expect(await server.exited, server.stderr()).toEqual({ code: 0, signal: null });
    for (const w of after) expect(alive(w), `worker ${w} still running`).toBe(false);
    expect(server.stderr()).toMatch(/shutting down: draining 2 workers/);
  }, 60_000);
});
