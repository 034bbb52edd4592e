/**
 * The real CLI, started from a directory other than the manifest's: `run -m` finds the artifact built next to the
 * manifest, `init --dir` prints a `next:` line that works from where the user stands, `run` warns (one line) when
 * an input is newer than the build and `run --build` builds first, and an artifact the runtime cannot read asks for
 * a rebuild instead of failing with a stack.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, cli, repo, requireDist, tempDir } from '../helpers/e2e-server.js';

let cwd: string;
const manifest = join('sub', 'mcp-gen.yaml');

/** Runs the CLI in `cwd`; stdin is empty, so `run` over stdio serves and then shuts down cleanly. */
function mcpGen(...args: string[]): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, input: '', encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

/** A time after the build, so the file counts as changed since. */
function later(file: string): void {
  const t = new Date(Date.now() + 60_000);
  utimesSync(join(cwd, file), t, t);
}

beforeAll(() => {
  requireDist();
  cwd = tempDir('mcpgen-paths-');
  cpSync(join(repo, 'examples', 'quickstart'), join(cwd, 'sub'), { recursive: true, filter: (s) => !s.includes('.mcp-gen') });
});
afterAll(() => cleanupTemp());

describe('run -m', () => {
  it('serves the artifact built next to that manifest', () => {
    expect(mcpGen('build', '-m', manifest).status).toBe(0);
    const r = mcpGen('run', '-m', manifest);
    expect(r.stderr).toContain('serving quickstart over stdio');
    expect(r.status).toBe(0);
  });

  it('-o wins over -m', () => {
    const r = mcpGen('run', '-m', manifest, '-o', 'nowhere');
    expect(r.stderr).toMatch(/no artifact in nowhere/);
    expect(r.status).toBe(1);
  });
});

describe('run warns about a stale build', () => {
  it.each([
    { changed: join('sub', 'mcp-gen.yaml'), edit: (t: string) => t.replace('Greet someone by name.', 'Greet someone.') },
    { changed: join('sub', 'logo.png'), edit: (t: string) => t + ' ' }
  ])('names $changed when it changed after the build', ({ changed, edit }) => {
    expect(mcpGen('build', '-m', manifest).status).toBe(0);
    const path = join(cwd, changed);
    const before = readFileSync(path, 'latin1');
    writeFileSync(path, edit(before), 'latin1');
    later(changed);
    try {
      const r = mcpGen('run', '-m', manifest);
      const warnings = r.stderr.split('\n').filter((l) => l.includes('stale'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(changed);
      expect(warnings[0]).toContain('mcp-gen build');
      expect(r.status).toBe(0);
    } finally {
      writeFileSync(path, before, 'latin1');
    }
  });

  it('says nothing when an input was only touched, or a file read at request time changed', () => {
    expect(mcpGen('build', '-m', manifest).status).toBe(0);
    later(manifest);
    writeFileSync(join(cwd, 'sub', 'README.md'), 'edited after the build\n');
    later(join('sub', 'README.md'));
    const r = mcpGen('run', '-m', manifest);
    expect(r.stderr).not.toContain('stale');
    expect(r.status).toBe(0);
  });

  it('run --build builds first, then serves the new build', () => {
    expect(mcpGen('build', '-m', manifest).status).toBe(0);
    const path = join(cwd, manifest);
    const before = readFileSync(path, 'utf8');
    writeFileSync(path, before.replace('name: quickstart', 'name: rebuilt'));
    later(manifest);
    try {
      const r = mcpGen('run', '-m', manifest, '--build');
      expect(r.stderr).toContain('serving rebuilt over stdio');
      expect(r.stderr).not.toContain('stale');
      expect(r.status).toBe(0);
    } finally {
      writeFileSync(path, before);
    }
  });
});

describe('init --dir', () => {
  it('prints a next: line that works from the working directory', () => {
    const r = mcpGen('init', '--dir', join('fresh', 'app'));
    expect(r.status).toBe(0);
    const next = /^next: (.*)$/m.exec(r.stderr)?.[1];
    expect(next).toBe(
      `npx mcp-gen build -m ${join('fresh', 'app', 'mcp-gen.yaml')} && npx mcp-gen run -m ${join('fresh', 'app', 'mcp-gen.yaml')} --http`
    );
    expect(mcpGen('build', '-m', join('fresh', 'app', 'mcp-gen.yaml')).status).toBe(0);
    expect(mcpGen('run', '-m', join('fresh', 'app', 'mcp-gen.yaml')).status).toBe(0);
  });

  it('keeps the short next: line in the current directory', () => {
    mkdirSync(join(cwd, 'here'));
    const r = spawnSync(process.execPath, [cli, 'init'], { cwd: join(cwd, 'here'), encoding: 'utf8' });
    expect(r.stderr).toContain('next: npx mcp-gen build && npx mcp-gen run --http\n');
  });
});

describe('an artifact this runtime cannot read', () => {
  const broken: { name: string; damage: (dir: string) => void }[] = [
    { name: 'artifact.json is not JSON', damage: (d) => writeFileSync(join(d, 'artifact.json'), '{not json') },
    { name: 'artifact.json is null', damage: (d) => writeFileSync(join(d, 'artifact.json'), 'null') },
    { name: 'lists.json is missing', damage: (d) => rmSync(join(d, 'lists.json')) },
    { name: 'templates.mjs is missing', damage: (d) => rmSync(join(d, 'templates.mjs')) },
    {
      name: 'an older build without transport',
      damage: (d) => editArtifact(d, (a) => (delete a.transport, (a.generator = { name: 'mcp-gen', version: '0.0.1' })))
    },
    {
      name: 'an older build without server',
      damage: (d) => editArtifact(d, (a) => (delete a.server, (a.generator = { name: 'mcp-gen', version: '0.0.1' })))
    },
    { name: 'an older format', damage: (d) => editArtifact(d, (a) => (a.format = 0)) }
  ];
  it.each(broken)('$name: asks for a rebuild, without a stack', ({ damage }) => {
    const dir = join(cwd, 'broken');
    rmSync(dir, { recursive: true, force: true });
    expect(mcpGen('build', '-m', manifest, '-o', 'broken').status).toBe(0);
    damage(dir);
    const r = mcpGen('run', '-o', 'broken');
    expect(r.stderr).toMatch(/rebuild it with `mcp-gen build`/);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(1);
  });
});

function editArtifact(dir: string, edit: (a: Record<string, unknown>) => void): void {
  const file = join(dir, 'artifact.json');
  const a = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(a);
  writeFileSync(file, JSON.stringify(a));
}
