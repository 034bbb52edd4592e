import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpenApiMetaExec, OperationEntryIR } from '../../runtime/kinds/openapi/ir.js';
import type { CompiledValidator } from '../../runtime/artifact/ir.js';
import { dynamicTool, searchOperations } from '../../runtime/kinds/openapi/dynamic.js';
import type { Services, ToolContext, ToolExecutor, ToolResult } from '../../runtime/kinds/kind.js';

type Obj = Record<string, unknown>;

function entry(name: string, extra: Partial<OperationEntryIR> & { descriptor?: Obj } = {}): OperationEntryIR {
  return {
    name,
    descriptor: { name, inputSchema: { type: 'object', properties: {} } },
    validator: `v_${name}`,
    exec: {} as OperationEntryIR['exec'],
    method: 'GET',
    path: `/${name}`,
    tags: [],
    ...extra
  };
}

/** Accepts an object whose `filter`, when present, is an object; records every call. */
function validator(): CompiledValidator {
  const v: CompiledValidator = (data) => {
    const f = (data as Obj).filter;
    if (f !== undefined && (typeof f !== 'object' || f === null)) {
      v.errors = [{ instancePath: '/filter', message: 'must be object' }];
      return false;
    }
    v.errors = null;
    return true;
  };
  return v;
}

const entries: OperationEntryIR[] = [
  entry('listPets', {
    path: '/pets',
    tags: ['pets'],
    descriptor: {
      name: 'listPets',
      description: 'List every pet.\nSecond line.',
      inputSchema: { type: 'object', properties: { filter: { type: 'object' }, limit: { type: 'integer' } } }
    }
  }),
  entry('getPet', {
    path: '/pets/{id}',
    tags: ['pets'],
    descriptor: { name: 'getPet', title: 'Get a pet', description: 'ignored for summaries', inputSchema: { type: 'object' } }
  }),
  entry('listStores', { path: '/stores', descriptor: { name: 'listStores', inputSchema: { type: 'object' } } }),
  entry('noValidator', { validator: 'v_absent' })
];

function services(sources: Services['sources']): Services {
  return {
    root: '/',
    artifactDir: '/',
    importModule: async () => ({}),
    templates: {},
    log: { debug() {}, info() {}, warn() {}, error() {} } as unknown as Services['log'],
    sources,
    validators: { v_listPets: validator(), v_getPet: validator(), v_listStores: validator() },
    source: () => ({}) as never,
    kindResources: () => undefined as never,
    listChanged() {}
  };
}
const openapiSource = { kind: 'openapi', operations: entries } as unknown as Services['sources'][string];
const ctx = { toolName: 'call_operation' } as unknown as ToolContext;
const exec = (meta: OpenApiMetaExec['meta']): OpenApiMetaExec => ({ source: 'pets', meta }) as OpenApiMetaExec;

function tools() {
  const calls: { name: string; args: Obj; toolName: string }[] = [];
  const operationTool =
    (e: OperationEntryIR): ToolExecutor =>
    (args, c) => {
      calls.push({ name: e.name, args, toolName: c.toolName });
      return { content: [{ type: 'text', text: `ran ${e.name}` }] };
    };
  const svc = services({ pets: openapiSource });
  return {
    calls,
    search: dynamicTool(exec('search'), svc, operationTool),
    describe: dynamicTool(exec('describe'), svc, operationTool),
    call: dynamicTool(exec('call'), svc, operationTool)
  };
}
const text = (r: ToolResult) => (r.content[0] as { text: string }).text;

