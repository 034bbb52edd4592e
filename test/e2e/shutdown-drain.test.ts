/**
 * SIGTERM drains before it closes: a real `mcp-gen run` (HTTP and stdio) gets the signal while database
 * statements run, and every call still gets its real result before the process exits 0. The sources are
 * closed only after the calls are done, so no call fails with "The database is not available right now".
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtifact,
  cleanupTemp,
  cli,
  killAll,
  modernMeta,
  postModern,
  requireDist,
  startHttp,
  tempDir
} from '../helpers/e2e-server.js';
import { seedFile, untilRunning } from '../helpers/sqlite-running.js';

/** About a second of counting in SQLite, reading `seed` all along (so the file stays share-locked while it runs). */
const COUNT = 4_000_000;
const counting = (source: string) => `
  - name: count_${source}
    description: Counts for a while.
    source: ${source}
    sql: WITH RECURSIVE c(x) AS (SELECT n FROM seed UNION ALL SELECT x + 1 FROM c LIMIT ${COUNT}) SELECT count(*) AS n FROM c`;

let project: string;
let sqliteArtifact: string;

beforeAll(async () => {
  requireDist();
  project = tempDir('mcpgen-drain-');
  seedFile(join(project, 'a.db'));
  seedFile(join(project, 'b.db'));
  const manifest = join(project, 'mcp-gen.yaml');
  writeFileSync(
    manifest,
    `server: { name: drain, version: 1.0.0 }
sources:
  a: { database: "sqlite:./a.db" }
  b: { database: "sqlite:./b.db" }
tools:${counting('a')}${counting('b')}
`
  );
  sqliteArtifact = await buildArtifact(manifest);
});
afterAll(async () => {
  await killAll();
  cleanupTemp();
});

const callLine = (id: number, tool: string) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: {}, _meta: modernMeta } }) + '\n';

describe('SIGTERM while SQLite statements run (HTTP)', () => {
  it('both calls finish with their rows, then the process exits 0', async () => {
    const server = await startHttp(sqliteArtifact);
    const calls = [
      postModern(server.url, 1, 'tools/call', { name: 'count_a' }),
      postModern(server.url, 2, 'tools/call', { name: 'count_b' })
    ];
    await untilRunning(join(project, 'a.db'), join(project, 'b.db'));
    server.child.kill('SIGTERM');
    for (const r of await Promise.all(calls)) {
      expect(r.status, r.text).toBe(200);
      expect(r.json.result.structuredContent, server.stderr()).toEqual({ rows: [{ n: COUNT }], rowCount: 1 });
    }
    expect(await server.exited, server.stderr()).toEqual({ code: 0, signal: null });
    expect(server.stderr()).not.toContain('not available');
  });
});

describe('stdio: the answer of a running call is written before exit', () => {
  it.each([
    ['SIGTERM', (child: ReturnType<typeof spawn>) => child.kill('SIGTERM')],
    ['end of input', (child: ReturnType<typeof spawn>) => child.stdin!.end()]
  ])('%s', async (_name, stop) => {
    const child = spawn(process.execPath, [cli, 'run', '-o', sqliteArtifact, '--log-level', 'warn'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdin.write(callLine(7, 'count_a'));
    await untilRunning(join(project, 'a.db'));
    stop(child);
    expect(await exited, err).toBe(0);
    const answers = out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { id: number; result?: { structuredContent: unknown } });
    expect(answers, err).toHaveLength(1);
    expect(answers[0]).toMatchObject({ id: 7, result: { structuredContent: { rows: [{ n: COUNT }], rowCount: 1 } } });
  });
});

const postgres = process.env.MCPGEN_TEST_POSTGRES;
if (!postgres) console.warn('shutdown-drain: PostgreSQL case skipped; set MCPGEN_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test');

/**
 * A TCP relay to PostgreSQL that, while held, keeps new connections waiting until `release()`: the pool stays
 * cold (its first connections not yet made) for as long as the test wants.
 */
async function relayTo(
  target: URL
): Promise<{ port: number; hold(): void; held(n: number): Promise<void>; release(): void; close(): void }> {
  let holding = false;
  const held: Socket[] = [];
  const all: Socket[] = [];
  let waiter: { n: number; resolve: () => void } | undefined;
  const pipe = (client: Socket) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    all.push(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  };
  const relay: Server = createServer((client) => {
    all.push(client);
    if (!holding) return pipe(client);
    held.push(client);
    if (waiter && held.length >= waiter.n) waiter.resolve();
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  return {
    port: (relay.address() as { port: number }).port,
    hold: () => void (holding = true),
    held: (n) => (held.length >= n ? Promise.resolve() : new Promise((resolve) => (waiter = { n, resolve }))),
    release: () => {
      holding = false;
      for (const c of held.splice(0)) pipe(c);
    },
    close: () => {
      relay.close();
      for (const s of all) s.destroy();
    }
  };
}

describe.skipIf(!postgres)('SIGTERM while a cold PostgreSQL pool connects (HTTP)', () => {
  it('the calls that arrived before the signal get their rows, then the process exits 0', async () => {
    const relay = await relayTo(new URL(postgres!));
    try {
      const dir = tempDir('mcpgen-drain-pg-');
      const url = new URL(postgres!);
      url.host = `127.0.0.1:${relay.port}`;
      const manifest = join(dir, 'mcp-gen.yaml');
      writeFileSync(
        manifest,
        `server: { name: drain-pg, version: 1.0.0 }
sources:
  pg: { database: "${url.href}" }
tools:
  - name: nap
    description: Sleeps a second.
    source: pg
    sql: SELECT 'rested' AS state FROM pg_sleep(1)
`
      );
      const artifact = await buildArtifact(manifest);
      relay.hold();
      const server = await startHttp(artifact, ['--log-level', 'info']);
      const calls = [postModern(server.url, 1, 'tools/call', { name: 'nap' }), postModern(server.url, 2, 'tools/call', { name: 'nap' })];
      // Both calls wait for the pool's first connections: the signal comes before either exists.
      await relay.held(2);
      server.child.kill('SIGTERM');
      await until(() => server.stderr().includes('shutting down'));
      relay.release();
      for (const r of await Promise.all(calls)) {
        expect(r.status, r.text).toBe(200);
        expect(r.json.result.structuredContent, server.stderr()).toEqual({ rows: [{ state: 'rested' }], rowCount: 1 });
      }
      expect(await server.exited, server.stderr()).toEqual({ code: 0, signal: null });
    } finally {
      relay.close();
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}
