import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ARTIFACT_FILE, INPUTS_FILE } from '../../runtime/artifact/ir.js';

/**
 * The newest input of the build in `dir` that changed since (by content: a file only touched, or checked out
 * again unchanged, does not count), as a path relative to the working directory; undefined when the build is
 * current or records no inputs (an artifact of an older mcp-gen).
 */
export function staleInput(dir: string, manifestDir: string): string | undefined {
  let recorded: Record<string, string>;
  let built: number;
  try {
    recorded = (JSON.parse(readFileSync(join(dir, INPUTS_FILE), 'utf8')) as { files: Record<string, string> }).files;
    built = statSync(join(dir, ARTIFACT_FILE)).mtimeMs;
  } catch {
    return undefined;
  }
  let newest: { path: string; mtime: number } | undefined;
  for (const [path, hash] of Object.entries(recorded ?? {})) {
    const absolute = resolve(manifestDir, path);
    let mtime: number;
    try {
      mtime = statSync(absolute).mtimeMs;
    } catch {
      mtime = Infinity; // removed since the build
    }
    if (mtime <= built || (newest && mtime <= newest.mtime)) continue;
    if (mtime !== Infinity && sha256(absolute) === hash) continue;
    newest = { path: absolute, mtime };
  }
  return newest && relative(process.cwd(), newest.path);
}

function sha256(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}
