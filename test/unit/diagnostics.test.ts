import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'invalid');
const update = process.env.UPDATE_GOLDEN === '1';

/** Golden diagnostics: each fixture's full output, every error of the file in one run. */
describe('diagnostics for invalid manifests (golden)', () => {
  for (const name of readdirSync(root).sort()) {
    it(name, async () => {
      const dir = join(root, name);
      const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: { PATH: process.env.PATH } });
      const text =
        result.diagnostics
          .map((d) => formatDiagnostic({ ...d, at: { ...d.at, file: d.at.file.replace(/^.*\/invalid\//, '') } }))
          .join('\n') + '\n';
      const golden = join(dir, 'expected.txt');
      if (update || !existsSync(golden)) writeFileSync(golden, text);
      expect(result.files.size).toBe(0);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
