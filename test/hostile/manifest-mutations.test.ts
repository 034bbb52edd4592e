/**
 * Hostile input (b): every example manifest, mutated (seeded): lines deleted, duplicated, swapped or
 * re-indented, keys renamed, values replaced by other types, YAML features (anchors, aliases, merge keys, tags,
 * documents, a small alias bomb), byte flips and truncation. `build` must resolve with diagnostics that name a
 * code and a message (no stack traces), never throw, and never produce an artifact and an error together.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { parseManifest } from '../../generators/load/load-manifest.js';
import { cleanupTemp, repo, tempDir } from '../helpers/e2e-server.js';
import { random, report, sample, type Random } from './hostile.js';

const SEED = 0x6d616e69;
/** Cases per example: builds with TypeScript handlers cost about a second each, the others tens of milliseconds. */
const examples: [string, number][] = [
  ['quickstart', 150],
  ['sqlite-shop', 90],
  ['petstore', 70],
  ['handler', 12],
  ['conformance', 8]
];
afterAll(() => cleanupTemp());

const values = [
  '[]',
  '{}',
  '42',
  '-1',
  '0.5',
  'null',
  '~',
  'true',
  '"${UNSET_VARIABLE_X}"',
  '"${file:/etc/passwd}"',
  '"enc:v1:AAAA"',
  '!!binary aGk=',
  '*nowhere',
  "'\\u0000'",
  '"../../../etc/passwd"',
  `"${'x'.repeat(3000)}"`,
  '[[[[[[[[[[]]]]]]]]]]',
  '{ a: { b: { c: {} } } }',
  '"{{#each}}"',
  '"SELECT 1; DROP TABLE x"'
];
const lines = [
  '  <<: *missing',
  'unknown_top_level: 1',
  '---',
  '...',
  '&a [1, 2]',
  '? complex\n: key',
  '\t- tab',
  'bomb: &b [a, a, a, a, a, a, a, a, a]\nbomb2: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nbomb3: [*c, *c, *c, *c, *c, *c, *c, *c]',
  '%YAML 1.1',
  '- orphan item',
  'server: { name: dup, version: "1" }'
];

function mutate(text: string, r: Random): string {
  const ls = text.split('\n');
  const at = r.int(ls.length);
  switch (r.int(9)) {
    case 0:
      ls.splice(at, 1);
      break;
    case 1:
      ls.splice(at, 0, ls[at] ?? '');
      break;
    case 2: {
      const other = r.int(ls.length);
      [ls[at], ls[other]] = [ls[other]!, ls[at]!];
      break;
    }
    case 3:
      ls[at] = r.pick(['', ' ', '  ', '    ', '\t']) + (ls[at] ?? '').trimStart().padStart(0);
      break;
    case 4:
      ls[at] = (ls[at] ?? '').replace(
        /([A-Za-z_]+):/,
        (_m, k: string) => `${r.pick([k.toUpperCase(), k + 's', k.slice(1), '__proto__', 'constructor', k])}:`
      );
      break;
    case 5:
      ls[at] = (ls[at] ?? '').replace(/:\s.*$/, `: ${r.pick(values)}`);
      break;
    case 6:
      ls.splice(at, 0, r.pick(lines));
      break;
    case 7:
      return text.slice(0, r.int(text.length));
    default: {
      const i = r.int(text.length);
      return (
        text.slice(0, i) +
        r.pick([':', '-', '[', '{', '"', "'", '#', '&', '*', '!', '|', '>', '%', '@', '`', '\u0000', '\ufeff']) +
        text.slice(i + 1)
      );
    }
  }
  return ls.join('\n');
}

describe('mutated manifests', () => {
  it.each(examples)('%s: build answers with diagnostics, never a crash', async (name, count) => {
    const dir = join(tempDir('mcpgen-mutate-'), name);
    cpSync(join(repo, 'examples', name), dir, {
      recursive: true,
      filter: (src) => !src.includes('.mcp-gen') && !src.includes('node_modules')
    });
    const original = (await import('node:fs')).readFileSync(join(dir, 'mcp-gen.yaml'), 'utf8');
    const r = random(SEED + name.length);
    const failures: string[] = [];
    let withErrors = 0;
    for (let i = 0; i < count; i++) {
      let text = original;
      for (let k = 1 + r.int(3); k > 0; k--) text = mutate(text, r);
      const manifest = join(dir, 'mutated.yaml');
      writeFileSync(manifest, text);
      try {
        const result = await build({ manifest, outDir: join(dir, '.mcp-gen') });
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length > 0) withErrors++;
        if (result.files.size === 0 && errors.length === 0) failures.push(`#${i}: no artifact and no error`);
        if (result.files.size > 0 && errors.length > 0) failures.push(`#${i}: an artifact despite ${errors[0]!.code}`);
        for (const d of result.diagnostics) {
          if (!/^MCPGEN_[A-Z_]+$/.test(d.code) || typeof d.message !== 'string' || d.message === '')
            failures.push(`#${i}: malformed diagnostic ${JSON.stringify(d).slice(0, 200)}`);
          if (/\n\s+at .+:\d+:\d+/.test(d.message) || /TypeError|ReferenceError|Cannot read properties/.test(d.message))
            failures.push(`#${i}: a crash in ${d.code}: ${d.message.slice(0, 200)}`);
        }
      } catch (e) {
        failures.push(`#${i}: threw ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}\n--- manifest ---\n${text.slice(0, 400)}`);
      }
    }
    report(`manifest-mutations ${name}`, count, failures);
    expect(failures, sample(failures, 5)).toEqual([]);
    // Most mutations break something: the suite exercises the error paths, not only valid manifests.
    expect(withErrors).toBeGreaterThan(count / 4);
  });

  it.each([
    ['an unresolved alias', 'server: { name: x, version: "1" }\ntools: *nowhere\n', /Unresolved alias/, 2],
    [
      'an alias bomb',
      'server: { name: x, version: "1" }\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, ' +
        '*a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n',
      /alias count/i,
      1
    ]
  ])('%s is a YAML diagnostic with a position', (_name, text, message, line) => {
    const { diagnostics } = parseManifest(text, '/tmp/m.yaml');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'MCPGEN_YAML_SYNTAX', message: expect.stringMatching(message), at: { line } });
  });
});
