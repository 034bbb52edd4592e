/**
 * Code blocks of a Markdown page that console-blocks.test.ts acts on: ```console blocks (`$ command` lines,
 * each followed by the output it prints) and, in README.md, blocks tagged `file=PATH` (a file the reader
 * writes, e.g. ```yaml file=mcp-gen.yaml).
 */
export interface ConsoleBlock {
  readonly kind: 'console';
  readonly file: string;
  readonly line: number;
  readonly commands: { command: string; output: string }[];
  /** The reason given by `<!-- not run: reason -->` just before the block. */
  readonly notRun?: string;
}

export interface FileBlock {
  readonly kind: 'file';
  readonly file: string;
  readonly line: number;
  readonly path: string;
  readonly text: string;
}

export function docBlocks(file: string, markdown: string): (ConsoleBlock | FileBlock)[] {
  const lines = markdown.split('\n');
  const out: (ConsoleBlock | FileBlock)[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\S*)(.*)$/.exec(lines[i]!);
    if (!fence) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    const body = lines.slice(i + 1, end);
    const path = /\bfile=(\S+)/.exec(fence[2]!)?.[1];
    if (fence[1] === 'console') out.push(consoleBlock(file, i + 1, body, notRunReason(lines, i)));
    else if (path !== undefined && file === 'README.md') out.push({ kind: 'file', file, line: i + 1, path, text: body.join('\n') + '\n' });
    i = end;
  }
  return out;
}

function notRunReason(lines: string[], fence: number): string | undefined {
  let j = fence - 1;
  while (j >= 0 && lines[j]!.trim() === '') j--;
  return /^<!-- not run: (.*) -->$/.exec(lines[j] ?? '')?.[1];
}

function consoleBlock(file: string, line: number, body: string[], notRun: string | undefined): ConsoleBlock {
  const commands: { command: string; output: string }[] = [];
  for (const l of body) {
    if (l.startsWith('$ ')) commands.push({ command: l.slice(2), output: '' });
    else if (commands.length > 0) commands.at(-1)!.output += l + '\n';
  }
  return { kind: 'console', file, line, commands, ...(notRun !== undefined ? { notRun } : {}) };
}
