/**
 * `mcp-gen init --database URL`: the schema is read through knex and the starter manifest (a list tool and a
 * get-by-key resource template per table) is written with credentials as ${VAR} references; it builds and
 * answers as written. SQLite always; PostgreSQL and MariaDB on the real servers when enabled.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { initCommand } from '../../generators/cli/commands/init.js';
import { callCommand, readCommand } from '../../generators/cli/commands/inspect.js';
import { introspectDatabase } from '../../generators/kinds/sql/starter/index.js';
import { LIVE_TABLES, quoteIdent } from '../../generators/kinds/sql/starter/starter.js';
import { parseDatabaseUrl } from '../../generators/kinds/sql/starter/url.js';

const update = process.env.UPDATE_GOLDEN === '1';
const golden = join(import.meta.dirname, '..', 'golden', 'init-database', 'sqlite.yaml');
const root = mkdtempSync(join(tmpdir(), 'mcpgen-init-db-'));
const suffix = `${process.pid}_${Date.now().toString(36)}`;
let stderr: string[] = [];
let stdout: string[] = [];

beforeEach(() => {
  stderr = [];
  stdout = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (stdout.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The same shapes in each engine: a plain table, a reserved word, a composite key, no key, a view. */
const SCHEMA = {
  sqlite: [
    'CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT, created_at TEXT)',
    'CREATE TABLE "order" (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total NUMERIC(10,2) NOT NULL)',
    'CREATE TABLE order_items (order_id INTEGER NOT NULL, line INTEGER NOT NULL, sku TEXT NOT NULL, PRIMARY KEY (order_id, line))',
    'CREATE TABLE audit_log (at TEXT, message TEXT)',
    'CREATE VIEW big_orders AS SELECT id, total FROM "order" WHERE total > 100',
    "INSERT INTO customers VALUES (1, 'Ada', 'GB', '2024-01-02'), (2, 'Grace', 'US', '2024-02-03')",
    'INSERT INTO "order" VALUES (10, 1, 99.5), (11, 2, 250)',
    "INSERT INTO order_items VALUES (10, 1, 'A-1'), (10, 2, 'B-2')"
  ],
  postgres: [
    'CREATE TABLE customers (id serial PRIMARY KEY, name varchar(80) NOT NULL, country char(2), created_at timestamptz)',
    'CREATE TABLE "order" (id bigint PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers(id), total numeric(10,2) NOT NULL)',
    'CREATE TABLE order_items (order_id bigint NOT NULL, line smallint NOT NULL, sku text NOT NULL, PRIMARY KEY (order_id, line))',
    'CREATE TABLE audit_log (at timestamptz, message text)',
    'CREATE VIEW big_orders AS SELECT id, total FROM "order" WHERE total > 100',
    "INSERT INTO customers VALUES (1, 'Ada', 'GB', '2024-01-02'), (2, 'Grace', 'US', '2024-02-03')",
    'INSERT INTO "order" VALUES (10, 1, 99.5), (11, 2, 250)',
    "INSERT INTO order_items VALUES (10, 1, 'A-1'), (10, 2, 'B-2')"
  ],
  mysql: [
    'CREATE TABLE customers (id int unsigned AUTO_INCREMENT PRIMARY KEY, name varchar(80) NOT NULL, country char(2), created_at datetime)',
    'CREATE TABLE `order` (id bigint PRIMARY KEY, customer_id int unsigned NOT NULL, total decimal(10,2) NOT NULL)',
    'CREATE TABLE order_items (order_id bigint NOT NULL, line smallint NOT NULL, sku varchar(20) NOT NULL, PRIMARY KEY (order_id, line))',
    'CREATE TABLE audit_log (at datetime, message text)',
    'CREATE VIEW big_orders AS SELECT id, total FROM `order` WHERE total > 100',
    "INSERT INTO customers VALUES (1, 'Ada', 'GB', '2024-01-02'), (2, 'Grace', 'US', '2024-02-03')",
    'INSERT INTO `order` VALUES (10, 1, 99.5), (11, 2, 250)',
    "INSERT INTO order_items VALUES (10, 1, 'A-1'), (10, 2, 'B-2')"
  ]
};

