import type { UriVariable } from './artifact/ir.js';
import type { UriMatcher } from './uri-template.js';

/**
 * Matches concrete URIs against a resource template's parts, with exactly the result of its regular expression
 * (`^lit([^/?#]+)lit(.+)…$`, greedy, groups in order) but in time linear in the URI: the expression backtracked
 * quadratically when two variables could share text (`{+dir}/{+name}`), and resources/read takes any URI.
 *
 * `fits[k][i]`: parts k.. match `uri[i..]` to its end. Computed backwards, one pass per part; then each
 * variable takes the longest text after which the rest still fits, which is the expression's greedy choice.
 */
export function uriMatcher(parts: readonly (string | UriVariable)[]): UriMatcher {
  const first = typeof parts[0] === 'string' ? parts[0] : '';
  const last = parts.length > 1 && typeof parts[parts.length - 1] === 'string' ? (parts[parts.length - 1] as string) : '';
  return {
    exec(uri: string): string[] | null {
      // Most templates differ by their fixed start or end: those never get to the tables.
      if (!uri.startsWith(first) || !uri.endsWith(last) || uri.length < first.length + last.length) return null;
      const fits = fitTables(parts, uri);
      if (!fits[0]![0]) return null;
      const groups = [uri];
      let pos = 0;
      parts.forEach((part, k) => {
        if (typeof part === 'string') {
          pos += part.length;
          return;
        }
        let end = runEnd(uri, pos, part.multiSegment);
        while (!fits[k + 1]![end]) end--;
        groups.push(uri.slice(pos, end));
        pos = end;
      });
      return groups;
    }
  };
}

/** `{var}` text: not `/`, `?` or `#`. `{+var}` text: `.` of a regular expression without flags, not a line end. */
function allowed(c: number, multiSegment: boolean): boolean {
  return multiSegment ? c !== 0x0a && c !== 0x0d && c !== 0x2028 && c !== 0x2029 : c !== 0x2f && c !== 0x3f && c !== 0x23;
}

/** The end of the longest run of a variable's characters from `i`. */
function runEnd(uri: string, i: number, multiSegment: boolean): number {
  let end = i;
  while (end < uri.length && allowed(uri.charCodeAt(end), multiSegment)) end++;
  return end;
}

function fitTables(parts: readonly (string | UriVariable)[], uri: string): Uint8Array[] {
  const n = uri.length;
  const fits: Uint8Array[] = new Array<Uint8Array>(parts.length + 1);
  fits[parts.length] = new Uint8Array(n + 1);
  fits[parts.length]![n] = 1;
  for (let k = parts.length - 1; k >= 0; k--) {
    const part = parts[k]!;
    const next = fits[k + 1]!;
    const here = new Uint8Array(n + 1);
    if (typeof part === 'string') {
      for (let i = 0; i + part.length <= n; i++) if (next[i + part.length] && uri.startsWith(part, i)) here[i] = 1;
    } else {
      // Right to left: the end of the run from i, and the nearest j > i where the rest fits.
      let run = n;
      let nearest = Infinity;
      for (let i = n - 1; i >= 0; i--) {
        if (next[i + 1]) nearest = i + 1;
        if (!allowed(uri.charCodeAt(i), part.multiSegment)) {
          run = i;
          continue;
        }
        if (nearest <= run) here[i] = 1;
      }
    }
    fits[k] = here;
  }
  return fits;
}
