import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepare, runStatements, sqliteFailure } from '../../runtime/kinds/sql/dialects/sqlite-run.js';

// What the SQLite thread runs for each job, here on this thread so each rule is checked on its own.
function database(readonly = false): Database.Database {
  const path = join(mkdtempSync(join(tmpdir(), 'mcpgen-sqlite-run-')), 'db.sqlite');
  const setup = new Database(path);
  setup.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  setup.close();
  return new Database(path, { readonly });
}
const s = (text: string, values: unknown[] = []) => ({ text, values });

describe('runStatements', () => {
  it('given a read-only query, wants its rows up to the limit, integers as bigint, and its columns', () => {
    const db = database();
    expect(runStatements(db, [s('SELECT id, name FROM t ORDER BY id')], true, 2, 100)).toEqual({
      rows: [
        { id: 1n, name: 'a' },
        { id: 2n, name: 'b' }
      ],
      columns: ['id', 'name']
    });
    expect(runStatements(db, [s('SELECT name FROM t WHERE id = ?', [9])], true, 10, 100)).toEqual({ rows: [], columns: ['name'] });
  });

  it('refuses a write through a read-only query on a writable file (query_only), and lifts it afterwards', () => {
    const db = database();
    expect(() => runStatements(db, [s("UPDATE t SET name = 'x' WHERE id = 1")], true, 10, 100)).toThrow(/readonly/i);
    expect(db.pragma('query_only', { simple: true })).toBe(0);
    expect(runStatements(db, [s("UPDATE t SET name = 'x' WHERE id = 1")], false, 10, 100)).toEqual({
      rows: [],
      columns: [],
      affectedRows: 1
    });
  });

  it('runs a write job in one transaction: a failing statement undoes the ones before it', () => {
    const db = database();
    expect(() =>
      runStatements(db, [s("UPDATE t SET name = 'z' WHERE id = 1"), s("UPDATE t SET name = 'b' WHERE id = 3")], false, 10, 100)
    ).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT name FROM t WHERE id = 1').get()).toEqual({ name: 'a' });
  });

  it('sets busy_timeout only when it changes', () => {
    const db = database(true);
    runStatements(db, [s('SELECT 1')], true, 1, 250);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(250);
    runStatements(db, [s('SELECT 1')], true, 1, 250);
    runStatements(db, [s('SELECT 1')], true, 1, 0);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(0);
  });

  it('prepares each text once per connection', () => {
    const db = database(true);
    expect(prepare(db, 'SELECT 1')).toBe(prepare(db, 'SELECT 1'));
    expect(prepare(db, 'SELECT 1')).not.toBe(prepare(database(true), 'SELECT 1'));
  });
});

describe('sqliteFailure', () => {
  it.each([
    {
      given: Object.assign(new Error('no such column: x'), { code: 'SQLITE_ERROR' }),
      want: { kind: 'query', message: 'no such column: x' }
    },
    {
      given: new RangeError('Too few parameter values were provided'),
      want: { kind: 'query', message: 'Too few parameter values were provided' }
    },
    {
      given: Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_READ' }),
      want: { kind: 'unavailable', message: 'SQLITE_IOERR_READ' }
    },
    {
      given: Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }),
      want: { kind: 'unavailable', message: 'SQLITE_NOTADB' }
    },
    { given: new Error('something else'), want: { kind: 'unavailable', message: 'database error' } }
  ])('$given.message → $want.kind', ({ given, want }) => {
    expect(sqliteFailure(given)).toEqual(want);
  });
});
