import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildArtifact, cleanupTemp, cli, copyExample, killAll, requireDist, startHttp } from '../helpers/e2e-server.js';

/**
 * `mcp-gen test` (issue 17, point 4) on the quickstart example, whose snapshot (examples/quickstart/
 * mcp-gen.snapshot.yaml) is committed: it is a golden file, so this fails when it is missing or stale. Then the
 * failures CI must see: a changed description (a diff, exit 1), an example whose result differs (exit 1), and
 * the same checks against a running server (--url).
 */
afterAll(async () => {
  await killAll();
  cleanupTemp();
});

function mcpGen(cwd: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('mcp-gen test', () => {
  requireDist();

  it('passes on the quickstart example: its committed snapshot and both example calls', () => {
    const dir = copyExample('quickstart');
    const r = mcpGen(dir, 'test', '--build');
    expect(r.out).toContain('snapshot mcp-gen.snapshot.yaml: ok');
    expect(r.out).toContain('examples: 2 passed, 0 failed');
    expect(r.status).toBe(0);
  });

  it('a changed description fails with a diff of that entry; --update accepts it', () => {
    const dir = copyExample('quickstart');
    const manifest = join(dir, 'mcp-gen.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('The project logo.', 'The logo of the project.'));
    const r = mcpGen(dir, 'test', '--build');
    expect(r.status).toBe(1);
    expect(r.out).toContain('snapshot mcp-gen.snapshot.yaml: 1 change(s)\n  changed tool server_logo\n');
    expect(r.out).toMatch(/^ {4}- description: The project logo\.$/m);
    expect(r.out).toMatch(/^ {4}\+ description: The logo of the project\.$/m);
    // Only that entry: the unchanged greet tool is not in the output.
    expect(r.out).not.toContain('tool greet');
    expect(mcpGen(dir, 'test', '--update').status).toBe(0);
    expect(mcpGen(dir, 'test').status).toBe(0);
  });

  it('an example whose result differs fails, naming where it is declared', () => {
    const dir = copyExample('quickstart');
    const manifest = join(dir, 'mcp-gen.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('result: Hello, Ada.', 'result: Hello, Bob.'));
    const r = mcpGen(dir, 'test', '--build');
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/^FAIL greet example 0 \(mcp-gen\.yaml:\d+:\d+\): expected text "Hello, Bob\.", got "Hello, Ada\."$/m);
    expect(r.out).toContain('examples: 1 passed, 1 failed');
  });

  it('a missing snapshot fails and says how to write one', () => {
    const dir = copyExample('quickstart');
    const r = mcpGen(dir, 'test', '--build', '--snapshot', 'other.yaml');
    expect(r.status).toBe(1);
    expect(r.out).toContain('no snapshot at other.yaml: run `mcp-gen test --update` to write one');
  });

  it('--url checks a running server against the same snapshot', async () => {
    const dir = copyExample('quickstart');
    const server = await startHttp(await buildArtifact(join(dir, 'mcp-gen.yaml')));
    const r = spawnSync(process.execPath, [cli, 'test', '--url', server.url], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout).toContain('snapshot mcp-gen.snapshot.yaml: ok');
    expect(r.stdout).toContain('examples: 2 passed, 0 failed');
    expect(r.status).toBe(0);
  });
});
