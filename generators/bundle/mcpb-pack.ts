import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type Zippable, zipSync } from 'fflate';

/**
 * Files of an installed bundle folder that a desktop client does not need: the container's and the registry's
 * files, npm's lock and log files, and earlier .mcpb files. Everything else goes in, node_modules included (a
 * desktop client runs server.mjs as it is, with no install step).
 */
const LEFT_OUT = new Set(['Dockerfile', '.dockerignore', 'server.json', 'package-lock.json', 'npm-debug.log']);

/**
 * The .mcpb of an installed bundle folder (after `npm install --omit=dev`): a zip with manifest.json at its root,
 * what `@anthropic-ai/mcpb pack` makes, with each file's Unix mode kept (executables stay executable). Returned
 * in memory: the CLI writes it.
 */
export async function packMcpb(dir: string): Promise<Uint8Array> {
  const entries: Zippable = {};
  for (const path of await filesUnder(dir)) {
    const name = relative(dir, path).split(sep).join('/');
    if (LEFT_OUT.has(name) || name.endsWith('.mcpb')) continue;
    const { mode } = await stat(path);
    // Upper 16 bits of the external attributes: the Unix mode, as zip tools on Unix read it.
    entries[name] = [await readFile(path), { os: 3, attrs: (mode & 0xffff) << 16, level: 9 }];
  }
  if (!('manifest.json' in entries)) throw new Error(`${dir} has no manifest.json: not a bundle folder`);
  return zipSync(entries);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}
