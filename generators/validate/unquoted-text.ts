import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedManifest } from '../load/load-manifest.js';
import { joinPointer, splitPointer } from '../load/source-map.js';
import { valueAt } from './pointer.js';

/**
 * `{ description: Country code, e.g. US }`: YAML ends the value at the comma and reads `e.g. US` as a key with
 * no value. Such a key (null, with a space or punctuation in its name) is text that lost its quotes.
 */
export function isUnquotedText(key: string, value: unknown): boolean {
  return value === null && /[^\p{L}\p{N}_$-]/u.test(key);
}

/** One warning per run of such keys, at the first, showing the text quoted. */
export function unquotedTextDiagnostics(m: LoadedManifest): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...path, i]));
    if (node === null || typeof node !== 'object') return;
    const entries = Object.entries(node);
    entries.forEach(([key, value], i) => {
      walk(value, [...path, key]);
      if (!isUnquotedText(key, value) || (i > 0 && isUnquotedText(...entries[i - 1]!))) return;
      let end = i;
      while (end + 1 < entries.length && isUnquotedText(...entries[end + 1]!)) end++;
      const text = entries
        .slice(i, end + 1)
        .map(([k]) => k)
        .join(', ');
      const before = entries[i - 1];
      const quoted = before && typeof before[1] === 'string' ? `, e.g. ${before[0]}: ${JSON.stringify(`${before[1]}, ${text}`)}` : '';
      const pointer = joinPointer([...path, key]);
      const message =
        `unquoted text "${text}" became ${end > i ? 'keys' : 'a key'} with no value (a comma ends a ` +
        `value in a { } map): quote the whole text${quoted}`;
      out.push(diagnostic('MCPGEN_YAML_UNQUOTED', message, m.source.locate(pointer, { key: true }), pointer, { severity: 'warning' }));
    });
  };
  walk(m.value, []);
  return out;
}

/** Whether the key at `pointer` is such text (its unknown-key error would repeat the warning). */
export function isUnquotedTextAt(root: unknown, pointer: string): boolean {
  const key = splitPointer(pointer).pop();
  return key !== undefined && isUnquotedText(key, valueAt(root, pointer));
}
