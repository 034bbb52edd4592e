/**
 * The SQL kind's pure pieces: page rendering (json/markdown/csv), truncation notices, value binding per
 * dialect, SQLite paths and affinities, JSON values, identifier binding and the build's check mode.
 */
import { describe, expect, it } from 'vitest';
import { checkModeFrom } from '../../generators/build.js';
import { mysql } from '../../runtime/kinds/sql/dialects/mysql.js';
import { postgres } from '../../runtime/kinds/sql/dialects/postgres.js';
import { affinity, sqlite, sqlitePath } from '../../runtime/kinds/sql/dialects/sqlite.js';
import { bindStatement } from '../../runtime/kinds/sql/render.js';
import { notice, paginate, render, type Page } from '../../runtime/kinds/sql/shape.js';
import { jsonValue } from '../../runtime/kinds/sql/values.js';

const page = (over: Partial<Page>): Page => ({ rows: [], columns: [], rowCount: 0, offset: 0, ...over });

describe('render', () => {
  const rows = [{ id: 1, note: 'a,"b"\nc', tags: { x: 1 }, gone: null }];
  const columns = ['id', 'note', 'tags', 'gone'];
  it.each([
    { given: 'a write in markdown', page: page({ affectedRows: 3 }), format: 'markdown', want: '3 row(s) affected.' },
    { given: 'no columns in csv', page: page({}), format: 'csv', want: 'No rows.' },
    {
      given: 'csv with quoting, objects and nulls',
      page: page({ rows, columns, rowCount: 1 }),
      format: 'csv',
      want: 'id,note,tags,gone\r\n1,"a,""b""\nc","{""x"":1}",\r\n'
    },
    {
      given: 'markdown with no rows',
      page: page({ columns: ['id', 'a|b'] }),
      format: 'markdown',
      want: '| id | a\\|b |\n| --- | --- |\n\n(no rows)'
    },
    {
      given: 'markdown with a row',
      page: page({ rows, columns, rowCount: 1 }),
      format: 'markdown',
      want: '| id | note | tags | gone |\n| --- | --- | --- | --- |\n| 1 | a,"b"<br>c | {"x":1} |  |'
    },
    { given: 'json of a write', page: page({ affectedRows: 2 }), format: 'json', want: '{"rows":[],"rowCount":0,"affectedRows":2}' }
  ] as const)('$given', ({ page: p, format, want }) => {
    expect(render(p, format)).toBe(want);
  });
});

describe('paginate and notice', () => {
  const raw = { rows: [{ s: 'x'.repeat(50) }, { s: 'y' }, { s: 'z' }], columns: ['s'] };
  it.each([
    { given: 'no truncation', exec: { maxRows: 10, maxBytes: 1000 }, offset: 0, key: 'k', rows: 3, want: undefined },
    {
      given: 'cut by maxRows with a cursor',
      exec: { maxRows: 2, maxBytes: 1000 },
      offset: 0,
      key: 'k',
      rows: 2,
      want: /^Result truncated at maxRows 2: rows 1-2 shown\. For the next rows call again with the same arguments and cursor: "[\w-]+"\.$/
    },
    {
      given: 'cut by maxBytes without a cursor key',
      exec: { maxRows: 10, maxBytes: 70 },
      offset: 0,
      key: undefined,
      rows: 1,
      want: /^Result truncated at maxBytes 70: rows 1-1 shown\.$/
    },
    {
      given: 'a first row larger than maxBytes',
      exec: { maxRows: 10, maxBytes: 20 },
      offset: 0,
      key: 'k',
      rows: 0,
      want: /^Result truncated: row 1 alone is larger than maxBytes 20; select fewer or shorter columns\.$/
    },
    {
      given: 'a later page cut by maxRows',
      exec: { maxRows: 1, maxBytes: 1000 },
      offset: 1,
      key: 'k',
      rows: 1,
      want: /^Result truncated at maxRows 1: rows 2-2 shown\. For the next rows/
    }
  ])('$given', ({ exec, offset, key, rows, want }) => {
    const p = paginate(raw, exec, offset, key);
    expect(p.rows).toHaveLength(rows);
    expect(p.nextCursor !== undefined).toBe(key !== undefined && p.truncated !== undefined && rows > 0);
    const n = notice(p, exec);
    if (want === undefined) expect(n).toBeUndefined();
    else expect(n).toMatch(want);
  });
});

