import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;
/** Set by the entry of a server bundle (`mcp-gen bundle`): there is no package.json of mcp-gen to read. */
let bundled: { readonly dir: string; readonly version: string } | undefined;

/**
 * Called once by a bundle's server.mjs before anything else: its version is baked in, and its worker entries
 * sit in `workers/` next to it (every module of a bundle shares server.mjs's import.meta.url, or a chunk's).
 */
export function useBundle(dir: string, version: string): void {
  bundled = { dir, version };
}

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
  if (bundled) return bundled.version;
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Where a compiled worker entry script is: in a bundle, `workers/FILE` next to server.mjs; otherwise next to
 * the module that starts it (`here`, in dist/), or dist/'s copy when running from the sources. Undefined when
 * none exists (mcp-gen not built).
 */
export function workerEntry(here: string, distDir: readonly string[], file: string): string | undefined {
  const candidates = bundled ? [join(bundled.dir, 'workers', file)] : [join(here, file), join(packageRoot(), 'dist', ...distDir, file)];
  return candidates.find((candidate) => existsSync(candidate));
}
