/**
 * Every regular expression in generators/ and runtime/ must run in linear time (issue 10: quadratic ones in the
 * audit digest let one long argument block the server for minutes). The TypeScript parser finds each literal and
 * each `new RegExp(…)`; recheck judges each distinct pattern; a super-linear one fails this test, unless the
 * table below allows it, with the reason no request can reach it. A `new RegExp` built at run time cannot be
 * judged here: each needs an entry saying where its pattern comes from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checkRegex, checkRegexes, regexKey } from '../../generators/validate/regex-safety.js';
import { regexSites, regexSitesIn, type RegexSite } from '../helpers/regex-sites.js';

const root = join(import.meta.dirname, '..', '..');

interface Allowed {
  /** Files it is allowed in (the same pattern in another file is checked). */
  readonly files: readonly string[];
  /** The pattern's source, or for a dynamic construction a piece of its text. */
  readonly pattern?: string;
  readonly dynamic?: string;
  readonly why: string;
}

/** Keep this short: fix a pattern instead when you can. */
const allowed: readonly Allowed[] = [
  {
    files: [
      'generators/kinds/sql/starter/starter.ts',
      'generators/kinds/sql/starter/url.ts',
      'generators/kinds/openapi/starter.ts',
      'generators/kinds/openapi/names.ts',
      'generators/kinds/openapi/swagger2/schema.ts'
    ],
    pattern: '^_+|_+$',
    why: 'build and init only: trims names from the manifest, an OpenAPI document or a database the developer chose'
  },
  {
    files: ['generators/kinds/sql/starter/url.ts'],
    pattern: '^[^a-z]+|_+$',
    why: 'mcp-gen init only: the database name in a URL the developer typed'
  },
  {
    files: ['generators/kinds/openapi/schema/compact.ts'],
    pattern: '\\[([^\\]]*)\\]\\((?:[^()]|\\([^)]*\\))*\\)',
    why: 'build only: Markdown links in OpenAPI descriptions'
  },
  {
    files: ['generators/kinds/openapi/schema/compact.ts'],
    pattern: '<\\/?[a-z][^>]*>',
    why: 'build only: HTML tags in OpenAPI descriptions'
  },
  { files: ['generators/kinds/openapi/swagger2/document.ts'], pattern: '\\/+$', why: 'build only: the basePath of a Swagger 2.0 document' },
  {
    files: ['generators/kinds/sql/placeholders.ts'],
    pattern: '--[^\\n]*|\\/\\*[\\s\\S]*?\\*\\/',
    why: "build only: comments in the manifest's SQL"
  },
  { files: ['generators/lower/entries.ts'], pattern: '\\{[^}]*\\}', why: 'build only: variables of a manifest URI template' },
  {
    files: ['generators/lower/entries.ts'],
    pattern: 'data(\\/[^ ,]*)? ([^,]*)',
    why: "build only: an Ajv message about the manifest's schema"
  },
  {
    files: ['runtime/env.ts'],
    pattern: '\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\\}',
    why: '${VAR} in manifest strings, at build and when the server starts; never request text'
  },
  {
    files: ['runtime/security/secrets/references.ts'],
    pattern: '\\$\\$\\{|\\$\\{file:([^}]+)\\}',
    why: 'manifest strings at build and start'
  },
  {
    files: ['runtime/security/secrets/references.ts'],
    pattern: '\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\\}',
    why: 'manifest strings at build and start'
  },
  {
    files: ['runtime/security/auth/references.ts'],
    pattern: '\\$\\{auth\\.(name|claims(?:\\.[^.}\\s]+)+)\\}',
    why: "the manifest's upstream credential text; claim values are put in, never scanned"
  },
  {
    files: ['generators/kinds/openapi/schema/keywords.ts'],
    dynamic: 'new RegExp(String(value)',
    why:
      'build only: compiles an OpenAPI `pattern` to report an invalid one; never run (the build warns ' +
      'about super-linear ones: MCPGEN_UNSAFE_PATTERN)'
  },
  {
    files: ['runtime/core/undeclared.ts'],
    dynamic: 'new RegExp(p',
    why:
      "a tool's own patternProperties keys, from the manifest or an OpenAPI document, checked at build " +
      '(MCPGEN_UNSAFE_PATTERN); run on argument names, bounded by maxBodyBytes'
  },
  {
    files: ['generators/kinds/openapi/select.ts'],
    dynamic: 'new RegExp(`^${source',
    why: "build only: include/exclude globs of the manifest against the document's paths"
  },
  {
    files: ['generators/lower/examples.ts'],
    dynamic: 'new RegExp(source',
    why: "build only: compiles an example's `matches:` to report an invalid one; never run by the server"
  },
  {
    files: ['generators/cli/surface/examples.ts'],
    dynamic: 'new RegExp(example.matches',
    why: "`mcp-gen test` only: the project's own example pattern, run on its own tool's result; never in a server"
  }
];