describe('searchOperations', () => {
  it.each([
    ['name words weigh most, ties keep catalog order', 'pets', 10, ['listPets', 'getPet']],
    ['more matched words rank first; one matched word is enough', 'list pets', 10, ['listPets', 'getPet', 'listStores']],
    ['plurals, case and stop words do not matter', 'the PET', 10, ['listPets', 'getPet']],
    ['synonyms: fetch means get', 'fetch a pet', 10, ['getPet', 'listPets']],
    ['a word found nowhere is ignored when others match', 'list zebras', 10, ['listPets', 'listStores']],
    ['the limit cuts the list', 'list', 1, ['listPets']],
    ['a description-only hit still counts', 'second', 10, ['listPets']],
    ['no usable words match everything in order', '?', 10, ['listPets', 'getPet', 'listStores', 'noValidator']],
    ['a word found nowhere matches nothing', 'zebra', 10, []],
    ['higher score first', 'stores', 10, ['listStores']]
  ])('%s', (_label, query, limit, want) => {
    expect(searchOperations(entries, query, limit).map((e) => e.name)).toEqual(want);
  });
  it('ranks a name hit above a description hit regardless of order', () => {
    const list = [entry('alpha', { descriptor: { name: 'alpha', description: 'about pets' } }), entry('pets')];
    expect(searchOperations(list, 'pets', 10).map((e) => e.name)).toEqual(['pets', 'alpha']);
  });
});

