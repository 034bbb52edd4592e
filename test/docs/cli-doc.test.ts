import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Options } from '../../generators/cli/args.js';

/**
 * docs/cli.md must not drift from the CLI: for every command, the flags in its section's `| Flag |` tables
 * are exactly the options the command hands to the strict parser (generators/cli/args.ts), long names and
 * short aliases alike, and every environment variable the code reads is in the Environment table.
 * The options are taken from the commands themselves: `parse` is wrapped to record what each command passes
 * when it is asked for `--help`.
 */
const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');

const seen: Options[] = [];
const helpTexts: string[] = [];
vi.mock('../../generators/cli/args.js', async (original) => {
  const real = await original<typeof import('../../generators/cli/args.js')>();
  return {
    ...real,
    parse: (argv: string[], options: Options, positionals?: number) => {
      seen.push(options);
      return real.parse(argv, options, positionals);
    },
    help: (text: string) => {
      helpTexts.push(text);
      return 0;
    }
  };
});

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  init: async (a) => (await import('../../generators/cli/commands/init.js')).initCommand(a),
  validate: async (a) => (await import('../../generators/cli/commands/build.js')).validateCommand(a),
  build: async (a) => (await import('../../generators/cli/commands/build.js')).buildCommand(a),
  run: async (a) => (await import('../../generators/cli/commands/run.js')).runCommand(a),
  dev: async (a) => (await import('../../generators/cli/commands/dev.js')).devCommand(a),
  list: async (a) => (await import('../../generators/cli/commands/inspect.js')).listCommand(a),
  call: async (a) => (await import('../../generators/cli/commands/inspect.js')).callCommand(a),
  read: async (a) => (await import('../../generators/cli/commands/inspect.js')).readCommand(a),
  prompt: async (a) => (await import('../../generators/cli/commands/inspect.js')).promptCommand(a),
  secret: async (a) => (await import('../../generators/cli/commands/secret.js')).secretCommand(a),
  bundle: async (a) => (await import('../../generators/cli/commands/bundle.js')).bundleCommand(a),
  'client-config': async (a) => (await import('../../generators/cli/commands/client-config.js')).clientConfigCommand(a),
  test: async (a) => (await import('../../generators/cli/commands/test.js')).testCommand(a)
};

/** The options a command parses, and the text its --help prints. */
async function definitions(command: string): Promise<{ options: Options; help: string }> {
  seen.length = 0;
  helpTexts.length = 0;
  await commands[command]!(['--help']);
  const options = seen[0];
  if (!options) throw new Error(`${command} --help did not call parse`);
  return { options, help: helpTexts[0] ?? '' };
}

/** `--name` and `-x` for every option a command parses (help is documented once for all commands). */
async function definedFlags(command: string): Promise<string[]> {
  return Object.entries((await definitions(command)).options)
    .flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])])
    .sort();
}

/** The command's usage line: the first ```text block of its section. */
function synopsis(command: string): string {
  return /```text\n(mcp-gen [^\n]*)\n```/.exec(section(command))?.[1] ?? '';
}

/** The `## mcp-gen NAME` section of cli.md. */
function section(command: string): string {
  const start = doc.indexOf(`\n## mcp-gen ${command}\n`);
  if (start < 0) return '';
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? doc.length : end);
}

/** Flags named in the first column of the section's `| Flag |` tables. */
function documentedFlags(text: string): string[] {
  const flags = new Set<string>();
  let inFlagTable = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      inFlagTable = false;
      continue;
    }
    const first = line.split('|')[1]!.trim();
    if (first === 'Flag') inFlagTable = true;
    if (!inFlagTable) continue;
    for (const span of first.matchAll(/`([^`]+)`/g)) for (const f of span[1]!.matchAll(/(?<![\w-])--?[a-z][a-z-]*/g)) flags.add(f[0]);
  }
  return [...flags].sort();
}

describe('docs/cli.md', () => {
  it('has a section for every command, listed in the command table', () => {
    for (const command of Object.keys(commands)) {
      expect(section(command), `## mcp-gen ${command}`).not.toBe('');
      expect(doc).toContain(`| [\`${command}\`](#mcp-gen-${command}) |`);
    }
  });

  it.each(Object.keys(commands))('documents exactly the flags %s parses', async (command) => {
    expect(documentedFlags(section(command))).toEqual(await definedFlags(command));
  });

  it.each(Object.keys(commands))('names every flag of %s in its usage line, and in its --help', async (command) => {
    const { help } = await definitions(command);
    // dev's help refers to run's for the serving flags it shares.
    const shared = command === 'dev' && help.includes('serving flags as for mcp-gen run') ? (await definitions('run')).options : {};
    for (const [name, o] of Object.entries((await definitions(command)).options)) {
      // The usage line may give the short form (-m FILE).
      const flag = new RegExp(`(--${name}${o.short ? `|-${o.short}` : ''})\\b`);
      expect(synopsis(command), `--${name} in the usage line of ${command}`).toMatch(flag);
      if (!(name in shared)) expect(help, `--${name} in ${command} --help`).toMatch(flag);
    }
  });

  it('has flag tables that are whole tables (a header row is followed by its separator)', () => {
    const lines = doc.split('\n');
    lines.forEach((line, i) => {
      if (/^\| Flag \|/.test(line)) expect(lines[i + 1], `line ${i + 2}`).toMatch(/^\| ---/);
      if (/^\| --- /.test(line)) expect(lines[i + 1] ?? '', `table at line ${i + 1} has rows`).toMatch(/^\|/);
    });
  });

  it('lists every environment variable the code reads in the Environment table', () => {
    const environment = doc.slice(doc.indexOf('\n## Environment\n'));
    const read = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts')) {
          const text = readFileSync(path, 'utf8');
          for (const m of text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) read.add(m[1]!);
          for (const m of text.matchAll(/['"`](MCP_GEN_[A-Z0-9_]+)/g)) read.add(m[1]!);
        }
      }
    };
    walk(join(root, 'generators'));
    walk(join(root, 'runtime'));
    expect(read.size).toBeGreaterThan(0);
    for (const name of read) expect(environment, name).toContain(`| \`${name}\` |`);
  });
});