const allowedFor = (site: RegexSite) =>
  allowed.find(
    (a) =>
      a.files.includes(site.file) &&
      (site.dynamic !== undefined ? a.dynamic !== undefined && site.dynamic.includes(a.dynamic) : a.pattern === site.source)
  );
const where = (s: RegexSite) => `${s.file}:${s.line}:${s.col}`;

describe('regular expressions in generators/ and runtime/', () => {
  const sites = regexSites(root, ['generators', 'runtime']);

  it('the scan finds literals, new RegExp with literals, and dynamic constructions', () => {
    const found = regexSitesIn(
      'x.ts',
      "const a = /a+b/gi; const b = new RegExp('c|d', 'u'); const c = RegExp(`e`); const d = new " +
        "RegExp(x); const s = '/not/';\n// /nor/ this"
    );
    expect(found.map(({ source, flags, dynamic, line, col }) => ({ source, flags, dynamic, line, col }))).toEqual([
      { source: 'a+b', flags: 'gi', dynamic: undefined, line: 1, col: 11 },
      { source: 'c|d', flags: 'u', dynamic: undefined, line: 1, col: 30 },
      { source: 'e', flags: '', dynamic: undefined, line: 1, col: 64 },
      { source: undefined, flags: undefined, dynamic: 'new RegExp(x)', line: 1, col: 87 }
    ]);
    expect(sites.length).toBeGreaterThan(100);
  });

  it.each([
    ['nested repetition', '^(a+)+$', 'exponential'],
    ['the old URL-with-password shape', '[a-z][a-z0-9+.-]*:\\/\\/[^\\s/:@]+:[^\\s/@]+@', '2nd degree polynomial']
  ])('the checker flags a known-bad pattern: %s', async (_name, source, want) => {
    expect(await checkRegex(source, 'i')).toMatchObject({ status: 'vulnerable', complexity: want });
  });

  it('every pattern is linear, or allowed below with its reason', async () => {
    const checked = sites.filter((s) => s.source !== undefined && !allowedFor(s));
    const verdicts = await checkRegexes(checked.map((s) => ({ source: s.source!, flags: s.flags! })));
    const bad = checked.flatMap((s) => {
      const v = verdicts.get(regexKey(s.source!, s.flags!))!;
      return v.status === 'safe'
        ? []
        : [`${where(s)} /${s.source}/${s.flags}: ${v.status} ${v.complexity ?? v.error ?? ''} ${v.attack ?? ''}`];
    });
    expect(bad, 'super-linear or unproven patterns: make them linear (anchor, bound repetitions, or scan by hand)').toEqual([]);
  }, 120_000);

  it('every RegExp built at run time is allowed below, with where its pattern comes from', () => {
    expect(sites.filter((s) => s.dynamic !== undefined && !allowedFor(s)).map((s) => `${where(s)} ${s.dynamic}`)).toEqual([]);
  });

  it('every allowance is still used', () => {
    const unused = allowed.flatMap((a) =>
      a.files.filter((f) => !sites.some((s) => s.file === f && allowedFor(s) === a)).map((f) => `${f}: ${a.pattern ?? a.dynamic}`)
    );
    expect(unused).toEqual([]);
  });

  it('the runtime never loads recheck (generators and tests only)', () => {
    const files = readdirSync(join(root, 'runtime'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const importers = files.filter((f) =>
      ts.preProcessFile(readFileSync(join(root, 'runtime', f), 'utf8'), true, true).importedFiles.some((i) => i.fileName === 'recheck')
    );
    expect(importers).toEqual([]);
  });
});
