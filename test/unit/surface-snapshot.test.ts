import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { lineDiff, surfaceChanges } from '../../generators/cli/surface/diff.js';
import { snapshotText, type Surface } from '../../generators/cli/surface/snapshot.js';

/** `mcp-gen test`'s parts: the line diff, what counts as a change of the surface, and the build's check of examples. */
const tmp = mkdtempSync(join(tmpdir(), 'mcpgen-surface-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const surface = (tools: Record<string, unknown>[], prompts: Record<string, unknown>[] = []): Surface => ({
  tools,
  resources: [],
  resourceTemplates: [],
  prompts
});

describe('lineDiff', () => {
  const given: [string, string[], string[], string[]][] = [
    ['same: nothing shown', ['a', 'b'], ['a', 'b'], []],
    ['one line changed, with its neighbours', ['a', 'b', 'c'], ['a', 'x', 'c'], ['  a', '- b', '+ x', '  c']],
    ['added at the end', ['a'], ['a', 'b'], ['  a', '+ b']],
    ['removed at the start', ['a', 'b'], ['b'], ['- a', '  b']],
    ['far context left out', ['1', '2', '3', '4', '5', '6', 'x'], ['1', '2', '3', '4', '5', '6', 'y'], ['  5', '  6', '- x', '+ y']]
  ];
  it.each(given)('%s', (_label, a, b, want) => expect(lineDiff(a, b)).toEqual(want));
});

describe('surfaceChanges', () => {
  const greet = { name: 'greet', tokens: 10, description: 'Greet.' };
  const wave = { name: 'wave', tokens: 8, description: 'Wave.' };
  const before = snapshotText(surface([greet, wave]), 'demo 1');

  it('none when the surface is the snapshot', () => {
    expect(surfaceChanges(before, surface([greet, wave]))).toEqual([]);
  });
  it('names each changed, added and removed entry', () => {
    const changes = surfaceChanges(
      before,
      surface([
        { ...greet, description: 'Hello.' },
        { name: 'clap', tokens: 3 }
      ])
    );
    expect(changes.map((c) => `${c.kind} ${c.entry}`)).toEqual(['changed tool greet', 'removed tool wave', 'added tool clap']);
    expect(changes[0]!.lines).toEqual(['  name: greet', '  tokens: 10', '- description: Greet.', '+ description: Hello.']);
  });
  it('a new order of the same entries is a change too (clients show tools in list order)', () => {
    expect(surfaceChanges(before, surface([wave, greet])).map((c) => `${c.kind} ${c.entry}`)).toEqual(['changed tools order']);
  });
  it('the snapshot text is stable: the same surface gives the same bytes', () => {
    expect(snapshotText(surface([greet, wave]), 'demo 1')).toBe(before);
    expect(before).toMatch(/^# What models see of demo 1: written by `mcp-gen test --update`/);
  });
});

describe('examples at build', () => {
  async function diagnostics(examples: string): Promise<string[]> {
    const manifest = join(tmp, `${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      manifest,
      'server: { name: s, version: "1" }\ntools:\n  - name: greet\n    description: Greet.\n' +
        '    input: { properties: { name: { type: string } }, required: [name] }\n    template: "Hi {{name}}"\n' +
        `    examples:\n${examples}`
    );
    const r = await build({ manifest, env: {} });
    return r.diagnostics.map((d) => `${d.code} ${d.pointer}: ${d.message}`);
  }
  it('accepts arguments the tool accepts', async () => {
    expect(await diagnostics('      - { arguments: { name: Ada }, result: Hi Ada }\n')).toEqual([]);
  });
  it('says when the examples of an operation override cannot run (its source is served as the trio)', async () => {
    const paths = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `/items/${i}`,
        { get: { operationId: `getItem${i}`, summary: `Get item ${i}.`, responses: { 200: { description: 'ok' } } } }
      ])
    );
    const doc = join(tmp, 'items.json');
    writeFileSync(
      doc,
      JSON.stringify({ openapi: '3.0.3', info: { title: 'Items', version: '1' }, servers: [{ url: 'https://x.example' }], paths })
    );
    const manifest = join(tmp, 'override.yaml');
    writeFileSync(
      manifest,
      `server: { name: s, version: "1", tokenBudget: 1000 }\nsources:\n  items: { openapi: ${JSON.stringify(doc)} }\n` +
        'tools:\n  - operation: items.getItem1\n    examples:\n      - { arguments: {} }\n'
    );
    const r = await build({ manifest, env: {} });
    expect(r.diagnostics.filter((d) => d.code === 'MCPGEN_EXAMPLE').map((d) => `${d.severity} ${d.pointer}: ${d.message}`)).toEqual([
      "warning /tools/0/examples: the examples of /tools/0 cannot run: no tool is served from it (its operation is reached through its source's search/describe/call tools); set mode: tools on the source to test it as a tool"
    ]);
  });

  it('refuses arguments the input schema refuses, and a pattern that is not a regular expression', async () => {
    expect(await diagnostics('      - { arguments: { nme: Ada } }\n      - { arguments: { name: Ada }, matches: "(" }\n')).toEqual([
      'MCPGEN_EXAMPLE /tools/0/examples/0/arguments: example 0 of tool "greet" has arguments the tool refuses: / must have required property \'name\'; / must NOT have additional properties',
      'MCPGEN_EXAMPLE /tools/0/examples/1/matches: example 1 of tool "greet": matches is not a regular expression: "("'
    ]);
  });
});
