import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { goldenMismatch } from '../helpers/golden.js';

const repo = join(import.meta.dirname, '..', '..');
const update = process.env.UPDATE_GOLDEN === '1';

/** Generated output is reviewed as golden files; handler bundles are checked for presence (they embed source maps). */
describe('artifact of each example (golden)', () => {
  for (const example of ['quickstart', 'handler', 'conformance']) {
    it(example, async () => {
      const result = await build({ manifest: join(repo, 'examples', example, 'mcp-gen.yaml') });
      expect(result.diagnostics).toEqual([]);
      for (const [name, content] of result.files) {
        // inputs.json holds hashes of the example's files: it follows every edit of them.
        if (name === 'inputs.json') continue;
        if (name.startsWith('handlers/')) {
          expect(content).toContain('export');
          continue;
        }
        expect(goldenMismatch(join(repo, 'test', 'golden', example, name), content, `${example}/${name}`, update)).toBeUndefined();
      }
    });
  }
});
