import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';

/**
 * The inputs.json of an artifact: each file the build compiled in, relative to the manifest directory, with its
 * SHA-256. Installed packages (node_modules) are left out: they change with an install, not with the project, and
 * so are the paths the runtime reads on every request (`readAtRequest`, relative): editing them needs no rebuild.
 */
export function emitInputs(inputs: Iterable<string>, manifestDir: string, skip: ReadonlySet<string>): string {
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
