import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../runtime/artifact/ir.js';
import type { Services } from '../../runtime/kinds/kind.js';
import { OpenApiSource } from '../../runtime/kinds/openapi/source.js';
import { SqlSource } from '../../runtime/kinds/sql/connection.js';
import { OpenedResources } from '../../runtime/core/sources.js';
import { createLogger } from '../../runtime/log.js';

/**
 * What a served artifact opens (its sources' handles, its kinds' resources) belongs to the OpenedResources the
 * catalog makes for it: opened once, reached by name, disposed on close, and after a swap only once the calls
 * still running on it are done.
 */
const warnings: string[] = [];
const log = createLogger('warn', (line) => warnings.push(line));
const sources = {
  db: { kind: 'sql', dialect: 'sqlite', database: ':memory:', readOnly: false, pool: { min: 1, max: 1 }, statementTimeoutMs: 5000 },
  api: { kind: 'openapi', baseUrl: 'http://127.0.0.1:9/', auth: {}, schemes: {}, timeoutMs: 1000, maxResponseBytes: 1000 }
} as unknown as Artifact['sources'];
const services = { root: '/', artifactDir: '/', log } as unknown as Services;

async function opened(): Promise<OpenedResources> {
  const resources = new OpenedResources(log);
  await resources.open({ sources } as Artifact, () => services);
  return resources;
}

describe('OpenedResources', () => {
  it.each([
    // given source name → the handle its kind opened
    { name: 'db', want: SqlSource },
    { name: 'api', want: OpenApiSource }
  ])('opens $name once, as its kind says', async ({ name, want }) => {
    const resources = await opened();
    expect(resources.source(name)).toBeInstanceOf(want);
    expect(resources.source(name)).toBe(resources.source(name));
    await resources.dispose();
  });

  it('refuses a source the artifact does not have, naming it', async () => {
    const resources = await opened();
    expect(() => resources.source('nope')).toThrow('artifact has no source "nope"');
    await resources.dispose();
  });

  it('gives the handler kind its sandbox pools', async () => {
    const resources = await opened();
    expect(resources.kind('handler')).toBeDefined();
    expect(resources.kind('sql')).toBeUndefined();
    await resources.dispose();
  });

  it('a disposed SQL source refuses new statements instead of opening a new database', async () => {
    const resources = await opened();
    const db = resources.source<SqlSource>('db');
    await db.runner();
    await resources.dispose();
    await expect(db.runner()).rejects.toThrow('source "db" is closed');
  });

  it('retire waits for the calls still running, then disposes', async () => {
    const resources = await opened();
    const db = resources.source<SqlSource>('db');
    let finish!: () => void;
    const call = resources.track(() => new Promise<void>((resolve) => (finish = resolve)));
    const retired = resources.retire();
    // Still usable by the running call: nothing was disposed yet.
    await expect(db.runner()).resolves.toBeDefined();
    finish();
    await call;
    await retired;
    await expect(db.runner()).rejects.toThrow('is closed');
  });

  it('a call that throws still counts as finished', async () => {
    const resources = await opened();
    const db = resources.source<SqlSource>('db');
    await expect(resources.track(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await resources.retire();
    await expect(db.runner()).rejects.toThrow('is closed');
  });
});
