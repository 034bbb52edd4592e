/**
 * Issue 10 (2): the audit digest looked for credentials with regular expressions that backtracked
 * quadratically (cubically for query keys), so one long unspaced argument blocked the event loop for seconds
 * to minutes, whatever the tool. These cases use the attack strings recheck reports for the old expressions;
 * with linear scans they finish (a quadratic scan of 900 000 characters takes over ten minutes: the test times
 * out). Masking stays exactly what the old expressions did: given/want tables and a property check against
 * them on short strings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Body } from '../../runtime/core/envelope.js';
import { RpcError } from '../../runtime/core/errors.js';
import { Auditor } from '../../runtime/security/audit/auditor.js';
import { argumentDigest, looksSecret, maskArguments, maskText, MASK, SCAN_LIMIT } from '../../runtime/security/audit/digest.js';
import { clearSecrets, registerSecret } from '../../runtime/redact.js';

/** Attack strings of `size` characters, without spaces (recheck's, for the old URL and query expressions). */
const attacks = (size: number): [string, string][] => [
  ['a scheme-like run with no `://`', `${'A'.repeat(size - 4)}\u0000:\u0000@`],
  ['`?` runs then `sig` runs', `${'?'.repeat(size / 2)}${'SIG'.repeat(size / 6)}`],
  ['one `://` then a long user', `a://${'u'.repeat(size - 4)}`],
  ['`://` again and again', 'a://b:'.repeat(size / 6)],
  ['`&key` without `=`', '&key'.repeat(size / 4)],
  ['credential prefixes again and again', 'sk-.ghp_.AKIA.glpat-.'.repeat(size / 21)]
];

const lines: string[] = [];
const auditor = new Auditor({ write: (l) => lines.push(l), close: () => {} }, () => undefined);
const body: Body = '{}';

describe.each([64_000, 900_000])('audit digest of adversarial %i-character strings', (size) => {
  it.each(attacks(size))('%s: looksSecret, maskText and argumentDigest finish', (_name, attack) => {
    expect(looksSecret(attack)).toBe(false);
    expect(maskText(attack)).toBe(attack);
    expect(argumentDigest({ text: attack })).toMatch(/^sha256:/);
  });

  it.each(attacks(size))('%s: Auditor.begin finishes for an unknown tool, a prompt and a resource URI', (_name, attack) => {
    lines.length = 0;
    auditor
      .begin('tools/call', 1, { name: 'no_such_tool', arguments: { text: attack } }, 'modern', undefined)!
      .failed(new RpcError('invalidParams', 'Unknown tool'), body);
    auditor.begin('prompts/get', 2, { name: 'hello', arguments: { who: attack } }, 'modern', undefined)!.done({}, body);
    auditor
      .begin('resources/read', 3, { uri: `docs://x?${attack}` }, 'modern', undefined)!
      .failed(new RpcError('invalidParams', 'Resource not found'), body);
    expect(lines.map((l) => (JSON.parse(l) as { target: string }).target)).toEqual([
      'no_such_tool',
      'hello',
      maskText(`docs://x?${attack}`).slice(0, 512)
    ]);
  });

  it('a credential that starts within the scanned part is masked, however long the value', () => {
    const filler = 'x'.repeat(size);
    expect(looksSecret(`postgres://app:${filler}@db/prod`)).toBe(true);
    expect(looksSecret(`ghp_${'A1b2'.repeat(10)} ${filler}`)).toBe(true);
    expect(maskText(`db://u:${filler}@h`)).toBe(`db://${MASK}@h`);
    expect(maskText(`${filler}?token=${filler}`)).toBe(`${filler}?token=${MASK}`);
  });
});

describe('the scanned part of a value', () => {
  const key = `ghp_${'A1b2'.repeat(10)}`;
  it.each([
    ['a credential starting in the first 64 KiB', `${' '.repeat(SCAN_LIMIT - 10)}${key}`, true],
    ['a credential starting well after them: not looked for', `${' '.repeat(SCAN_LIMIT + 2048)}${key}`, false],
    ['a URL password starting in them, ending far after', `${' '.repeat(SCAN_LIMIT - 10)}db://u:${'p'.repeat(SCAN_LIMIT)}@h`, true],
    ['a URL password starting after them', `${' '.repeat(SCAN_LIMIT + 10)}db://u:p@h`, false]
  ])('%s', (_name, value, want) => expect(looksSecret(value)).toBe(want));

  it('a registered secret starting in the first 64 KiB is found, one after them is not', () => {
    registerSecret('correct-horse-battery');
    try {
      expect(looksSecret(`${' '.repeat(SCAN_LIMIT - 5)}correct-horse-battery`)).toBe(true);
      expect(looksSecret(`${' '.repeat(SCAN_LIMIT + 5)}correct-horse-battery`)).toBe(false);
    } finally {
      clearSecrets();
    }
  });
});

