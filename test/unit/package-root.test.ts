import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot, packageVersion, useBundle, workerEntry } from '../../runtime/package-root.js';

// One file, one process (vitest forks): useBundle's process-wide setting does not reach other tests.
describe('package-root: mcp-gen installed, then in a bundle', () => {
  it('installed: the version of package.json, and worker entries next to the module or in dist/', () => {
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
    const here = join(packageRoot(), 'runtime', 'security', 'sandbox');
    const found = workerEntry(here, ['runtime', 'security', 'sandbox'], 'entry.js');
    // From the sources, only dist/ has the compiled entry (undefined when mcp-gen was never built).
    if (found !== undefined) expect(found).toBe(join(packageRoot(), 'dist', 'runtime', 'security', 'sandbox', 'entry.js'));
    expect(workerEntry(here, ['runtime', 'security', 'sandbox'], 'no-such-entry.js')).toBeUndefined();
  });

  it('in a bundle: the baked-in version, and worker entries only from workers/ next to server.mjs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-bundle-root-'));
    mkdirSync(join(dir, 'workers'));
    writeFileSync(join(dir, 'workers', 'entry.js'), '');
    useBundle(dir, '9.8.7');
    expect(packageVersion()).toBe('9.8.7');
    expect(workerEntry('/elsewhere', ['runtime', 'security', 'sandbox'], 'entry.js')).toBe(join(dir, 'workers', 'entry.js'));
    expect(workerEntry('/elsewhere', ['runtime', 'kinds', 'sql', 'dialects'], 'sqlite-thread.js')).toBeUndefined();
  });
});
