/**
 * The project's own examples are what users copy: each builds under `--strict` (warnings are errors) with no
 * diagnostic at all. sqlite-shop is built from a copy (its first build creates the database from the seed);
 * petstore's API key is a credential given where the server runs, so the build gets one.
 */
import { cpSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';
import { cleanupTemp, repo, tempDir } from '../helpers/e2e-server.js';

afterAll(() => cleanupTemp());

const examples = readdirSync(join(repo, 'examples')).filter((name) => statSync(join(repo, 'examples', name)).isDirectory());
const env = { PATH: process.env.PATH, PETSTORE_API_KEY: 'example-key' };

/** A copy of the example with the specs/ folder (and node_modules: mcp-upstream runs a server from it) beside it, so its relative paths still hold. */
function copied(name: string): string {
  const root = tempDir('mcpgen-examples-');
  cpSync(join(repo, 'specs'), join(root, 'specs'), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  mkdirSync(join(root, 'examples'));
  cpSync(join(repo, 'examples', name), join(root, 'examples', name), {
    recursive: true,
    filter: (src) => !/[/\\](\.mcp-gen|data|node_modules)$/.test(src)
  });
  return join(root, 'examples', name, 'mcp-gen.yaml');
}

describe('every example builds under --strict without a diagnostic', () => {
  it('finds the examples', () => {
    expect(examples).toEqual(expect.arrayContaining(['quickstart', 'handler', 'conformance', 'petstore', 'sqlite-shop']));
  });
  it.each(examples)(
    '%s',
    async (name) => {
      const result = await build({ manifest: copied(name), outDir: join(tempDir('mcpgen-examples-out-'), '.mcp-gen'), env, seed: true });
      expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
      // What YAML made of unquoted text (`"e.g. US": null`) must not reach the published schemas either.
      expect(result.files.get('artifact.json')).not.toMatch(/"[^"]*[^\p{L}\p{N}_$"-][^"]*": null/u);
    },
    120_000
  );
});
