import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { Artifact } from '../../runtime/artifact/ir.js';

/** Paths (relative to the manifest directory) the runtime reads on every request: editing them needs no rebuild. */
function readAtRequest(artifact: Artifact): Set<string> {
  const paths = new Set<string>();
  for (const r of artifact.resources) if (r.exec.kind === 'file') paths.add(r.exec.path);
  for (const t of artifact.resourceTemplates) if (t.exec.kind === 'file') paths.add(t.exec.root);
  return paths;
}

/**
 * The inputs.json of an artifact: each file the build compiled in, relative to the manifest directory, with its
 * SHA-256. Installed packages (node_modules) are left out: they change with an install, not with the project.
 */
export function emitInputs(inputs: Iterable<string>, manifestDir: string, artifact: Artifact): string {
  const skip = readAtRequest(artifact);
  const files: Record<string, string> = {};
  for (const input of [...inputs].sort()) {
    const path = relative(manifestDir, input).split(sep).join('/');
    if (skip.has(path) || input.split(sep).includes('node_modules')) continue;
    try {
      if (!statSync(input).isFile()) continue;
      files[path] = createHash('sha256').update(readFileSync(input)).digest('hex');
    } catch {
      // Gone since it was read: the next build reports it.
    }
  }
  return JSON.stringify({ files }, null, 2) + '\n';
}
