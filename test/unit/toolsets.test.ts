import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { globMatch } from '../../generators/lower/toolsets.js';
import type { Artifact, ListPages } from '../../runtime/artifact/ir.js';
import type { Catalog, PreparedTool } from '../../runtime/core/catalog.js';
import type { RequestContext } from '../../runtime/core/context.js';
import { toolViews, unfiltered, viewOf } from '../../runtime/core/toolsets.js';

/** `toolsets:` at build: what each selects, its checks, and how it meets `mode: auto` and the budgets. */
const tmp = mkdtempSync(join(tmpdir(), 'mcpgen-toolsets-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function spec(count: number): string {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < count; i++)
    paths[`/items/${i}`] = {
      get: {
        operationId: `getItem${i}`,
        tags: [i % 2 === 0 ? 'even' : 'odd'],
        summary: `Get item ${i}.`,
        responses: { 200: { description: 'ok' } }
      }
    };
  const file = join(tmp, `spec-${count}.json`);
  writeFileSync(
    file,
    JSON.stringify({ openapi: '3.0.3', info: { title: 'Items', version: '1' }, servers: [{ url: 'https://x.example' }], paths })
  );
  return file;
}

async function built(text: string, server = 'server: { name: s, version: "1" }') {
  const manifest = join(tmp, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(manifest, `${server}\n${text}`);
  const r = await build({ manifest, outDir: join(tmp, 'out'), env: {} });
  return { r, diagnostics: r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.pointer}: ${d.message}`) };
}

const tools = 'tools:\n  - { name: hello, description: Hi., template: hi }\n  - { name: help_me, description: Help., template: help }\n';

describe('globMatch', () => {
  const given: [string, string, boolean][] = [
    ['hello', 'hello', true],
    ['hello', 'hell', false],
    ['he*', 'hello', true],
    ['*lo', 'hello', true],
    ['h*l*o', 'hello', true],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['*', '', true],
    ['a*b*c', 'abxbxc', true],
    ['a*b*c', 'abxbx', false],
    ['issues_*', 'issues_list', true],
    ['issues_*', 'repos_list', false]
  ];
  it.each(given)('%s ~ %s → %s', (pattern, text, want) => expect(globMatch(pattern, text)).toBe(want));

  it('agrees with the equivalent regular expression on generated patterns and names', () => {
    const chars = fc.constantFrom('a', 'b', '_', '*', '?');
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 12 }), fc.string({ unit: fc.constantFrom('a', 'b', '_'), maxLength: 16 }), (p, t) => {
        const re = new RegExp(
          `^${p
            .replace(/[_ab]/g, (c) => c)
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`
        );
        expect(globMatch(p, t)).toBe(re.test(t));
      })
    );
  });
});

describe('toolsets at build', () => {
  it('selects by name or glob, by tag and by source, in list order; the root keeps every tool', async () => {
    const { r, diagnostics } = await built(
      `sources:\n  items: { openapi: ${JSON.stringify(spec(4))} }\n${tools}toolsets:\n  help: { tools: ["h*"] }\n  even: { tags: [even] }\n  all: { sources: [items], tools: [hello] }\n`
    );
    expect(diagnostics).toEqual([]);
    expect(r.artifact!.toolsets).toEqual({
      help: { tools: ['hello', 'help_me'] },
      even: { tools: ['getItem0', 'getItem2'] },
      all: { tools: ['hello', 'getItem0', 'getItem1', 'getItem2', 'getItem3'] }
    });
    expect(r.artifact!.tools.filter((t) => t.onlyIn)).toEqual([]);
  });

  it('a selector that selects nothing is an error at it, with a did-you-mean', async () => {
    const { diagnostics } = await built(
      `sources:\n  items: { openapi: ${JSON.stringify(spec(2))} }\n${tools}toolsets:\n  x: { tools: [helo], tags: [evem], sources: [itemz] }\n`
    );
    expect(diagnostics).toEqual([
      'MCPGEN_TOOLSET error /toolsets/x/tools/0: toolset entry "helo" selects no tool: no tool name matches it (did you mean "hello"?)',
      'MCPGEN_TOOLSET error /toolsets/x/tags/0: toolset entry "evem" selects no tool: no tag of any tool matches it (did you mean "even"?)',
      'MCPGEN_TOOLSET error /toolsets/x/sources/0: toolset entry "itemz" selects no tool: no source with tools matches it (did you mean "items"?)'
    ]);
  });

  it.each(['sse', 'messages', 'healthz', 'readyz', 'metrics', 'Upper', 'a/b'])('refuses the toolset name %s', async (name) => {
    const { diagnostics } = await built(`${tools}toolsets:\n  "${name}": { tools: [hello] }\n`);
    expect(diagnostics.some((d) => d.includes(' error ') && d.includes('/toolsets'))).toBe(true);
  });

  it('a source the root serves as its trio is served as tools by a toolset it fits, and only there', async () => {
    const { r, diagnostics } = await built(
      `sources:\n  items: { openapi: ${JSON.stringify(spec(60))} }\ntoolsets:\n  few: { tools: [getItem1, getItem2] }\n`,
      'server: { name: s, version: "1", tokenBudget: 1000 }'
    );
    expect(diagnostics.filter((d) => d.includes(' error ') || d.includes(' warning '))).toEqual([]);
    const names = r.artifact!.tools.map((t) => [t.name, t.onlyIn]);
    expect(names).toEqual([
      ['items_search_operations', undefined],
      ['items_describe_operation', undefined],
      ['items_call_operation', undefined],
      ['getItem1', ['few']],
      ['getItem2', ['few']]
    ]);
    // The root's precomputed list leaves them out.
    expect(r.files.get('lists.json')).not.toContain('getItem1');
  });

  it("a toolset over its budget serves its auto source's trio over its operations, and says so", async () => {
    const { r, diagnostics } = await built(
      `sources:\n  items: { openapi: ${JSON.stringify(spec(60))} }\ntoolsets:\n  odd: { tags: [odd], tokenBudget: 900 }\n`
    );
    expect(diagnostics).toEqual([
      expect.stringMatching(
        /^MCPGEN_AUTO_MODE info \/toolsets\/odd: source "items" \(mode: auto\) in toolset "odd" is served as 3 tools \(odd_items_search_operations, odd_items_describe_operation, odd_items_call_operation\) instead of its 30: .* of toolsets\.odd\.tokenBudget \(900\)/
      )
    ]);
    expect(diagnostics[0]).toContain('; each of its 30 operations stays callable through odd_items_call_operation');
    const trio = r.artifact!.tools.filter((t) => t.onlyIn);
    expect(trio.map((t) => t.name)).toEqual(['odd_items_search_operations', 'odd_items_describe_operation', 'odd_items_call_operation']);
    expect((trio[0]!.exec as { operations: string[] }).operations).toHaveLength(30);
    // The catalogue the trio reaches is in the source's run-time settings, although the root serves tools.
    expect((r.artifact!.sources.items as { operations?: unknown[] }).operations).toHaveLength(60);
  });

  it('one name is one tool: two sources whose operations share names cannot both be served by name', async () => {
    const file = JSON.stringify(spec(60));
    const sources = `sources:\n  s1: { openapi: ${file} }\n  s2: { openapi: ${file} }\n`;
    const server = 'server: { name: s, version: "1", tokenBudget: 1500 }';
    const apart = await built(
      `${sources}toolsets:\n  a: { sources: [s1], tokenBudget: 100000 }\n  b: { sources: [s2], tokenBudget: 100000 }\n`,
      server
    );
    expect(apart.diagnostics.filter((d) => d.includes(' error '))[0]).toMatch(
      /^MCPGEN_DUPLICATE_NAME error \/toolsets\/b: toolset "b" serves tool name "getItem0" for another tool than the one of that name elsewhere$/
    );
    const together = await built(`${sources}toolsets:\n  a: { tools: [getItem1], tokenBudget: 100000 }\n`, server);
    expect(together.diagnostics.filter((d) => d.includes(' error '))).toEqual([
      'MCPGEN_DUPLICATE_NAME error /toolsets/a: toolset "a" serves tool name "getItem1" twice'
    ]);
  });

  it('warns when a toolset of mode: tools sources is over its budget', async () => {
    const { diagnostics } = await built(
      `sources:\n  items: { openapi: ${JSON.stringify(spec(30))}, mode: tools }\ntoolsets:\n  odd: { tags: [odd], tokenBudget: 100 }\n`
    );
    expect(diagnostics).toEqual([
      expect.stringMatching(
        /^MCPGEN_TOKEN_BUDGET warning \/toolsets\/odd: toolset "odd" is about \d+ tokens, over the budget of 100 \(15 tools/
      )
    ]);
  });
});

describe('toolset views at run time', () => {
  const tool = (name: string, scopes?: string[]) =>
    ({ ir: { name, descriptor: { name }, ...(scopes ? { scopes } : {}) } }) as unknown as PreparedTool;
  const artifact = {
    server: { pageSize: 50 },
    tools: [],
    toolsets: { a: { tools: ['x'], scopes: ['s'] } }
  } as unknown as Artifact;
  const catalog = {
    tools: new Map([
      ['x', tool('x', ['t'])],
      ['y', tool('y')]
    ])
  } as unknown as Catalog;
  const pages = { tools: ['{}'], resources: [], resourceTemplates: [], prompts: [] } as unknown as ListPages;
  const views = toolViews(artifact, catalog, pages, unfiltered(artifact, pages), unfiltered);
  const at = (toolset?: string) => viewOf(views, (toolset === undefined ? {} : { toolset }) as RequestContext);

  it("the root serves every tool; a toolset its own, with its scopes added to each tool's", () => {
    expect([...at().tools.keys()]).toEqual(['x', 'y']);
    expect([...at('a').tools.keys()]).toEqual(['x']);
    expect(at('a').tools.get('x')!.ir.scopes).toEqual(['t', 's']);
  });
  it('a toolset the artifact does not have serves nothing, never the root', () => {
    expect(at('renamed').tools.size).toBe(0);
    expect(JSON.parse(at('renamed').lists.pages(undefined).tools[0]!).tools).toEqual([]);
  });
});
