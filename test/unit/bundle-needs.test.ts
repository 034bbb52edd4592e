import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { formatDiagnostic, hasErrors } from '../../generators/diagnostics/diagnostic.js';
import { bundleNeeds, externalPackages, installedVersion } from '../../generators/bundle/needs.js';
import { packageName } from '../../generators/kinds/handler/deploy.js';
import { databaseFile } from '../../generators/kinds/sql/deploy.js';
import { packageRoot } from '../../runtime/package-root.js';
import { projectWith, removeProjects, templateAndHandler } from '../helpers/bundle-projects.js';

const header = 'server: { name: needs, version: 1.0.0 }\n';
const template = 'tools:\n  - { name: t, description: T., template: hi }\n';
const sql = (url: string) =>
  `sources:\n  db: { database: "${url}" }\ntools:\n  - { name: q, description: Q., source: db, sql: SELECT 1 AS one }\n`;

/** The version package-lock.json pinned for one of mcp-gen's packages. */
function locked(name: string): string {
  const lock = JSON.parse(readFileSync(join(packageRoot(), 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  return lock.packages[`node_modules/${name}`]!.version;
}

afterAll(removeProjects);

async function needsOf(files: Record<string, string>) {
  const dir = projectWith(files);
  const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), check: 'off', seed: true });
  if (hasErrors(result.diagnostics)) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return bundleNeeds(result.artifact!, result.files, dir);
}

describe('bundleNeeds: the packages a manifest needs', () => {
  it.each([
    { given: 'a template tool', manifest: header + template, want: [] },
    { given: 'a SQLite source', manifest: header + sql('sqlite:./data/x.db'), want: ['better-sqlite3', 'knex'] },
    { given: 'a PostgreSQL source', manifest: header + sql('postgres://u@127.0.0.1:5432/test'), want: ['knex', 'pg'] },
    { given: 'a MySQL source', manifest: header + sql('mysql://root@127.0.0.1:3306/test'), want: ['knex', 'mysql2'] },
    { given: 'limits kept in memory', manifest: `${header}limits: { global: 5/second }\n${template}`, want: [] },
    {
      given: 'limits kept in Redis',
      manifest: `${header}limits: { store: "redis://127.0.0.1:6379", global: 5/second }\n${template}`,
      want: ['ioredis']
    }
  ])('$given: $want', async ({ manifest, want }) => {
    const needs = await needsOf({ 'mcp-gen.yaml': manifest, 'data/.keep': '' });
    expect(Object.keys(needs.packages)).toEqual(want);
    // Pinned to exactly what mcp-gen's lock file installed.
    for (const name of want) expect(needs.packages[name]).toBe(locked(name));
  });

  it("a handler: the sandbox worker and the npm packages its compiled module imports, at the project's version", async () => {
    const needs = await needsOf(templateAndHandler);
    expect(needs.packages).toEqual({ mime: locked('mime') });
    expect(Object.keys(needs.workers)).toEqual(['entry.js']);
  });

  it('a SQLite source: both worker scripts and its database file', async () => {
    const needs = await needsOf({ 'mcp-gen.yaml': header + sql('sqlite:./data/x.db'), 'data/.keep': '' });
    expect(Object.keys(needs.workers).sort()).toEqual(['sqlite-process.js', 'sqlite-thread.js']);
    expect(needs.files).toEqual(['./data/x.db']);
  });

  it('a file resource: the file it serves', async () => {
    const needs = await needsOf({
      'mcp-gen.yaml': `${header}resources:\n  - { name: r, uri: "doc://r", file: ./docs/r.md }\n`,
      'docs/r.md': '# r'
    });
    expect(needs.files).toEqual(['docs/r.md']);
  });

  it('keeps every driver and the Redis client out of server.mjs, whatever the manifest', () => {
    expect(externalPackages()).toEqual(['better-sqlite3', 'ioredis', 'knex', 'mysql2', 'pg']);
  });
});

describe('package and file names', () => {
  it.each([
    { given: 'mime', want: 'mime' },
    { given: 'lodash/fp', want: 'lodash' },
    { given: '@scope/pkg/sub/path.js', want: '@scope/pkg' },
    { given: 'node:fs', want: undefined },
    { given: 'fs', want: undefined },
    { given: './local.js', want: undefined }
  ])('packageName($given) is $want', ({ given, want }) => {
    expect(packageName(given)).toBe(want);
  });

  it.each([
    { given: 'sqlite:./data/shop.db', want: './data/shop.db' },
    { given: 'sqlite:data.db', want: 'data.db' },
    { given: 'file:./x.db', want: './x.db' },
    { given: 'sqlite::memory:', want: undefined },
    { given: 'sqlite:/var/lib/x.db', want: undefined },
    { given: 'sqlite:${DB_FILE}', want: undefined }
  ])('databaseFile($given) is $want', ({ given, want }) => {
    expect(databaseFile(given)).toBe(want);
  });

  it('installedVersion: the first place that has the package, else any version', () => {
    expect(installedVersion('knex', ['/nonexistent', packageRoot()])).toBe(locked('knex'));
    expect(installedVersion('no-such-package-here', [packageRoot()])).toBe('*');
  });
});
