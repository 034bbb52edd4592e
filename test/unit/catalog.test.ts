/** prepareCatalog on hand-built artifacts: what it refuses, how template entries and prompt completions are wired. */
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../runtime/artifact/ir.js';
import type { LoadedArtifact } from '../../runtime/artifact/load.js';
import { prepareCatalog } from '../../runtime/core/catalog.js';
import { createLogger } from '../../runtime/log.js';

type Obj = Record<string, unknown>;
const at = { file: 'mcp-gen.yaml', line: 1, col: 1 };
const log = createLogger('error', () => {});

function loaded(
  parts: Partial<Record<'tools' | 'resources' | 'resourceTemplates' | 'prompts', unknown[]>> & { sources?: Obj },
  validators: Obj = {},
  templates: Obj = {}
): LoadedArtifact {
  const artifact = { tools: [], resources: [], resourceTemplates: [], prompts: [], ...parts } as unknown as Artifact;
  return {
    dir: '/tmp',
    root: '/tmp',
    artifact,
    lists: {} as never,
    validators: validators as never,
    templates: templates as never,
    generation: 0
  };
}
const tool = (kind: string, validator = 'v0') => ({
  name: 'greet',
  descriptor: { name: 'greet', inputSchema: { type: 'object', properties: { who: { type: 'object' } } } },
  validator,
  exec: { kind, template: 't' },
  at
});
const template = (mimeType?: string) => ({
  uriTemplate: 'note://{id}',
  name: 'note',
  ...(mimeType ? { mimeType } : {}),
  pattern: '^note://([^/]+)$',
  variables: [{ name: 'id' }],
  descriptor: {},
  exec: { kind: 'template', template: 't' },
  at
});

describe('prepareCatalog refuses artifacts this runtime cannot serve', () => {
  it.each([
    [
      'a tool of a kind it does not know',
      { tools: [tool('carrier-pigeon')] },
      { v0: () => true },
      'this runtime has no "carrier-pigeon" backend for tools: rebuild the artifact with this mcp-gen version'
    ],
    ['a tool whose validator is missing', { tools: [tool('template', 'v9')] }, {}, 'artifact is missing validator v9: rebuild it'],
    [
      'a resource template of a kind that has none',
      { resourceTemplates: [{ ...template(), exec: { kind: 'openapi' } }] },
      {},
      'this runtime has no "openapi" backend for resourceTemplates'
    ]
  ])('%s', async (_label, parts, validators, want) => {
    await expect(prepareCatalog(loaded(parts, validators, { t: () => 'x' }), log)).rejects.toThrow(want);
  });
});

describe('prepareCatalog wiring', () => {
  it.each([
    ['the declared MIME type', 'text/markdown', 'text/markdown'],
    ['text/plain when none is declared', undefined, 'text/plain']
  ])('a resource template reads with %s', async (_label, mimeType, want) => {
    const catalog = await prepareCatalog(
      loaded({ resourceTemplates: [template(mimeType)] }, {}, { t: (d: Obj) => `note ${String(d.id)}` }),
      log
    );
    const [t] = catalog.templates;
    expect(t!.regex.exec('note://7')?.[1]).toBe('7');
    expect(t!.complete).toBeUndefined();
    expect(await t!.read('note://7', { id: '7' })).toEqual([{ uri: 'note://7', mimeType: want, text: 'note 7' }]);
  });

  it('a tool gets its validator, its JSON-text arguments and no output validator unless declared', async () => {
    const v0 = () => true;
    const catalog = await prepareCatalog(loaded({ tools: [tool('template')] }, { v0 }, { t: () => 'hi' }), log);
    const t = catalog.tools.get('greet')!;
    expect(t.validate).toBe(v0);
    expect(t.jsonArguments).toEqual(['who']);
    expect('validateOutput' in t).toBe(false);
  });

  it('render uses the artifact templates and refuses a missing one', async () => {
    const catalog = await prepareCatalog(loaded({}, {}, { hello: (d: Obj) => `hello ${String(d.who)}` }), log);
    expect(catalog.render('hello', { who: 'you' })).toBe('hello you');
    expect(() => catalog.render('bye', {})).toThrow('artifact is missing template bye: rebuild it');
  });

  it('only prompts with query-backed arguments get a completer', async () => {
    const sources = {
      db: { kind: 'sql', dialect: 'sqlite', database: ':memory:', readOnly: true, pool: { min: 1, max: 1 }, statementTimeoutMs: 5000 }
    };
    const complete = {
      kind: 'sql',
      source: 'db',
      readOnly: true,
      statements: [["SELECT v FROM (SELECT 'alpha' AS v UNION ALL SELECT 'beta') WHERE v LIKE ", { param: 'prefix' }, " || '%'"]]
    };
    const prompts = [
      { name: 'plain', descriptor: {}, arguments: [{ name: 'x' }], messages: [], at },
      { name: 'picky', descriptor: {}, arguments: [{ name: 'x' }, { name: 'word', complete }], messages: [], at }
    ];
    const catalog = await prepareCatalog(loaded({ prompts, sources }), log);
    expect([...catalog.prompts.keys()]).toEqual(['plain', 'picky']);
    expect([...catalog.promptCompleters.keys()]).toEqual(['picky']);
    const completer = catalog.promptCompleters.get('picky')!;
    expect(await completer('word', 'al')).toEqual(['alpha']);
    expect(await completer('x', 'al')).toEqual([]);
    await catalog.opened.dispose();
  });
});
