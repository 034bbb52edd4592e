/**
 * The line where indentation first goes wrong. The YAML parser reports an indentation slip where it notices
 * it, often a line early or late and with knock-on errors after it; this finds the line itself by following
 * the block structure (keys and `-` items) line by line. Used only when the parser already found errors.
 */
export interface Slip {
  /** 1-based line of the slipped line. */
  readonly line: number;
  readonly indent: number;
  /** The indentation its neighbour has (the key or item it should line up with), and that neighbour's line. */
  readonly expected: number;
  readonly neighbour: number;
}

interface Level {
  readonly indent: number;
  readonly kind: 'key' | 'dash';
  readonly line: number;
}

export function indentationSlip(text: string): Slip | undefined {
  const lines = text.split(/\r?\n/);
  const stack: Level[] = [];
  let opens = true;
  let scalarAbove: number | undefined;
  let flowDepth = 0;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    if (raw[indent] === '\t') return undefined;
    // Block scalar bodies and multi-line flow collections are content, not structure.
    if (scalarAbove !== undefined && indent > scalarAbove) continue;
    scalarAbove = undefined;
    const depthBefore = flowDepth;
    flowDepth = Math.max(0, flowDepth + bracketBalance(content));
    if (depthBefore > 0) continue;
    if (content.startsWith('---') || content.startsWith('...')) continue;
    const dash = content === '-' || content.startsWith('- ');
    const levels = [...stack];
    if (opens) {
      if (
        stack.length === 0 ||
        indent > stack[stack.length - 1]!.indent ||
        (dash && indent === stack[stack.length - 1]!.indent && stack[stack.length - 1]!.kind === 'key')
      ) {
        stack.push({ indent, kind: dash ? 'dash' : 'key', line: n + 1 });
      } else if (!settle(stack, indent, dash)) return slip(levels, n, indent, dash);
    } else {
      const top = stack[stack.length - 1];
      if (top && indent > top.indent) return { line: n + 1, indent, expected: top.indent, neighbour: top.line };
      if (!settle(stack, indent, dash)) return slip(levels, n, indent, dash);
    }
    let rest = content;
    let column = indent;
    // `- key: value` opens a mapping whose keys line up with `key`.
    while (rest.startsWith('- ')) {
      const after = rest.slice(2);
      column += 2 + (after.length - after.trimStart().length);
      rest = after.trimStart();
      if (rest !== '' && !rest.startsWith('- ')) stack.push({ indent: column, kind: 'key', line: n + 1 });
      else if (rest.startsWith('- ')) stack.push({ indent: column, kind: 'dash', line: n + 1 });
    }
    const bare = withoutComment(rest);
    opens = bare.endsWith(':') || bare === '-' || /:\s+[|>][-+0-9]*$/.test(bare) || content === '-';
    if (/(^|:\s+)[|>][-+0-9]*$/.test(bare)) {
      scalarAbove = indent;
      opens = false;
    }
  }
  return undefined;
}

/** Pops to the level at `indent`; false when no open level has that indentation (or it holds the other kind). */
function settle(stack: Level[], indent: number, dash: boolean): boolean {
  while (stack.length > 0 && stack[stack.length - 1]!.indent > indent) stack.pop();
  const top = stack[stack.length - 1];
  if (!top || top.indent !== indent) return false;
  if (top.kind === 'dash' && !dash) return false;
  if (top.kind === 'key' && dash) stack[stack.length - 1] = { ...top, kind: 'dash' };
  return true;
}

/** The slipped line and the open level of its kind nearest its indentation (the deeper one on a tie). */
function slip(levels: readonly Level[], n: number, indent: number, dash: boolean): Slip {
  const same = levels.filter((l) => (l.kind === 'dash') === dash);
  let near: Level = { indent: 0, kind: 'key', line: 1 };
  let best = Infinity;
  for (const l of same.length > 0 ? same : levels) {
    const d = Math.abs(l.indent - indent);
    if (d <= best) [near, best] = [l, d];
  }
  return { line: n + 1, indent, expected: near.indent, neighbour: near.line };
}

/** Opening minus closing brackets outside quotes and comments (for flow collections over several lines). */
function bracketBalance(line: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ')) break;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth;
}

/** The line without a trailing `# comment` (whitespace then `#`); a scan, since `/\s+#.*$/` is quadratic. */
function withoutComment(line: string): string {
  const hash = line.search(/\s#/);
  if (hash === -1) return line;
  let end = hash;
  while (end > 0 && /\s/.test(line[end - 1]!)) end--;
  return line.slice(0, end);
}