/** Builds a manifest into its own .mcp-gen; returns the error diagnostics and the names of what it serves. */
async function buildIt(manifest: string, env: NodeJS.ProcessEnv = {}) {
  const outDir = join(manifest, '..', '.mcp-gen');
  const r = await build({ manifest, outDir, env });
  if (r.files.size > 0) await writeArtifact(r);
  return {
    outDir,
    errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`),
    tools: r.artifact?.tools.map((t) => t.name) ?? [],
    templates: r.artifact?.resourceTemplates.map((t) => t.descriptor.uriTemplate) ?? []
  };
}

/** Runs `mcp-gen call`/`read` in-process and parses what it printed. */
async function inProcess(run: typeof callCommand, argv: string[]) {
  stdout = [];
  const code = await run(argv);
  return {
    code,
    result: JSON.parse(stdout.join('')) as { structuredContent?: unknown; content?: { text?: string }[]; contents?: { text?: string }[] }
  };
}

describe('database URLs', () => {
  const dir = join(root, 'app');
  it.each([
    // given URL → manifest URL, env variables, display
    [
      'postgres://postgres@127.0.0.1:5432/test',
      'postgres://${TEST_DB_USER:-postgres}@127.0.0.1:5432/test',
      ['TEST_DB_USER'],
      'postgres://postgres@127.0.0.1:5432/test'
    ],
    [
      'postgresql://ann:pa%40ss@db.local/Sales?sslmode=require',
      'postgresql://${SALES_DB_USER:-ann}:${SALES_DB_PASSWORD}@db.local/Sales?sslmode=require',
      ['SALES_DB_USER', 'SALES_DB_PASSWORD'],
      'postgresql://ann@db.local/Sales'
    ],
    [
      'mysql://root@127.0.0.1:3306/test',
      'mysql://${TEST_DB_USER:-root}@127.0.0.1:3306/test',
      ['TEST_DB_USER'],
      'mysql://root@127.0.0.1:3306/test'
    ],
    [
      'mariadb://u:secret@h/shop?ssl-key=k1&charset=utf8mb4',
      'mariadb://${SHOP_DB_USER:-u}:${SHOP_DB_PASSWORD}@h/shop?ssl-key=${SHOP_DB_SSL_KEY}&charset=utf8mb4',
      ['SHOP_DB_USER', 'SHOP_DB_PASSWORD', 'SHOP_DB_SSL_KEY'],
      'mariadb://u@h/shop'
    ],
    ['postgres://127.0.0.1/9lives', 'postgres://127.0.0.1/9lives', [], 'postgres://127.0.0.1/9lives']
  ])('%s', (url, manifestUrl, env, display) => {
    const t = parseDatabaseUrl(url, dir);
    if ('error' in t) throw new Error(t.error);
    expect(t.manifestUrl).toBe(manifestUrl);
    expect(t.env.map((e) => e.name)).toEqual(env);
    expect(t.display).toBe(display);
    // No secret anywhere but in the connection settings.
    for (const secret of ['pa@ss', 'pa%40ss', 'secret', 'k1']) {
      expect(t.manifestUrl).not.toContain(secret);
      expect(t.display).not.toContain(secret);
    }
  });

  it('names the source after the database (lowercase, a letter first)', () => {
    const t = parseDatabaseUrl('postgres://127.0.0.1/9lives', dir);
    expect('error' in t ? t.error : t.sourceName).toBe('lives');
  });

  it.each([
    ['redis://127.0.0.1', /expected a database URL/],
    ['postgres://127.0.0.1:5432/', /names no database/],
    ['postgres://127.0.0.1:5432/a/b', /names no database/],
    ['mysql://[bad', /not a valid mysql URL/],
    ['sqlite:', /needs the path of a database file/],
    ['sqlite::memory:', /needs the path of a database file/],
    ['sqlite:./no/such.db', /no SQLite database at \.\/no\/such\.db/]
  ])('rejects %s', (url, message) => {
    const t = parseDatabaseUrl(url, dir);
    expect('error' in t ? t.error : 'parsed').toMatch(message);
  });

  it.each([
    ['customers', 'sqlite', 'customers'],
    ['order', 'postgres', '"order"'],
    ['order', 'mysql', '`order`'],
    ['Order Lines', 'sqlite', '"Order Lines"'],
    ['we"ird', 'postgres', '"we""ird"'],
    ['we`ird', 'mysql', '`we``ird`'],
    ['2fa', 'sqlite', '"2fa"']
  ] as const)('quotes %s for %s as %s', (name, dialect, want) => {
    expect(quoteIdent(name, dialect)).toBe(want);
  });
});

