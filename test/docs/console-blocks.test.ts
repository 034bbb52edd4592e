import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docBlocks, type ConsoleBlock } from './console-blocks.js';

/**
 * The README's tutorial works literally, and every ```console block of README.md and docs/*.md shows what
 * its commands print. The repository is packed (`npm pack`, what a user installs) into a fresh project
 * folder; then, in document order, README code blocks tagged `file=PATH` are written into it and each
 * console block's `$` commands run there, their output (stdout and stderr) compared with the lines under
 * them. A block that cannot run here is marked with `<!-- not run: reason -->` just before it.
 *
 * The packed files are unpacked as npm would install them; their dependencies come from this checkout's
 * node_modules (linked), which keeps the test offline and fast: a real `npm install` of the tarball
 * compiles better-sqlite3 (minutes), and .ci/run does it once as its install smoke test.
 */
const root = join(import.meta.dirname, '..', '..');
const sources = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`)
];
const blocks = sources.flatMap((file) => docBlocks(file, readFileSync(join(root, file), 'utf8')));
const consoles = blocks.filter((b): b is ConsoleBlock => b.kind === 'console');

const scratch = mkdtempSync(join(tmpdir(), 'mcp-gen-console-doc-'));
const project = join(scratch, 'my-project');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'generators', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run npx tsc -p tsconfig.json first');
  // prepare (tsc) is skipped: dist/ is built already, by npm test's tsc.
  const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', scratch], {
    cwd: root,
    encoding: 'utf8'
  })
    .trim()
    .split('\n')
    .pop()!;
  const installed = join(project, 'node_modules', 'mcp-gen');
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-project', version: '1.0.0', private: true }, null, 2));
  execFileSync('tar', ['-xzf', join(scratch, tarball), '-C', installed, '--strip-components=1']);
  symlinkSync(realpathSync(join(root, 'node_modules')), join(installed, 'node_modules'));
  mkdirSync(join(project, 'node_modules', '.bin'));
  symlinkSync('../mcp-gen/dist/generators/cli/main.js', join(project, 'node_modules', '.bin', 'mcp-gen'));
  chmodSync(join(installed, 'dist', 'generators', 'cli', 'main.js'), 0o755);
});

/** What may differ between machines and runs: the project folder, ports, timestamps, trailing blanks. */
function normalise(text: string): string {
  return text
    .replaceAll(realpathSync(project), '/path/to/my-project')
    .replaceAll(project, '/path/to/my-project')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIMESTAMP')
    .replace(/[ \t]+$/gm, '')
    .trimEnd();
}

function runCommand(command: string): string {
  // As from a user's shell: not with the variables `npm test` sets (npm_config_local_prefix would point npx
  // at this checkout) nor mcp-gen settings of the test run.
  const inherited = Object.entries(process.env).filter(([k]) => !/^(npm_|INIT_CWD$|MCP_?GEN_)/i.test(k));
  const env = { ...Object.fromEntries(inherited), npm_config_update_notifier: 'false', npm_config_fund: 'false', NO_COLOR: '1' };
  const r = spawnSync('bash', ['-c', `exec 2>&1\n${command}`], { cwd: project, env, encoding: 'utf8' });
  return r.stdout;
}

describe('console blocks of README.md and docs/*.md', () => {
  it('are each run below or marked not run, with a reason', () => {
    const listing = consoles.map((b) => `${b.file}:${b.line} ${b.notRun === undefined ? 'run' : `not run (${b.notRun})`}`);
    expect(listing.length).toBeGreaterThan(0);
    for (const b of consoles) {
      if (b.notRun !== undefined) expect(b.notRun.trim(), `${b.file}:${b.line}`).not.toBe('');
      else expect(b.commands.length, `${b.file}:${b.line} has no $ command`).toBeGreaterThan(0);
    }
    console.info(listing.join('\n'));
  });

  // In document order: a console block sees the files the blocks before it wrote.
  const steps = blocks.filter((b) => b.kind === 'file' || b.notRun === undefined);
  it.each(steps.map((b) => [`${b.file}:${b.line}`, b] as const))(
    '%s works as shown',
    (_, block) => {
      if (block.kind === 'file') {
        mkdirSync(dirname(join(project, block.path)), { recursive: true });
        writeFileSync(join(project, block.path), block.text);
        return;
      }
      for (const { command, output } of block.commands) expect(normalise(runCommand(command)), `$ ${command}`).toBe(normalise(output));
    },
    120_000
  );
});