describe('masking is unchanged', () => {
  it.each([
    ['postgres://app:s3cret@db.internal/prod', `postgres://${MASK}@db.internal/prod`],
    ['see https://user:pa:ss@host/x and ftp://a:b@c', `see https://${MASK}@host/x and ftp://${MASK}@c`],
    ['HTTPS://U:P@H', `HTTPS://${MASK}@H`],
    ['x+y.z-1://u:p@h', `x+y.z-1://${MASK}@h`],
    ['1http://u:p@h', `1http://${MASK}@h`],
    ['a://u:p@b://v:q@c', `a://${MASK}@b://${MASK}@c`],
    ['http://user@host', 'http://user@host'],
    ['http://u:p/@host', 'http://u:p/@host'],
    ['http://:p@host', 'http://:p@host'],
    ['http://u:@host', 'http://u:@host'],
    ['1://u:p@h', '1://u:p@h'],
    ['api://items?id=3&token=abc&page=2', `api://items?id=3&token=${MASK}&page=2`],
    ['x://y?API_KEY=1&x=2', `x://y?API_KEY=${MASK}&x=2`],
    ['x://y?sig=abc#frag', `x://y?sig=${MASK}#frag`],
    ['x://y?foo=1?token=2', `x://y?foo=1?token=${MASK}`],
    ['x://y?a?token=x', `x://y?a?token=${MASK}`],
    ['x://y?token', 'x://y?token'],
    ['x://y?tokens=1&keyring=2', `x://y?tokens=${MASK}&keyring=${MASK}`],
    ['x://y&Signature=xyz', `x://y&Signature=${MASK}`],
    ['x://y?password=a=b&c', `x://y?password=${MASK}&c`],
    ['s://u:p@h?secret=1', `s://${MASK}@h?secret=${MASK}`]
  ])('maskText(%s)', (given, want) => expect(maskText(given)).toBe(want));

  it.each([
    ['postgres://app:s3cret@db.internal/prod', true],
    ['note: mysql://root:pw@127.0.0.1:3306/x', true],
    ['Bearer 0123456789abcdef', true],
    ['token abcdefgh', true],
    ['token abcdefg', false],
    ['glpat-0123456789abcdefghij', true],
    ['glpat-0123456789abcdefghi', false],
    ['sk_test_0123456789abcdef', true],
    ['github_pat_0123456789abcdef0123456789abcd', true],
    ['http://user@host/a', false],
    ['https://example.com/a/b?c=d', false]
  ])('looksSecret(%s) = %s', (given, want) => expect(looksSecret(given)).toBe(want));

  // The expressions the scans replace: on short strings they are fast, and the reference.
  const oldUrl = /([a-z][a-z0-9+.-]*:\/\/)[^\s/:@]+:[^\s/@]+@/gi;
  const oldQuery = /([?&][^=&#]*(?:token|key|secret|password|signature|sig)[^=&#]*=)[^&#]*/gi;
  const oldMask = (text: string) => text.replace(oldUrl, `$1${MASK}@`).replace(oldQuery, `$1${MASK}`);
  const pieces = [
    'a',
    'Z',
    '1',
    '+',
    '.',
    '-',
    ':',
    '/',
    '//',
    '://',
    '@',
    '?',
    '&',
    '=',
    '#',
    ' ',
    '\n',
    '\u00a0',
    '\u212a',
    'ey',
    'token',
    'KEY',
    'sig',
    'x:y@'
  ];
  const texts = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((p) => p.join(''));

  it('maskText equals the old expressions on generated strings', () => {
    fc.assert(
      fc.property(texts, (text) => maskText(text) === oldMask(text)),
      { numRuns: 5000, seed: 10 }
    );
  });

  it('a URL with a password looks secret exactly when the old expression said so', () => {
    const old = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i;
    // The leading space keeps the anchored shapes (bearer, JWT, random keys) out; the pieces hold no other shape's prefix.
    fc.assert(
      fc.property(texts, (text) => looksSecret(` ${text}`) === old.test(` ${text}`)),
      { numRuns: 5000, seed: 10 }
    );
  });

  it('a value the server knows to be a secret is masked anywhere in the scanned part', () => {
    registerSecret('correct-horse-battery');
    try {
      expect(maskArguments({ note: `${'x'.repeat(10_000)}correct-horse-battery` }, {})).toEqual({ note: MASK });
      expect(looksSecret('correct-horse')).toBe(false);
    } finally {
      clearSecrets();
    }
  });
});