describe('init --database sqlite:', () => {
  const dbFile = join(root, 'shop.db');
  const dir = join(root, 'sqlite');
  const manifest = join(dir, 'mcp-gen.yaml');

  it('writes the starter (golden file)', async () => {
    const db = new Database(dbFile);
    for (const statement of SCHEMA.sqlite) db.exec(statement);
    db.close();
    // Given relative to the current directory, written relative to the manifest.
    expect(await initCommand(['--database', `sqlite:${relative(process.cwd(), dbFile)}`, '--dir', dir])).toBe(0);
    expect(stderr.join('')).toContain('read 5 table(s) and view(s) of sqlite:../shop.db');
    // The schema comment's path depends on where the temp folder is.
    const text = readFileSync(manifest, 'utf8').replace(/^# yaml-language-server: \$schema=.*$/m, '# yaml-language-server: $schema=SCHEMA');
    if (update) {
      mkdirSync(join(golden, '..'), { recursive: true });
      writeFileSync(golden, text);
    }
    expect(text, 'differs from test/golden/init-database/sqlite.yaml; rerun with UPDATE_GOLDEN=1 after reviewing').toBe(
      readFileSync(golden, 'utf8')
    );
  });

  it('builds as written and answers the list tools and templates', async () => {
    const r = await buildIt(manifest);
    expect(r.errors).toEqual([]);
    expect(r.tools).toEqual(['list_audit_log', 'list_customers', 'list_order', 'list_order_items', 'list_big_orders']);
    expect(r.templates).toEqual(['shop://customers/{id}', 'shop://order/{id}', 'shop://order_items/{order_id}/{line}']);
    const page = await inProcess(callCommand, ['list_customers', '--args', '{"limit":1,"offset":1}', '-o', r.outDir]);
    expect(page.code).toBe(0);
    expect(JSON.stringify(page.result.structuredContent)).toContain('Grace');
    expect(JSON.stringify(page.result.structuredContent)).not.toContain('Ada');
    const item = await inProcess(readCommand, ['shop://order_items/10/2', '-o', r.outDir]);
    expect(item.code).toBe(0);
    expect(item.result.contents?.[0]?.text).toContain('B-2');
  });

  it('takes sqlite3: and sqlite:// spellings too, and writes sqlite:', () => {
    for (const url of [`sqlite3:${dbFile}`, `sqlite://${dbFile}`]) {
      const t = parseDatabaseUrl(url, dir);
      expect('error' in t ? t.error : t.manifestUrl).toBe(`sqlite:${dbFile}`);
    }
  });

  it('refuses to overwrite an existing manifest', async () => {
    const before = readFileSync(manifest, 'utf8');
    expect(await initCommand(['--database', `sqlite:${dbFile}`, '--dir', dir])).toBe(1);
    expect(stderr.join('')).toContain('already exists');
    expect(readFileSync(manifest, 'utf8')).toBe(before);
  });

  it(`writes the tables past the first ${LIVE_TABLES} commented out`, async () => {
    const many = join(root, 'many.db');
    const db = new Database(many);
    for (let i = 1; i <= LIVE_TABLES + 2; i++) db.exec(`CREATE TABLE t${String(i).padStart(2, '0')} (id INTEGER PRIMARY KEY, v TEXT)`);
    db.close();
    const out = join(root, 'many');
    expect(await initCommand(['--database', `sqlite:${many}`, '--dir', out])).toBe(0);
    const text = readFileSync(join(out, 'mcp-gen.yaml'), 'utf8');
    expect(text).toContain(`# ${LIVE_TABLES + 2} tables: the first ${LIVE_TABLES} are live`);
    expect(text).toMatch(/^ {2}- name: list_t20$/m);
    expect(text).toMatch(/^ {2}# - name: list_t21$/m);
    expect(text).toMatch(/^ {2}# - name: t22$/m);
    // An absolute path stays absolute.
    expect(text).toContain(`    database: sqlite:${many}\n`);
  });

  it('an empty database gives empty lists', async () => {
    const empty = join(root, 'empty.db');
    new Database(empty).close();
    const out = join(root, 'empty');
    expect(await initCommand(['--database', `sqlite:${empty}`, '--dir', out])).toBe(0);
    const text = readFileSync(join(out, 'mcp-gen.yaml'), 'utf8');
    expect(text).toContain('tools: []\n  # The database has no tables yet.');
    expect(text).toContain('resources: []\n  # No table has a primary key: no resource templates.');
  });

  it('a missing file is an error, and no file is created', async () => {
    const out = join(root, 'missing');
    expect(await initCommand(['--database', 'sqlite:./nowhere.db', '--dir', out])).toBe(1);
    expect(stderr.join('')).toBe('--database: no SQLite database at ./nowhere.db\n');
    expect(existsSync('nowhere.db')).toBe(false);
    expect(existsSync(join(out, 'mcp-gen.yaml'))).toBe(false);
  });

  it('--openapi and --database together are a usage error', async () => {
    await expect(initCommand(['--database', `sqlite:${dbFile}`, '--openapi', 'x.yaml', '--dir', join(root, 'both')])).rejects.toThrow(
      'cannot be combined'
    );
  });
});

describe('init --database, server unreachable', () => {
  it.each(['postgres', 'mysql'])('%s: a clear error without the password', async (scheme) => {
    // Port 1 on the loopback refuses at once: no server needed.
    const out = join(root, `down-${scheme}`);
    expect(await initCommand(['--database', `${scheme}://app:hunter2@127.0.0.1:1/shop`, '--dir', out])).toBe(1);
    const said = stderr.join('');
    expect(said).toContain(`--database: cannot read the schema of ${scheme}://app@127.0.0.1:1/shop: connect ECONNREFUSED`);
    expect(said).not.toContain('hunter2');
    expect(existsSync(join(out, 'mcp-gen.yaml'))).toBe(false);
  });
});

/**
 * The real servers: each case makes a database of its own (unique name), so parallel suites never see its
 * tables, and drops it afterwards.
 */
const servers = [
  { dialect: 'postgres', enable: 'MCP_GEN_TEST_PG', ci: 'MCPGEN_TEST_POSTGRES', url: 'postgres://postgres@127.0.0.1:5432/test' },
  { dialect: 'mysql', enable: 'MCP_GEN_TEST_MYSQL', ci: 'MCPGEN_TEST_MYSQL', url: 'mysql://root@127.0.0.1:3306/test' }
] as const;

for (const server of servers) {
  const enabled = process.env[server.enable] === '1' || !!process.env[server.ci];
  const base = process.env[server.ci] || server.url;
  const label = `init --database on ${server.dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB/MySQL'}`;
  if (!enabled) {
    describe.skip(`${label} (skipped: set ${server.enable}=1 to run against ${server.url}; .ci/run sets ${server.ci})`, () => {
      it('needs the server', () => undefined);
    });
    continue;
  }
  describe(label, () => {
    const name = `mcpgen_init_${suffix}`;
    const url = base.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
    const dir = join(root, server.dialect);
    const manifest = join(dir, 'mcp-gen.yaml');

    /** Runs statements on the server (admin connection to the URL's own database, or the test one). */
    async function run(on: string, statements: readonly string[]) {
      const target = parseDatabaseUrl(on, root);
      if ('error' in target) throw new Error(target.error);
      const { default: knex } = await import('knex');
      const db = knex({ ...target.knex, pool: { min: 0, max: 1 } });
      try {
        for (const s of statements) await db.raw(s);
      } finally {
        await db.destroy();
      }
    }

    afterAll(async () => {
      // The in-process calls leave the kind's pool open: PostgreSQL drops the database all the same with FORCE.
      await run(base, [server.dialect === 'postgres' ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`]);
    });

    it('reads types, keys and views, and the starter builds and answers', async () => {
      await run(base, [`CREATE DATABASE ${name}`]);
      await run(url, SCHEMA[server.dialect]);
      const target = parseDatabaseUrl(url, dir);
      if ('error' in target) throw new Error(target.error);
      const tables = await introspectDatabase(target);
      expect(tables.map((t) => `${t.kind} ${t.name} [${t.primaryKey.join(',')}]`)).toEqual([
        'table audit_log []',
        'table customers [id]',
        'table order [id]',
        'table order_items [order_id,line]',
        'view big_orders []'
      ]);
      const types = Object.fromEntries(
        tables.flatMap((t) => t.columns.map((c) => [`${t.name}.${c.name}`, `${c.type}${c.nullable ? '' : ' not null'}`]))
      );
      expect(types).toMatchObject(
        server.dialect === 'postgres'
          ? {
              'order.total': 'numeric(10,2) not null',
              'customers.name': 'character varying(80) not null',
              'customers.created_at': 'timestamp with time zone',
              'order_items.line': 'smallint not null'
            }
          : {
              'order.total': 'decimal(10,2) not null',
              'customers.name': 'varchar(80) not null',
              'customers.id': 'int(10) unsigned not null',
              'customers.created_at': 'datetime'
            }
      );

      expect(await initCommand(['--database', url, '--dir', dir])).toBe(0);
      const text = readFileSync(manifest, 'utf8');
      const user = server.dialect === 'postgres' ? 'postgres' : 'root';
      const source = name;
      expect(text).toContain(`    database: ${url.replace(`//${user}@`, `//\${${source.toUpperCase()}_DB_USER:-${user}}@`)}\n`);
      expect(text).toContain(server.dialect === 'postgres' ? '      FROM "order"\n' : '      FROM `order`\n');
      expect(text).toContain('      ORDER BY order_id, line\n');
      const r = await buildIt(manifest, process.env);
      expect(r.errors).toEqual([]);
      expect(r.tools).toEqual(['list_audit_log', 'list_customers', 'list_order', 'list_order_items', 'list_big_orders']);
      const page = await inProcess(callCommand, ['list_order', '--args', '{"limit":5}', '-o', r.outDir]);
      expect(page.code).toBe(0);
      expect(JSON.stringify(page.result.structuredContent)).toMatch(/"total":"?250(\.00)?"?/);
      const scheme = source.replaceAll('_', '-');
      const item = await inProcess(readCommand, [`${scheme}://order_items/10/1`, '-o', r.outDir]);
      expect(item.code).toBe(0);
      expect(item.result.contents?.[0]?.text).toContain('A-1');
    });
  });
}