describe('dialect value binding', () => {
  it.each([
    { dialect: sqlite, given: true, want: 1 },
    { dialect: sqlite, given: false, want: 0 },
    { dialect: sqlite, given: { a: [1] }, want: '{"a":[1]}' },
    { dialect: sqlite, given: null, want: null },
    { dialect: sqlite, given: 'x', want: 'x' },
    { dialect: mysql, given: true, want: 1 },
    { dialect: mysql, given: false, want: 0 },
    { dialect: mysql, given: [1, 2], want: '[1,2]' },
    { dialect: mysql, given: 5, want: 5 },
    { dialect: postgres, given: { a: 1 }, want: '{"a":1}' },
    { dialect: postgres, given: true, want: true },
    { dialect: postgres, given: null, want: null }
  ])('$dialect.name binds $given as $want', ({ dialect, given, want }) => {
    expect(dialect.bind(given)).toEqual(want);
  });
});

describe('sqlitePath', () => {
  it.each([
    { url: 'sqlite::memory:', want: ':memory:' },
    { url: 'sqlite:', want: ':memory:' },
    { url: 'sqlite:./shop.db', want: '/proj/shop.db' },
    { url: 'sqlite3:data/x.db', want: '/proj/data/x.db' },
    { url: 'sqlite:///abs/shop.db', want: '/abs/shop.db' },
    { url: 'sqlite:/abs/other.db', want: '/abs/other.db' }
  ])('$url → $want', ({ url, want }) => {
    expect(sqlitePath(url, '/proj')).toBe(want);
  });
});

describe('SQLite affinity of a declared type', () => {
  it.each([
    { given: null, want: {} },
    { given: 'BIGINT', want: { type: ['integer', 'string'] } },
    { given: 'varchar(20)', want: { type: 'string' } },
    { given: 'DATETIME', want: { type: 'string' } },
    { given: 'BLOB', want: { type: 'string', contentEncoding: 'base64' } },
    { given: 'DOUBLE PRECISION', want: { type: 'number' } },
    { given: 'float', want: { type: 'number' } },
    { given: 'NUMERIC(10,2)', want: {} }
  ])('$given', ({ given, want }) => {
    expect(affinity(given)).toEqual(want);
  });
});

describe('jsonValue', () => {
  it.each([
    { given: new Date('2024-02-03T04:05:06Z'), want: '2024-02-03T04:05:06.000Z' },
    { given: new Date('not a date'), want: null },
    { given: 2n ** 60n, want: '1152921504606846976' },
    { given: -5n, want: -5 },
    { given: new Uint8Array([222, 173]), want: '3q0=' },
    { given: undefined, want: null }
  ])('$given', ({ given, want }) => {
    expect(jsonValue(given)).toEqual(want);
  });
});

describe('bindStatement identifiers', () => {
  const parts = ['SELECT * FROM t ORDER BY ', { ident: 'col' }, ' ', { ident: 'dir' }] as const;
  it.each([
    { args: { col: 'name', dir: 'desc' }, ids: { col: ['name'], dir: ['asc', 'desc'] }, want: 'SELECT * FROM t ORDER BY "name" DESC' },
    { args: { col: 'name; DROP', dir: 'asc' }, ids: { col: ['name'], dir: ['asc'] }, want: new RangeError('col must be one of name') },
    { args: { col: 'name', dir: 'asc' }, ids: { col: ['name'] }, want: new RangeError('dir must be one of ') },
    { args: { col: 7, dir: 'asc' }, ids: { col: ['name'], dir: ['asc'] }, want: new RangeError('col must be one of name') }
  ] as { args: Record<string, unknown>; ids: Record<string, string[]>; want: string | Error }[])('$args', ({ args, ids, want }) => {
    if (want instanceof Error) expect(() => bindStatement(parts, args, sqlite, ids)).toThrow(want);
    else expect(bindStatement(parts, args, sqlite, ids).text).toBe(want);
  });
});

describe('checkModeFrom (--db flag and MCPGEN_DB_CHECK)', () => {
  it.each([
    { env: {}, flag: true, want: 'required' },
    { env: { MCPGEN_DB_CHECK: '1' }, flag: false, want: 'required' },
    { env: { MCPGEN_DB_CHECK: '0' }, flag: false, want: 'off' },
    { env: { MCPGEN_DB_CHECK: '0' }, flag: true, want: 'required' },
    { env: {}, flag: false, want: 'auto' }
  ])('$env, flag $flag → $want', ({ env, flag, want }) => {
    expect(checkModeFrom(env, flag)).toBe(want);
  });
});
