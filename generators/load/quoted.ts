/**
 * Where each character of a quoted YAML scalar's value comes from in the file. Escapes (`\n`, `\"`, `\x41`,
 * `''`), escaped line breaks and line folding make the value and the file text differ, so a position found
 * in the value (a template error) is mapped back through this table.
 */
export function quotedOffsets(text: string, start: number): number[] {
  const quote = text[start];
  const out: number[] = [];
  let i = start + 1;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        out.push(i);
        i += 2;
        continue;
      }
      break;
    }
    if (quote === '"' && c === '\\') {
      const next = text[i + 1];
      if (next === '\n' || next === '\r') {
        i += next === '\r' && text[i + 2] === '\n' ? 3 : 2;
        while (isSpace(text[i])) i++;
        continue;
      }
      out.push(i);
      i += next === 'x' ? 4 : next === 'u' ? 6 : next === 'U' ? 10 : 2;
      continue;
    }
    if (c === '\n' || c === '\r') {
      // Folding: trailing blanks go, one line break becomes a space, each further empty line a newline.
      while (out.length > 0 && isSpace(text[out[out.length - 1]!])) out.pop();
      const breakAt = i;
      let breaks = 0;
      while (i < text.length && (text[i] === '\n' || text[i] === '\r' || isSpace(text[i]))) {
        if (text[i] === '\n') breaks++;
        i++;
      }
      if (breaks <= 1) out.push(breakAt);
      else for (let k = 1; k < breaks; k++) out.push(breakAt);
      continue;
    }
    out.push(i);
    i++;
  }
  out.push(i);
  return out;
}

/** The file offset of (line, col) of a value (both 1-based), through `quotedOffsets`. */
export function offsetInQuoted(text: string, start: number, value: string, line: number, col: number): number {
  const lines = value.split('\n');
  let index = col - 1;
  for (let l = 0; l < line - 1 && l < lines.length; l++) index += lines[l]!.length + 1;
  const offsets = quotedOffsets(text, start);
  return offsets[Math.min(Math.max(index, 0), offsets.length - 1)]!;
}
