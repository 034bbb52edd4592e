import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Compares generated `content` with the golden file at `path`: undefined when they match, else why not.
 * With `update` (UPDATE_GOLDEN=1) the golden file is (re)written from `content` first. A missing golden file
 * is a failure otherwise: writing it would make the test pass on output nobody reviewed.
 */
export function goldenMismatch(path: string, content: string, label: string, update: boolean): string | undefined {
  if (update) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  if (!existsSync(path)) return `${label} has no golden file (${path}); review the output, then rerun with UPDATE_GOLDEN=1 to write it`;
  return content === readFileSync(path, 'utf8')
    ? undefined
    : `${label} differs from its golden file; rerun with UPDATE_GOLDEN=1 after reviewing`;
}
