/**
 * Resource templates were matched with a regular expression built from the template: with two variables next
 * to each other (`{+dir}/{+name}`, `{a}{b}`) it backtracked quadratically, and a resources/read of a long URI
 * blocked the server (issue 10). uriMatcher matches in linear time with exactly the expression's result:
 * given/want cases, a property check against the expression, and attack strings that must finish.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uriMatcher } from '../../runtime/uri-match.js';
import { parseUriTemplate, type ParsedUriTemplate } from '../../runtime/uri-template.js';

const parsed = (template: string): ParsedUriTemplate => {
  const p = parseUriTemplate(template);
  if ('error' in p) throw new Error(p.error);
  return p;
};
const match = (template: string, uri: string) => {
  const m = uriMatcher(parsed(template).parts).exec(uri);
  return m ? Array.from(m) : null;
};

describe('uriMatcher', () => {
  it.each([
    ['docs://pages/{page}', 'docs://pages/intro.md', ['docs://pages/intro.md', 'intro.md']],
    ['docs://pages/{page}', 'docs://pages/a/b', null],
    ['docs://pages/{page}', 'docs://pages/', null],
    ['docs://files/{+path}', 'docs://files/a/b.md', ['docs://files/a/b.md', 'a/b.md']],
    ['x://{+a}/{+b}', 'x://1/2/3', ['x://1/2/3', '1/2', '3']],
    ['x://{a}{b}', 'x://abc', ['x://abc', 'ab', 'c']],
    ['x://{a}.{b}', 'x://a.b.c', ['x://a.b.c', 'a.b', 'c']],
    ['x://{a}/{b}', 'x://a/b/c', null],
    ['x://{+a}.{b}', 'x://a.b.c', ['x://a.b.c', 'a.b', 'c']],
    ['x://{+a}', 'x://a\nb', null],
    ['x://{a}', 'x://a\nb', ['x://a\nb', 'a\nb']],
    ['{a}://x', 'scheme://x', ['scheme://x', 'scheme']],
    ['x://static', 'x://static', ['x://static']],
    ['x://static', 'x://statics', null]
  ])('%s on %j', (template, uri, want) => expect(match(template, uri)).toEqual(want));

  it('matches exactly what the regular expression matched, on generated templates and URIs', () => {
    const piece = fc.constantFrom('x://', '/', '.', 'a', '?', '{}', '{+}');
    const templates = fc.array(piece, { minLength: 1, maxLength: 6 }).map((ps) => {
      let n = 0;
      return ps.map((p) => (p === '{}' ? `{v${n++}}` : p === '{+}' ? `{+v${n++}}` : p)).join('');
    });
    const uris = fc
      .array(fc.constantFrom('x://', '/', '.', 'a', 'b', '?', '#', '\n', '\u2028'), { maxLength: 12 })
      .map((ps) => ps.join(''));
    fc.assert(
      fc.property(templates, uris, (template, uri) => {
        const p = parsed(template);
        const want = new RegExp(p.pattern).exec(uri);
        expect(match(template, uri)).toEqual(want ? Array.from(want) : null);
      }),
      { numRuns: 5000, seed: 10 }
    );
  });

  it.each([
    ['files://{+dir}/{+name}', `files://${'/'.repeat(900_000)}\n`],
    ['x://{a}{b}{c}', `x://${'a'.repeat(900_000)}/`],
    ['x://{+a}.{+b}.{c}', `x://${'.'.repeat(900_000)}/`]
  ])('%s: a 900 000-character URI that does not match finishes', (template, uri) => {
    expect(match(template, uri)).toBeNull();
  });
});
