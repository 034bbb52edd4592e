import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';

/**
 * `mode: auto` (the OpenAPI default): which sources keep one tool per operation and which are served as the three
 * meta-tools, given server.tokenBudget, and what the build says about it.
 */
const tmp = mkdtempSync(join(tmpdir(), 'mcpgen-auto-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A document of `count` GET operations named `<prefix>Item<i>`, each about 50 tokens as a tool. */
function spec(prefix: string, count: number): string {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < count; i++)
    paths[`/${prefix}/items${i}`] = {
      get: { operationId: `${prefix}Item${i}`, summary: `Get ${prefix} item ${i}.`, responses: { 200: { description: 'ok' } } }
    };
  const file = join(tmp, `${prefix}-${count}.json`);
  writeFileSync(
    file,
    JSON.stringify({ openapi: '3.0.3', info: { title: prefix, version: '1' }, servers: [{ url: 'https://x.example' }], paths })
  );
  return file;
}

async function built(budget: number, sources: string, tools = '') {
  const manifest = join(tmp, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(manifest, `server: { name: s, version: "1", tokenBudget: ${budget} }\nsources:\n${sources}${tools}`);
  const r = await build({ manifest, outDir: join(tmp, 'out'), env: {} });
  const names = (r.artifact?.tools ?? []).map((t) => t.name);
  const served = (source: string) =>
    names.includes(`${source}_call_operation`) ? 'dynamic' : names.some((n) => n.startsWith(source)) ? 'tools' : 'none';
  return { r, served, info: r.diagnostics.filter((d) => d.code === 'MCPGEN_AUTO_MODE').map((d) => d.message) };
}

describe('mode: auto', () => {
  const given: [string, number, string, Record<string, string>][] = [
    [
      'a small API within the default budget keeps its tools',
      50_000,
      `  a: { openapi: ${JSON.stringify(spec('a', 5))} }\n`,
      { a: 'tools' }
    ],
    [
      'a large API over its share is served dynamic',
      3_000,
      `  big: { openapi: ${JSON.stringify(spec('big', 200))} }\n`,
      { big: 'dynamic' }
    ],
    [
      'the small source keeps its tools, the large one goes dynamic (smallest first)',
      3_000,
      `  big: { openapi: ${JSON.stringify(spec('big', 200))} }\n  a: { openapi: ${JSON.stringify(spec('a', 5))} }\n`,
      { big: 'dynamic', a: 'tools' }
    ],
    [
      'mode: tools is never changed, and it counts against the auto sources',
      3_000,
      `  big: { openapi: ${JSON.stringify(spec('big', 200))}, mode: tools }\n  a: { openapi: ${JSON.stringify(spec('a', 30))} }\n`,
      { big: 'tools', a: 'dynamic' }
    ],
    ['three meta-tools larger than the tools: the tools stay', 1, `  a: { openapi: ${JSON.stringify(spec('a', 2))} }\n`, { a: 'tools' }]
  ];
  it.each(given)('%s', async (_label, budget, sources, want) => {
    const { r, served } = await built(budget, sources);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(Object.fromEntries(Object.keys(want).map((s) => [s, served(s)]))).toEqual(want);
  });

  it('says which source went dynamic and why, at the source', async () => {
    const { r, info } = await built(3_000, `  big: { openapi: ${JSON.stringify(spec('big', 200))} }\n`);
    expect(info).toEqual([
      expect.stringMatching(
        /^source "big" \(mode: auto\) is served as 3 tools \(big_search_operations, big_describe_operation, big_call_operation\) instead of its 200: those would be about [\d,]+ tokens, over the [\d,]+ left for it of server\.tokenBudget \(3,000\); every operation stays callable through big_call_operation$/
      )
    ]);
    const d = r.diagnostics.find((x) => x.code === 'MCPGEN_AUTO_MODE')!;
    expect([d.severity, d.pointer, d.at.line]).toEqual(['info', '/sources/big', 3]);
    // Every operation is in the catalogue the meta-tools serve.
    expect((r.artifact!.sources.big as { operations: unknown[] }).operations).toHaveLength(200);
  });

  it('keeps the tools when access rules need one tool per operation, and says so', async () => {
    const file = JSON.stringify(spec('big', 200));
    const scoped = await built(3_000, `  big: { openapi: ${file} }\n`, 'tools:\n  - operation: big.bigItem3\n    scopes: [admin]\n');
    expect(scoped.served('big')).toBe('tools');
    expect(scoped.info).toEqual([expect.stringContaining('keeps its 200 tools')]);
    expect(scoped.info[0]).toContain('scopes: on an operation (/tools/0) needs one tool per operation to be enforced');
    // The budget warning still names the way out.
    expect(scoped.r.diagnostics.map((d) => d.code)).toContain('MCPGEN_TOKEN_BUDGET');
  });

  it('a source that must keep its tools is set aside first: the others fit around it', async () => {
    const sources = `  small: { openapi: ${JSON.stringify(spec('small', 20))} }\n  big: { openapi: ${JSON.stringify(spec('big', 60))} }\n`;
    // big: ~2,485 tokens as tools, kept (scopes: on one operation); small: ~845 as tools, ~450 as its trio.
    const { served, r } = await built(3_200, sources, 'tools:\n  - operation: big.bigItem1\n    scopes: [admin]\n');
    expect({ small: served('small'), big: served('big') }).toEqual({ small: 'dynamic', big: 'tools' });
    // Both as tools would be ~3,330 tokens: over. This way the list fits, so there is no budget warning.
    expect(r.diagnostics.map((d) => d.code)).not.toContain('MCPGEN_TOKEN_BUDGET');
  });

  it('mode: dynamic refuses per-operation scopes it could not enforce', async () => {
    const file = JSON.stringify(spec('big', 3));
    const { r } = await built(
      50_000,
      `  big: { openapi: ${file}, mode: dynamic }\n`,
      'tools:\n  - operation: big.bigItem1\n    scopes: [admin]\n'
    );
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.pointer])).toEqual([['MCPGEN_AUTH', '/tools/0/scopes']]);
    expect(errors[0]!.message).toContain('cannot be enforced on a mode: dynamic source');
  });
});
