import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCommand, validateCommand } from '../../generators/cli/commands/build.js';
import { initCommand } from '../../generators/cli/commands/init.js';
import { callCommand, listCommand, promptCommand, readCommand } from '../../generators/cli/commands/inspect.js';
import { connectionHelp, runCommand } from '../../generators/cli/commands/run.js';
import { devCommand } from '../../generators/cli/commands/dev.js';
import { UsageError, jsonArg } from '../../generators/cli/args.js';

const repo = join(import.meta.dirname, '..', '..');
let project: string;
let out: string[];
let err: string[];

function capture() {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'mcpgen-cli-'));
  cpSync(join(repo, 'examples', 'quickstart'), project, { recursive: true, filter: (s) => !s.includes('.mcp-gen') });
});
afterEach(() => vi.restoreAllMocks());

describe('mcp-gen CLI (in-process)', () => {
  it('every command has --help', async () => {
    for (const cmd of [
      buildCommand,
      validateCommand,
      initCommand,
      listCommand,
      callCommand,
      readCommand,
      promptCommand,
      runCommand,
      devCommand
    ]) {
      capture();
      expect(await cmd(['--help'])).toBe(0);
      expect(out.join('')).toMatch(/^mcp-gen \w+/);
    }
  });

  it('validate, build, build --check', async () => {
    const m = join(project, 'mcp-gen.yaml');
    const dir = join(project, '.mcp-gen');
    capture();
    expect(await validateCommand(['-m', m])).toBe(0);
    expect(err.join('')).toContain('ok: 2 tool(s), 1 resource(s), 1 template(s), 1 prompt(s)');
    capture();
    expect(await buildCommand(['-m', m, '--check'])).toBe(1);
    expect(err.join('')).toContain('artifact is stale');
    expect(await buildCommand(['-m', m])).toBe(0);
    expect(readFileSync(join(dir, 'types.d.ts'), 'utf8')).toContain('"greet"');
    capture();
    expect(await buildCommand(['-m', m, '--check'])).toBe(0);
    writeFileSync(join(dir, 'lists.json'), '{}');
    expect(await buildCommand(['-m', m, '--check'])).toBe(1);
    expect(await buildCommand(['-m', m, '-o', dir])).toBe(0);
  });

  it('validate reports every error and exits 1', async () => {
    const bad = join(project, 'bad.yaml');
    writeFileSync(bad, 'server: { name: x }\ntools:\n  - { name: t, template: hi }\n');
    capture();
    expect(await validateCommand(['-m', bad])).toBe(1);
    const text = err.join('');
    expect(text).toContain('bad.yaml:1:9 MCPGEN_MISSING_KEY missing required key "version"');
    expect(text).toContain('MCPGEN_MISSING_KEY missing required key "description"');
    expect(text).toContain('2 error(s), 0 warning(s)');
    expect(text).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('list, call, read, prompt', async () => {
    const dir = join(project, '.mcp-gen');
    await buildCommand(['-m', join(project, 'mcp-gen.yaml')]);
    capture();
    expect(await listCommand(['-o', dir, '--json'])).toBe(0);
    const listed = JSON.parse(out.join('')) as { entries: { type: string; name: string; bytes: number; tokens: number }[] };
    expect(listed.entries.map((e) => `${e.type}:${e.name}`)).toEqual([
      'tool:greet',
      'tool:server_logo',
      'resource:docs://readme',
      'template:docs://pages/{page}',
      'prompt:review'
    ]);
    capture();
    expect(await listCommand(['-o', dir])).toBe(0);
    expect(out.join('')).toMatch(/total\s+\d+\s+\d+/);
    capture();
    expect(await listCommand(['-o', dir, '--tokens'])).toBe(0);
    const sizes = out
      .join('')
      .split('\n')
      .slice(1, -2)
      .map((l) => Number(l.trim().split(/\s+/).at(-2)));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    capture();
    expect(await callCommand(['greet', '--args', '{"name":"Ada"}', '-o', dir])).toBe(0);
    expect(JSON.parse(out.join('')).content[0].text).toBe('Hello, Ada.');
    capture();
    expect(await callCommand(['greet', '-o', dir])).toBe(1);
    capture();
    expect(await callCommand(['nope', '-o', dir])).toBe(1);
    expect(err.join('')).toContain('Unknown tool');
    capture();
    expect(await callCommand(['gret', '-o', dir])).toBe(1);
    expect(err.join('')).toContain('Unknown tool: "gret". Did you mean "greet"?');
    capture();
    expect(await readCommand(['docs://readm', '-o', dir])).toBe(1);
    expect(err.join('')).toContain('Did you mean "docs://readme"?');
    capture();
    expect(await promptCommand(['reveiw', '-o', dir])).toBe(1);
    expect(err.join('')).toContain('Did you mean "review"?');
    capture();
    expect(await readCommand(['docs://pages/intro.md', '-o', dir])).toBe(0);
    expect(out.join('')).toContain('Introduction');
    capture();
    expect(await promptCommand(['review', '--args', '{"code":"a"}', '-o', dir])).toBe(0);
    await expect(callCommand(['-o', dir])).rejects.toThrow(/needs a tool name/);
    await expect(readCommand([])).rejects.toThrow(/needs a resource URI/);
    await expect(promptCommand([])).rejects.toThrow(/needs a prompt name/);
    await expect(callCommand(['greet', '--args', '[1]', '-o', dir])).rejects.toBeInstanceOf(UsageError);
    await expect(callCommand(['greet', '--bogus'])).rejects.toBeInstanceOf(UsageError);
  });

  it('init writes a starter that builds, and refuses to overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-init-'));
    capture();
    expect(await initCommand(['--dir', dir])).toBe(0);
    const text = readFileSync(join(dir, 'mcp-gen.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*manifest\.schema\.json/);
    expect(await initCommand(['--dir', dir])).toBe(1);
    expect(err.join('')).toContain('already exists');
    expect(await validateCommand(['-m', join(dir, 'mcp-gen.yaml')])).toBe(0);
  });

  it('run refuses bad flags and a missing artifact clearly', async () => {
    await expect(runCommand(['-o', join(project, 'nowhere')])).rejects.toThrow(/no artifact .* run `mcp-gen build` first/);
    await expect(runCommand(['-o', join(project, '.mcp-gen'), '--log-level', 'loud'])).rejects.toBeInstanceOf(UsageError);
    await expect(runCommand(['-o', join(project, '.mcp-gen'), '--http', '--port', 'x'])).rejects.toThrow(/invalid port/);
  });

  it('prints ready-to-paste client configuration', () => {
    const text = connectionHelp('demo', 'http://127.0.0.1:3000/mcp', '/p/.mcp-gen', '/opt/mcp-gen/main.js');
    expect(text).toContain('"url": "http://127.0.0.1:3000/mcp"');
    expect(JSON.parse(text.slice(text.indexOf('{', text.indexOf('(stdio)')), text.lastIndexOf('}') + 1)).mcpServers.demo).toEqual({
      command: process.execPath,
      args: ['/opt/mcp-gen/main.js', 'run', '-o', '/p/.mcp-gen']
    });
    expect(jsonArg(undefined, '--args')).toEqual({});
  });
});

describe('--strict', () => {
  it('turns warnings (a skipped OpenAPI operation) into errors', async () => {
    const m = join(repo, 'test', 'fixtures', 'openapi-kind', 'mcp-gen.yaml');
    capture();
    expect(await validateCommand(['-m', m])).toBe(0);
    expect(err.join('')).toMatch(/postXml[\s\S]*0 error\(s\), 2 warning\(s\)/);
    capture();
    expect(await validateCommand(['-m', m, '--strict'])).toBe(1);
    expect(err.join('')).toMatch(/postXml[\s\S]*2 error\(s\), 0 warning\(s\)/);
    capture();
    expect(await buildCommand(['-m', m, '-o', mkdtempSync(join(tmpdir(), 'mcpgen-strict-')), '--strict'])).toBe(1);
  });
});
