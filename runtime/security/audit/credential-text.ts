/**
 * Credentials inside free text: a URL's `user:password@` and a query parameter whose name says it holds one.
 * Hand-written scans instead of the regular expressions they replace, which backtracked: an unspaced argument of
 * 64 000 characters blocked the event loop for seconds, 900 000 for minutes (issue 10). Each scan below reads
 * every character a bounded number of times, and finds exactly what the old expressions found:
 *   URL:   /([a-z][a-z0-9+.-]*:\/\/)[^\s/:@]+:[^\s/@]+@/gi
 *   query: /([?&][^=&#]*(?:token|key|secret|password|signature|sig)[^=&#]*=)[^&#]*\/gi
 */

const code = (text: string, i: number) => text.charCodeAt(i);
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isSchemeChar = (c: number) => isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;

/** JavaScript's `\s`. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const SLASH = 0x2f;
const COLON = 0x3a;
const AT = 0x40;

export interface UrlPassword {
  /** Where the scheme begins. */
  readonly scheme: number;
  /** Where `user:password` begins (after `://`). */
  readonly start: number;
  /** The index of the `@` that ends it. */
  readonly at: number;
}

/**
 * The leftmost scheme start before the `://` at `p`: the first letter of the run of scheme characters ending
 * there. Runs end at the `:` of a `://`, so runs of different `://`s never overlap.
 */
function schemeBefore(text: string, p: number, from: number): number {
  let start = -1;
  for (let i = p - 1; i >= from && isSchemeChar(code(text, i)); i--) if (isLetter(code(text, i))) start = i;
  return start;
}

/**
 * The `@` ending `user:password` from `start`, or -1. Both parts stop at whitespace, `/` and `@` (the user also at
 * `:`), so the scan never passes the `/` of the next `://`: scans of different `://`s do not overlap either.
 */
function userinfoEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && !isSpace(code(text, i)) && code(text, i) !== SLASH && code(text, i) !== COLON && code(text, i) !== AT) i++;
  if (i === start || code(text, i) !== COLON) return -1;
  const password = ++i;
  while (i < text.length && !isSpace(code(text, i)) && code(text, i) !== SLASH && code(text, i) !== AT) i++;
  return i > password && code(text, i) === AT ? i : -1;
}

/** The next URL with a password from `from` on, whose `://` starts before `before` (it may end after). */
export function nextUrlPassword(text: string, from: number, before = text.length): UrlPassword | undefined {
  for (let p = text.indexOf('://', from); p !== -1 && p < before; p = text.indexOf('://', p + 1)) {
    const scheme = schemeBefore(text, p, from);
    if (scheme === -1) continue;
    const at = userinfoEnd(text, p + 3);
    if (at !== -1) return { scheme, start: p + 3, at };
  }
  return undefined;
}

/** `scheme://[masked]@` for every URL with a password. */
export function maskUrlPasswords(text: string, mask: string): string {
  let out = '';
  let last = 0;
  for (let found = nextUrlPassword(text, 0); found; found = nextUrlPassword(text, found.at + 1)) {
    out += `${text.slice(last, found.start)}${mask}`;
    last = found.at;
  }
  return last === 0 ? text : out + text.slice(last);
}

const credentialWords = ['token', 'key', 'secret', 'password', 'sig']; // `sig` covers `signature`
const QUESTION = 0x3f;
const AMP = 0x26;
const EQUALS = 0x3d;
const HASH = 0x23;

/** The old expression's `i` flag folds ASCII letters only. */
const namesCredential = (key: string) => {
  const lower = key.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  return credentialWords.some((w) => lower.includes(w));
};

/** `?name=[masked]` for every query parameter (`?` or `&` to `=`) whose name contains a credential word. */
export function maskQueryCredentials(text: string, mask: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = code(text, i);
    if (c !== QUESTION && c !== AMP) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < text.length && code(text, end) !== EQUALS && code(text, end) !== AMP && code(text, end) !== HASH) end++;
    if (end < text.length && code(text, end) === EQUALS && namesCredential(text.slice(i + 1, end))) {
      let value = end + 1;
      while (value < text.length && code(text, value) !== AMP && code(text, value) !== HASH) value++;
      out += `${text.slice(last, end + 1)}${mask}`;
      last = value;
      i = value;
    } else {
      // A `?` inside this name starts a name that is part of this one, with the same end: it fails the same way.
      i = end;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}