describe('dynamic OpenAPI meta-tools', () => {
  it('refuses a source that is missing or not a dynamic OpenAPI source', () => {
    const op = () => (() => ({ content: [] })) as ToolExecutor;
    expect(() => dynamicTool(exec('search'), services({}), op)).toThrow('artifact has no dynamic OpenAPI source "pets"');
    expect(() =>
      dynamicTool(exec('search'), services({ pets: { kind: 'openapi' } as unknown as Services['sources'][string] }), op)
    ).toThrow('rebuild it');
  });

  it.each([
    [
      'default limit, summaries use title then first description line',
      { query: 'pets' },
      [
        { operation: 'listPets', method: 'GET', path: '/pets', description: 'List every pet.' },
        { operation: 'getPet', method: 'GET', path: '/pets/{id}', description: 'Get a pet' }
      ],
      false
    ],
    [
      'no query lists everything up to the limit, missing text is empty',
      { limit: 3 },
      [
        { operation: 'listPets', method: 'GET', path: '/pets', description: 'List every pet.' },
        { operation: 'getPet', method: 'GET', path: '/pets/{id}', description: 'Get a pet' },
        { operation: 'listStores', method: 'GET', path: '/stores', description: '' }
      ],
      false
    ],
    [
      'a non-numeric limit falls back to the default',
      { query: 'stores', limit: '1' },
      [{ operation: 'listStores', method: 'GET', path: '/stores', description: '' }],
      false
    ],
    ['nothing found gives a hint', { query: 'zebra' }, [], true]
  ])('search: %s', async (_label, args, want, hint) => {
    const r = (await tools().search(args, ctx)) as ToolResult & { structuredContent: Obj };
    expect(r.structuredContent.operations).toEqual(want);
    expect('hint' in r.structuredContent).toBe(hint);
    expect(JSON.parse(text(r))).toEqual(r.structuredContent);
  });

  it('search caps the limit at 50', async () => {
    const many = Array.from({ length: 60 }, (_, i) => entry(`op${i}`));
    const svc = services({ pets: { kind: 'openapi', operations: many } as unknown as Services['sources'][string] });
    const r = (await dynamicTool(exec('search'), svc, () => () => ({ content: [] }))({ limit: 500 }, ctx)) as ToolResult & {
      structuredContent: { operations: unknown[] };
    };
    expect(r.structuredContent.operations).toHaveLength(50);
  });

  it.each([
    ['unknown name', { operation: 'nope' }, 'Unknown operation "nope" in source "pets"'],
    ['a non-string name', { operation: 7 }, 'Unknown operation 7 in source "pets"'],
    ['no name at all', {}, 'Unknown operation undefined']
  ])('describe and call reject an %s', async (_label, args, want) => {
    const t = tools();
    for (const tool of [t.describe, t.call]) {
      const r = await tool(args, ctx);
      expect(r.isError).toBe(true);
      expect(text(r)).toContain(want);
    }
    expect(t.calls).toEqual([]);
  });

  it('describe shows the descriptor without its name, plus method and path', async () => {
    const r = (await tools().describe({ operation: 'getPet' }, ctx)) as ToolResult & { structuredContent: Obj };
    expect(r.structuredContent).toEqual({
      operation: 'getPet',
      method: 'GET',
      path: '/pets/{id}',
      title: 'Get a pet',
      description: 'ignored for summaries',
      inputSchema: { type: 'object' }
    });
  });

  it('an operation whose validator is missing from the artifact is an infrastructure error', async () => {
    await expect(async () => tools().describe({ operation: 'noValidator' }, ctx)).rejects.toThrow(
      'artifact is missing validator v_absent: rebuild it'
    );
  });

  it.each([
    ['arguments as an object', { filter: { kind: 'cat' } }, { filter: { kind: 'cat' } }],
    [
      'arguments as JSON text, object arguments inside as JSON text too',
      '{"filter":"{\\"kind\\":\\"cat\\"}","limit":2}',
      { filter: { kind: 'cat' }, limit: 2 }
    ],
    ['no arguments at all', undefined, {}],
    ['null arguments, taken as none', null, {}]
  ])('call runs the operation with %s', async (_label, given, want) => {
    const t = tools();
    const r = await t.call({ operation: 'listPets', ...(given === undefined ? {} : { arguments: given }) }, ctx);
    expect(text(r)).toBe('ran listPets');
    expect(t.calls).toEqual([{ name: 'listPets', args: want, toolName: 'listPets' }]);
  });

  it.each([
    ['an array', [1, 2]],
    ['a JSON array text', '[1]'],
    ['a plain string', 'cats'],
    ['a number', 3]
  ])('call rejects arguments that are %s', async (_label, given) => {
    const t = tools();
    const r = await t.call({ operation: 'listPets', arguments: given }, ctx);
    expect(r).toEqual({
      content: [{ type: 'text', text: "arguments must be an object of listPets's arguments (see its inputSchema)." }],
      isError: true
    });
    expect(t.calls).toEqual([]);
  });

  it('call reports validation errors as a tool error and runs nothing', async () => {
    const t = tools();
    const r = await t.call({ operation: 'listPets', arguments: { filter: 'not json' } }, ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('- argument filter must be object');
    expect(t.calls).toEqual([]);
  });

  it('call refuses arguments the operation does not declare, naming the accepted ones, and runs nothing', async () => {
    const strict = entries.map((e) => (e.name === 'listPets' ? { ...e, refuseUndeclared: true as const } : e));
    const calls: string[] = [];
    const call = dynamicTool(
      exec('call'),
      services({ pets: { kind: 'openapi', operations: strict } as unknown as Services['sources'][string] }),
      () => () => {
        calls.push('ran');
        return { content: [] };
      }
    );
    const r = await call({ operation: 'listPets', arguments: { limit: 2, limti: 3 } }, ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('- unknown argument "limti". Did you mean "limit"?\nIt accepts these arguments: filter, limit.');
    expect(calls).toEqual([]);
    expect((await call({ operation: 'listPets', arguments: { limit: 2 } }, ctx)).isError).toBeUndefined();
  });

  it('prepares an operation once and builds its executor once', async () => {
    let built = 0;
    const svc = services({ pets: openapiSource });
    const call = dynamicTool(exec('call'), svc, () => {
      built++;
      return () => ({ content: [] });
    });
    await call({ operation: 'getPet', arguments: {} }, ctx);
    await call({ operation: 'getPet', arguments: {} }, ctx);
    expect(built).toBe(1);
  });
});

describe('searchOperations on generated queries', () => {
  it('never throws, returns at most the limit, and only catalogue entries', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), fc.integer({ min: 1, max: 50 }), (query, limit) => {
        const found = searchOperations(entries, query, limit);
        expect(found.length).toBeLessThanOrEqual(limit);
        for (const e of found) expect(entries).toContain(e);
      })
    );
  });
});
