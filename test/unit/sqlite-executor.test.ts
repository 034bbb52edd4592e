import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlQueryError, SqlUnavailableError } from '../../runtime/kinds/sql/dialect.js';
import { SqliteExecutor } from '../../runtime/kinds/sql/dialects/sqlite-executor.js';
import { untilRunning } from '../helpers/sqlite-running.js';

// A row about every half second for half a minute (SQLite has no sleep).
// Reads the table, so the file stays locked while it runs: how a test sees that it runs (untilRunning).
const SLOW =
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100000000) SELECT x FROM ' +
  'c, (SELECT id FROM t LIMIT 1) WHERE x % 2000000 = 0';
// One row, after SQLite has counted for a few seconds: nothing returns to JavaScript before it is done.
const AGGREGATE = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 8000000) SELECT count(*) AS n FROM c';

const file = () => {
  const path = join(mkdtempSync(join(tmpdir(), 'mcpgen-sqlite-exec-')), 'db.sqlite');
  const db = new Database(path);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  db.close();
  return path;
};
const never = { signal: new AbortController().signal };
const opts = (over: Partial<{ timeoutMs: number; cancel: { signal: AbortSignal } }> = {}) => ({
  readOnly: true,
  timeoutMs: 10_000,
  rowLimit: 10,
  cancel: never,
  ...over
});
const q = (text: string, values: unknown[] = []) => [{ text, values }];
const waitFor = async (test: () => boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!test() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return test();
};

let executors: SqliteExecutor[] = [];
const make = (filename: string, isolation: 'thread' | 'process' = 'thread', maxStopping?: number) => {
  const e = new SqliteExecutor({ filename, readonly: true }, isolation, maxStopping);
  executors.push(e);
  return e;
};
afterEach(async () => {
  await Promise.all(executors.map((e) => e.close()));
  executors = [];
});

describe.each(['thread', 'process'] as const)('SqliteExecutor, isolation: %s', (isolation) => {
  it('runs statements in its thread, in order, with bigint integers and columns', async () => {
    const e = make(file(), isolation);
    const [one, two] = await Promise.all([
      e.run(q('SELECT id, name FROM t WHERE id = ?', [1]), opts()),
      e.run(q('SELECT count(*) AS n FROM t'), opts())
    ]);
    expect(one).toEqual({ rows: [{ id: 1n, name: 'a' }], columns: ['id', 'name'] });
    expect(two.rows).toEqual([{ n: 2n }]);
  });

  it('reports what SQLite refuses as a query error, and a missing file as unavailable', async () => {
    const e = make(file(), isolation);
    await expect(e.run(q('SELECT nope FROM t'), opts())).rejects.toBeInstanceOf(SqlQueryError);
    await expect(e.run(q("INSERT INTO t VALUES (3, 'c')"), opts())).rejects.toThrow(/readonly/i);
    await expect(make(join(tmpdir(), 'mcpgen-no-such-dir', 'x.db'), isolation).run(q('SELECT 1'), opts())).rejects.toBeInstanceOf(
      SqlUnavailableError
    );
  });

  it('stops a statement past its timeout: the call answers at once, its thread ends at the next row, the next call runs', async () => {
    const e = make(file(), isolation);
    const started = Date.now();
    await expect(e.run(q(SLOW), opts({ timeoutMs: 200 }))).rejects.toThrow('took longer than 200 ms');
    expect(Date.now() - started).toBeLessThan(1500);
    expect((await e.run(q('SELECT 1 AS one'), opts())).rows).toEqual([{ one: 1n }]);
    expect(await waitFor(() => e.stoppingThreads === 0)).toBe(true);
  });

  it('a cancel stops the running statement; statements queued behind it run on a fresh thread', async () => {
    const path = file();
    const e = make(path, isolation);
    await e.run(q('SELECT 1'), opts());
    const controller = new AbortController();
    const slow = e.run(q(SLOW), opts({ cancel: { signal: controller.signal } }));
    const queued = e.run(q('SELECT name FROM t ORDER BY id'), opts());
    await untilRunning(path);
    controller.abort();
    await expect(slow).rejects.toThrow('cancelled');
    expect((await queued).rows).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(e.started).toBe(2);
  });

  it('a cancelled statement that finishes within the grace period keeps its thread', async () => {
    const e = make(file(), isolation);
    await e.run(q('SELECT 1'), opts());
    const controller = new AbortController();
    // About 30 ms of counting: done well within the 100 ms grace.
    const short = e.run(q(AGGREGATE.replace('8000000', '100000')), opts({ cancel: { signal: controller.signal } }));
    setTimeout(() => controller.abort(), 5);
    await expect(short).rejects.toThrow('cancelled');
    await new Promise((r) => setTimeout(r, 250));
    expect((await e.run(q('SELECT 3 AS three'), opts())).rows).toEqual([{ three: 3n }]);
    expect(e.started).toBe(1);
  });

  it('a statement cancelled before it started is skipped, without ending the thread', async () => {
    const e = make(file(), isolation);
    const first = e.run(q(AGGREGATE), opts());
    const controller = new AbortController();
    const skipped = e.run(q(SLOW), opts({ cancel: { signal: controller.signal } }));
    controller.abort();
    await expect(skipped).rejects.toThrow('cancelled');
    expect((await first).rows).toEqual([{ n: 8000000n }]);
    expect(e.stoppingThreads).toBe(0);
    // Already cancelled: never queued.
    await expect(e.run(q('SELECT 1'), opts({ cancel: { signal: AbortSignal.abort() } }))).rejects.toThrow('cancelled');
  });

  it.runIf(isolation === 'thread')(
    'refuses new statements while too many stopped ones are still finishing, then recovers',
    async () => {
      const e = make(file(), isolation, 1);
      // The aggregate returns nothing to JavaScript until it is done: its ended thread lingers a few seconds.
      await expect(e.run(q(AGGREGATE.replace('8000000', '12000000')), opts({ timeoutMs: 400 }))).rejects.toThrow('took longer');
      expect(e.stoppingThreads).toBe(1);
      await expect(e.run(q('SELECT 1'), opts())).rejects.toThrow(/1 stopped statements are still finishing/);
      expect(await waitFor(() => e.stoppingThreads === 0, 30_000)).toBe(true);
      expect((await e.run(q('SELECT 2 AS two'), opts())).rows).toEqual([{ two: 2n }]);
    },
    40_000
  );

  it.runIf(isolation === 'process')('kills a process in the middle of a long step: nothing keeps running', async () => {
    const e = make(file(), isolation, 1);
    const started = Date.now();
    await expect(e.run(q(AGGREGATE.replace('8000000', '200000000')), opts({ timeoutMs: 400 }))).rejects.toThrow('took longer');
    expect(await waitFor(() => e.stoppingThreads === 0, 2000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2500);
    expect((await e.run(q('SELECT 2 AS two'), opts())).rows).toEqual([{ two: 2n }]);
  });

  it('close fails what is waiting and refuses what comes after', async () => {
    const e = make(file(), isolation);
    const pending = e.run(q(SLOW), opts()).catch((err: Error) => err);
    await e.close();
    expect(await pending).toBeInstanceOf(SqlUnavailableError);
    await expect(e.run(q('SELECT 1'), opts())).rejects.toThrow('shutting down');
  });
});
