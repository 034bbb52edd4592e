/**
 * Schema `pattern`s and `patternProperties` keys run on request input (Ajv, with JavaScript's backtracking
 * engine): the build checks each with recheck and warns about a super-linear one at its place, in the manifest
 * or in an OpenAPI document (golden diagnostics). Safe patterns, example and default values, and the
 * operations a source leaves out give no warning.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'unsafe-patterns');
const update = process.env.UPDATE_GOLDEN === '1';

describe('MCPGEN_UNSAFE_PATTERN (golden)', () => {
  it.each(['manifest', 'openapi', 'safe'])(
    '%s',
    async (name) => {
      const dir = join(root, name);
      const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: { PATH: process.env.PATH } });
      const text = result.diagnostics
        .map((d) => `${formatDiagnostic({ ...d, at: { ...d.at, file: d.at.file.replace(/^.*\/unsafe-patterns\/[^/]+\//, '') } })}\n`)
        .join('');
      const golden = join(dir, 'expected.txt');
      if (update || !existsSync(golden)) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
      // Warnings only: the artifact is still built.
      expect(result.files.size).toBeGreaterThan(0);
    },
    60_000
  );
});
