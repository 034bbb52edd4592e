import { readFile, readdir, realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileContents } from '../../mime.js';
import type { ResourceContents, RuntimeKind } from '../kind.js';

/** Files read at request time; `directory:` templates never leave their root (no `..`, no symlink escape). */
export const fileKind: RuntimeKind<'file'> = {
  changing: true,
  resource(exec, services, entry) {
    const path = resolve(services.root, exec.path);
    return Object.assign(async (uri: string) => read(uri, path, entry.mimeType), { watch: async () => path });
  },
  resourceTemplate(exec, services, entry) {
    const root = resolve(services.root, exec.root);
    const reader = async (uri: string, variables: Readonly<Record<string, string>>) => {
      const [value] = Object.values(variables);
      const path = await inside(root, value ?? '');
      return path === undefined ? undefined : read(uri, path, entry.mimeType);
    };
    return Object.assign(reader, {
      watch: async (variables: Readonly<Record<string, string>>) => inside(root, Object.values(variables)[0] ?? ''),
      complete: async (_variable: string, prefix: string) => (await listFiles(root)).filter((f) => f.startsWith(prefix)).slice(0, 100)
    });
  }
};

async function read(uri: string, path: string, declared: string | undefined): Promise<ResourceContents[] | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return undefined;
  }
  return [{ uri, ...fileContents(path, bytes, declared) }];
}

/** The real path of `name` under `root`, or undefined if it would escape the root or does not exist. */
export async function inside(root: string, name: string): Promise<string | undefined> {
  if (name === '' || name.includes('\0') || name.split(/[\\/]/).some((part) => part === '..')) return undefined;
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(root, name));
    return real.startsWith(realRoot + sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}
