import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';

/** Builds a manifest into a fresh temp directory and returns that directory. */
export async function buildToTemp(manifest: string): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'mcpgen-art-'));
  const result = await build({ manifest, outDir });
  if (result.files.size === 0) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  await writeArtifact(result);
  return outDir;
}
