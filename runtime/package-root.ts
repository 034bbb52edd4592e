import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The mcp-gen package directory, whether running from source (vitest) or from dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !isMcpGen(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('mcp-gen: cannot find its own package.json');
    dir = parent;
  }
  root = dir;
  return dir;
}

function isMcpGen(file: string): boolean {
  return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'mcp-gen';
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
