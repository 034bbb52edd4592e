import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { bundleCommand } from '../../generators/cli/commands/bundle.js';
import { projectWith, removeProjects } from '../helpers/bundle-projects.js';

/** stderr while `run` runs, as one string. */
async function stderrOf(run: () => Promise<number>): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await run(), stderr };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());
afterAll(removeProjects);

describe('mcp-gen bundle (the command)', () => {
  it('writes the folder, replaces an earlier bundle’s generated folders and keeps node_modules', async () => {
    const project = projectWith({
      'mcp-gen.yaml': 'server: { name: cli-bundle, version: 1.0.0 }\nresources:\n  - { name: doc, uri: "doc://a", file: ./docs/a.md }\n',
      'docs/a.md': '# A\n'
    });
    const out = join(mkdtempSync(join(tmpdir(), 'mcpgen-bundle-cli-')), 'server');
    mkdirSync(join(out, 'node_modules', 'kept'), { recursive: true });
    mkdirSync(join(out, 'chunks'), { recursive: true });
    writeFileSync(join(out, 'chunks', 'stale-chunk.mjs'), '');
    const { code, stderr } = await stderrOf(() => bundleCommand(['-m', join(project, 'mcp-gen.yaml'), '-o', out]));
    expect(code).toBe(0);
    expect(stderr).toContain(`bundled into ${out}/ (no packages to install)`);
    for (const file of [
      'server.mjs',
      'package.json',
      'Dockerfile',
      '.dockerignore',
      'manifest.json',
      'server.json',
      '.mcp-gen/artifact.json'
    ])
      expect(existsSync(join(out, file)), file).toBe(true);
    expect(readFileSync(join(out, 'docs', 'a.md'), 'utf8')).toBe('# A\n');
    expect(existsSync(join(out, 'node_modules', 'kept'))).toBe(true);
    expect(existsSync(join(out, 'chunks', 'stale-chunk.mjs'))).toBe(false);
  }, 120_000);

  it('defaults to dist-server next to the manifest, and warns about a file outside the manifest’s folder', async () => {
    const project = projectWith({
      'app/mcp-gen.yaml':
        'server: { name: outside, version: 1.0.0 }\nresources:\n  - { name: doc, uri: "doc://b", file: ../shared/b.md }\n',
      'shared/b.md': '# B\n'
    });
    const { code, stderr } = await stderrOf(() => bundleCommand(['-m', join(project, 'app', 'mcp-gen.yaml'), '--quiet']));
    expect(code).toBe(0);
    expect(existsSync(join(project, 'app', 'dist-server', 'server.mjs'))).toBe(true);
    expect(stderr).toContain('../shared/b.md is outside the manifest');
    expect(stderr).not.toContain('bundled into');
  }, 120_000);

  it('exits 1 with the diagnostics when the build fails, writing nothing', async () => {
    const project = projectWith({ 'mcp-gen.yaml': 'server: { name: broken }\ntools: 3\n' });
    const out = join(project, 'out');
    const { code, stderr } = await stderrOf(() => bundleCommand(['-m', join(project, 'mcp-gen.yaml'), '-o', out]));
    expect(code).toBe(1);
    expect(stderr).toContain('mcp-gen.yaml');
    expect(existsSync(out)).toBe(false);
  });

  it('--help prints the usage', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await bundleCommand(['--help'])).toBe(0);
    expect(String(write.mock.calls[0]?.[0])).toContain('mcp-gen bundle [-m FILE] [-o DIR] [--mcpb] [--quiet]');
  });
});
