import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { Channel, Principal } from '../../runtime/core/context.js';
import type { McpCore } from '../../runtime/core/server.js';
import { createLogger } from '../../runtime/log.js';
import { createCore } from '../../runtime/serve.js';
import { writeOpenApi } from '../helpers/openapi-doc.js';
import { META, MODERN_VERSIONS } from '../../runtime/sdk.js';
import { MemoryCacheStore, ResultCache } from '../../runtime/cache/index.js';
import { firstPart, nextPart } from '../../runtime/core/continuation.js';
import { partsOf, sizeOf } from '../../runtime/core/split.js';

/**
 * Continuation (issue 18, point 2): a result over maxResultBytes is served in parts through the real core, the
 * whole kept in the cache store for its caller; SQL pages its rows within the same bound with its own cursor.
 */
const tmp = mkdtempSync(join(tmpdir(), 'mcpgen-continue-'));
let api: Server;
let apiUrl: string;
const repos = Array.from({ length: 120 }, (_, i) => ({ id: i, name: `repo-${i}`, description: `the repository number ${i}` }));
const quiet = createLogger('error', () => {});
type Obj = Record<string, unknown>;

beforeAll(async () => {
  api = createServer((req, res) => {
    const body = req.url === '/log' ? { lines: 'x' } : { total: repos.length, items: repos };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const list = { type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: { type: 'object' } } } };
  const op = (operationId: string) => ({
    get: { operationId, responses: { 200: { description: 'ok', content: { 'application/json': { schema: list } } } } }
  });
  writeOpenApi(join(tmp, 'api.json'), 'Repos', apiUrl, { paths: { '/repos': op('listRepos'), '/forks': op('listForks') } });
  mkdirSync(join(tmp, 'handlers'));
  writeFileSync(
    join(tmp, 'handlers', 'log.ts'),
    `export default async () => Array.from({ length: 400 }, (_, i) => \`line \${i}\`).join('\\n');\n`
  );
});
afterAll(() => {
  api.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function built(manifest: string) {
  const file = join(tmp, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, manifest);
  const outDir = join(tmp, `out-${Math.random().toString(36).slice(2)}`);
  const result = await build({ manifest: file, outDir, env: {} });
  return {
    result,
    diagnostics: result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.pointer}: ${d.message}`),
    outDir
  };
}

async function served(manifest: string): Promise<McpCore> {
  const { result, diagnostics, outDir } = await built(manifest);
  expect(diagnostics).toEqual([]);
  await writeArtifact(result);
  return createCore(await loadArtifact(outDir), { log: quiet });
}

const principal = (name: string): Principal => ({ name, scopes: [], claims: {} });
const meta = { [META.protocolVersion]: MODERN_VERSIONS[0], [META.clientCapabilities]: {} };

async function call(core: McpCore, name: string, args: Obj, who?: Principal): Promise<Obj> {
  const channel: Channel = { notify: () => {}, ...(who ? { principal: who } : {}) };
  const reply = await core.request(1, 'tools/call', { name, arguments: args, _meta: meta }, channel, new AbortController().signal);
  return (JSON.parse(String(reply.body)) as { result: Obj }).result;
}

const cursorOf = (result: Obj): string | undefined =>
  ((result._meta as Obj | undefined)?.['io.mcp-gen/part'] as Obj | undefined)?.cursor as string | undefined;
const texts = (result: Obj) => (result.content as { text: string }[]).map((c) => c.text);

const openapi = (extra = '') =>
  `server: { name: s, version: "1" }\nsources:\n  gh: { openapi: ./api.json, maxResultBytes: 2048${extra} }\n`;

describe('maxResultBytes', () => {
  it('serves an OpenAPI result in parts: every item once, in order, the rest of the object in each', async () => {
    const core = await served(openapi());
    const list = (await core.request(1, 'tools/list', { _meta: meta }, { notify: () => {} }, new AbortController().signal)).body;
    expect(JSON.parse(String(list)).result.tools[0].inputSchema.properties.cursor).toMatchObject({ type: 'string' });
    const first = await call(core, 'listRepos', {});
    expect(texts(first)[1]).toMatch(
      /^Result split at maxResultBytes \(2048 bytes\): items 1-\d+ of 120 \(of items\)\. For the next part call listRepos again with cursor: "/
    );
    const seen: unknown[] = [];
    let result = first;
    for (let i = 0; i < 200; i++) {
      const content = result.structuredContent as { total: number; items: unknown[] };
      expect(content.total).toBe(120);
      expect(Buffer.byteLength(texts(result)[0]!)).toBeLessThanOrEqual(2048);
      seen.push(...content.items);
      const cursor = cursorOf(result);
      if (!cursor) break;
      result = await call(core, 'listRepos', { cursor });
    }
    expect(seen).toEqual(repos);
    expect(texts(result).at(-1)).toMatch(/^Last part of a split result: items \d+-120 of 120/);
    await core.close();
  });

  it('keeps a cursor for its caller and its tool only, and says what to do with a bad one', async () => {
    const core = await served(openapi());
    const ada = principal('ada');
    const cursor = cursorOf(await call(core, 'listRepos', {}, ada))!;
    expect((await call(core, 'listRepos', { cursor }, ada)).isError).toBeUndefined();
    const refused: [Obj, Principal | undefined, RegExp][] = [
      [{ cursor }, principal('bob'), /has expired or is unknown: call listRepos again without it/],
      [{ cursor }, undefined, /has expired or is unknown/],
      // An OAuth subject named like the API key that split the result is another caller.
      [{ cursor }, { ...principal('ada'), canStepUp: true }, /has expired or is unknown/],
      [{ cursor: 'not-a-cursor' }, ada, /cursor is not a cursor this tool gave/],
      [{ cursor: Buffer.from('{"r":"AAAAAAAAAAAAAAAA","o":1}').toString('base64url') }, ada, /has expired or is unknown/]
    ];
    for (const [args, who, want] of refused) {
      const result = await call(core, 'listRepos', args, who);
      expect(result.isError).toBe(true);
      expect(texts(result)[0]).toMatch(want);
    }
    const other = await call(core, 'listForks', { cursor }, ada);
    expect(texts(other)[0]).toBe('This cursor belongs to tool listRepos: call that tool with it.');
    await core.close();
  });

  it('any cursor a caller makes up is a tool error, never a crash or another result', async () => {
    const core = await served(openapi());
    await call(core, 'listRepos', {}, principal('ada'));
    const forged = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc
        .record({ r: fc.string({ minLength: 16, maxLength: 16 }), o: fc.oneof(fc.integer(), fc.double(), fc.string()) })
        .map((c) => Buffer.from(JSON.stringify(c)).toString('base64url'))
    );
    await fc.assert(
      fc.asyncProperty(
        forged.filter((c) => c !== ''),
        async (cursor) => {
          const result = await call(core, 'listRepos', { cursor }, principal('ada'));
          expect(result.isError).toBe(true);
          expect(texts(result)[0]).toMatch(/is not a cursor this tool gave|has expired or is unknown/);
        }
      ),
      { numRuns: 150 }
    );
    await core.close();
  });

  it('says so when the store cannot keep the whole result, and still gives the first part', async () => {
    const core = await served(`${openapi()}cache: { store: memory, maxBytes: 4096 }\n`);
    const result = await call(core, 'listRepos', {});
    expect(cursorOf(result)).toBeUndefined();
    expect(texts(result)[1]).toMatch(/The rest could not be kept: ask for less/);
    await core.close();
  });

  it('splits a handler text at lines; a tool with its own cursor argument gets resultCursor', async () => {
    const core = await served(`server: { name: s, version: "1", maxResultBytes: 1024 }
tools:
  - { name: log, description: Lines., handler: ./handlers/log.ts }
  - name: paged
    description: Lines, with a cursor of its own.
    handler: ./handlers/log.ts
    input: { properties: { cursor: { type: string } } }
`);
    const first = await call(core, 'log', {});
    expect(texts(first)[0]!.split('\n')[0]).toBe('line 0');
    expect(texts(first)[1]).toMatch(/lines 1-\d+ of 400/);
    const second = await call(core, 'log', { cursor: cursorOf(first)! });
    expect(texts(second)[0]!.startsWith(`line ${texts(first)[0]!.split('\n').length - 1}`)).toBe(true);
    const own = await call(core, 'paged', { cursor: 'mine' });
    const part = ((own._meta as Obj)['io.mcp-gen/part'] as Obj).resultCursor as string;
    expect(texts(own)[1]).toMatch(/call paged again with resultCursor: "/);
    expect(texts(await call(core, 'paged', { resultCursor: part }))[0]).toMatch(/^line \d+/);
    await core.close();
  });

  it("a tool whose own maxResultBytes is larger than its source's keeps its result whole", async () => {
    const core = await served(`${openapi()}tools:\n  - { operation: gh.listRepos, maxResultBytes: 1048576 }\n`);
    const result = await call(core, 'listRepos', {});
    expect((result.structuredContent as { items: unknown[] }).items).toHaveLength(120);
    expect(cursorOf(result)).toBeUndefined();
    await core.close();
  });
});

describe('continuationTtl', () => {
  it('a kept result is gone once its time is up', async () => {
    let now = 0;
    const cache = new ResultCache(new MemoryCacheStore(1 << 20, () => now), 'ns:');
    const tool = { name: 'log', continuation: { maxBytes: 1024, argument: 'cursor', ttlMs: 60_000 } };
    const first = await firstPart(cache, tool, undefined, { content: [{ type: 'text', text: 'line\n'.repeat(1000) }] }, quiet);
    const cursor = cursorOf(first as unknown as Obj)!;
    expect(texts(first as unknown as Obj)[1]).toMatch(/kept for 60 seconds more\)/);
    now = 59_000;
    const second = await nextPart(cache, tool, undefined, cursor);
    expect(second.isError).toBeUndefined();
    // Reading a part does not extend the time: the note says what is left.
    expect(second.content.at(-1)!.text).toMatch(/kept for 1 seconds more\)/);
    now = 60_001;
    expect((await nextPart(cache, tool, undefined, cursor)).content[0]!.text).toMatch(/has expired or is unknown/);
  });
});

describe('kept parts', () => {
  const tool = { name: 'log', continuation: { maxBytes: 1024, argument: 'cursor', ttlMs: 60_000 } };
  const whole = { content: [{ type: 'text' as const, text: 'line\n'.repeat(1000) }], _meta: { 'example/trace': 'abc' } };
  const cursorFor = (id: string, o: number) => Buffer.from(JSON.stringify({ r: id, o })).toString('base64url');
  const idOf = (cursor: string) => (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { r: string }).r;

  it("reads the parts back in order, each with the whole result's _meta, the last one with no cursor", async () => {
    const cache = new ResultCache(new MemoryCacheStore(1 << 20), 'ns:');
    let part = await firstPart(cache, tool, undefined, whole, quiet);
    let text = '';
    for (let cursor = cursorOf(part as unknown as Obj); ; cursor = cursorOf(part as unknown as Obj)) {
      text += part.content[0]!.text;
      expect((part._meta as Obj)['example/trace']).toBe('abc');
      if (!cursor) break;
      part = await nextPart(cache, tool, undefined, cursor);
    }
    expect(text).toBe(whole.content[0].text);
    expect(part.content.at(-1)!.text).toMatch(/^Last part of a split result: lines \d+-1,000 of 1,000\.$/);
  });

  it('any result read back part by part is what was cut: same texts, same structured content, same notes', async () => {
    const result = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4000 }).map((t) => ({ content: [{ type: 'text' as const, text: t }] })),
      fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 2, maxLength: 150 }).map((list) => ({
        content: [{ type: 'text' as const, text: JSON.stringify({ list }) }],
        structuredContent: { list } as Obj
      }))
    );
    await fc.assert(
      fc.asyncProperty(result, async (whole) => {
        const cache = new ResultCache(new MemoryCacheStore(1 << 22), 'ns:');
        const want = partsOf(whole, tool.continuation.maxBytes) ?? [];
        let part = await firstPart(cache, tool, undefined, whole, quiet);
        // Within the bound, or in one part, or with no clean cut: one answer, no cursor.
        if (want.length <= 1 || sizeOf(whole) <= tool.continuation.maxBytes) {
          expect(part.content[0]).toEqual((sizeOf(whole) <= tool.continuation.maxBytes ? whole : (want[0]?.result ?? whole)).content[0]);
          expect(cursorOf(part as unknown as Obj)).toBeUndefined();
          return;
        }
        for (const [k, cut] of want.entries()) {
          expect(part.content[0]).toEqual(cut.result.content[0]);
          expect(part.structuredContent).toEqual(cut.result.structuredContent);
          expect((part._meta as Obj)['io.mcp-gen/part']).toMatchObject({ shown: cut.shown });
          const cursor = cursorOf(part as unknown as Obj);
          expect(cursor === undefined).toBe(k === want.length - 1);
          if (cursor) part = await nextPart(cache, tool, undefined, cursor);
        }
      }),
      { numRuns: 150 }
    );
  });

  it('refuses a cursor past the last part, and an entry kept in another form (another version) reads as expired', async () => {
    const cache = new ResultCache(new MemoryCacheStore(1 << 20), 'ns:');
    const id = idOf(cursorOf((await firstPart(cache, tool, undefined, whole, quiet)) as unknown as Obj)!);
    expect((await nextPart(cache, tool, undefined, cursorFor(id, 999))).content[0]!.text).toMatch(/is not a cursor this tool gave/);
    await cache.keep('BBBBBBBBBBBBBBBB', JSON.stringify({ tool: 'log', principal: null, result: whole }), 60_000);
    await cache.keep('CCCCCCCCCCCCCCCC', '{"tool":"log","principal":null,"structured":true,"parts":[{"shown":"x","end":1}]}\n[', 60_000);
    for (const old of ['BBBBBBBBBBBBBBBB', 'CCCCCCCCCCCCCCCC'])
      expect((await nextPart(cache, tool, undefined, cursorFor(old, 1))).content[0]!.text).toMatch(/has expired or is unknown/);
  });
});

describe('maxResultBytes with a shared store', () => {
  it('a part another instance split is read through Redis', async () => {
    const prefix = `mcpgen-continue-${process.pid}-${Date.now()}:`;
    const manifest = `${openapi()}cache: { store: "redis://127.0.0.1:6379" }\nstate: { prefix: "${prefix}" }\n`;
    const { result, diagnostics, outDir } = await built(manifest);
    expect(diagnostics).toEqual([]);
    await writeArtifact(result);
    const [one, two] = [
      await createCore(await loadArtifact(outDir), { log: quiet }),
      await createCore(await loadArtifact(outDir), { log: quiet })
    ];
    const ada = principal('ada');
    const first = await call(one, 'listRepos', {}, ada);
    const next = await call(two, 'listRepos', { cursor: cursorOf(first)! }, ada);
    expect(next.isError).toBeUndefined();
    expect((next.structuredContent as { items: { id: number }[] }).items[0]!.id).toBe(
      (first.structuredContent as { items: unknown[] }).items.length
    );
    await Promise.all([one.close(), two.close()]);
  });
});

describe('maxResultBytes on SQL tools', () => {
  const sqlManifest = (tool: string) => `server: { name: s, version: "1", maxResultBytes: 1024 }
sources:
  db: { database: "sqlite::memory:" }
tools:
  - name: numbers
    description: Numbers.
    source: db
    sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) SELECT i, 'number ' || i AS label FROM n"
${tool}`;

  it('pages the rows within the bound, with the SQL cursor (one mechanism, no second argument)', async () => {
    const { result, diagnostics } = await built(sqlManifest(''));
    expect(diagnostics).toEqual([]);
    const tool = result.artifact!.tools[0]!;
    expect(tool.continuation).toBeUndefined();
    expect((tool.exec as { maxBytes: number }).maxBytes).toBe(1024);
    expect(Object.keys((tool.descriptor.inputSchema as { properties: Obj }).properties)).toEqual(['cursor']);
    const core = await served(sqlManifest(''));
    const rows: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(core, 'numbers', cursor ? { cursor } : {});
      const content = page.structuredContent as { rows: unknown[]; nextCursor?: string };
      expect(Buffer.byteLength(JSON.stringify(content.rows))).toBeLessThanOrEqual(1024);
      rows.push(...content.rows);
      cursor = content.nextCursor;
    } while (cursor);
    expect(rows).toHaveLength(300);
    await core.close();
  });

  it("keeps an entry's own maxBytes, and refuses both on one entry", async () => {
    expect((await built(sqlManifest('    maxBytes: 4096\n'))).result.artifact!.tools[0]!.exec).toMatchObject({ maxBytes: 4096 });
    const { diagnostics } = await built(sqlManifest('    maxBytes: 4096\n    maxResultBytes: 2048\n'));
    expect(diagnostics).toEqual([
      expect.stringContaining('MCPGEN_INVALID_VALUE /tools/0/maxBytes: tool "numbers": maxBytes and maxResultBytes are one setting')
    ]);
  });
});
