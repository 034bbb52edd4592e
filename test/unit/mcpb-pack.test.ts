import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { packMcpb } from '../../generators/bundle/mcpb-pack.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-pack-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('packMcpb', () => {
  it('zips the installed folder with manifest.json at the root, leaving out the container, registry and lock files', async () => {
    const dir = folder({
      'manifest.json': '{"name":"x"}',
      'server.mjs': 'export {}',
      'node_modules/mime/index.js': 'module.exports = 1',
      'node_modules/.bin/tool': '#!/bin/sh',
      Dockerfile: 'FROM node',
      '.dockerignore': 'node_modules',
      'server.json': '{}',
      'package-lock.json': '{}',
      'old.mcpb': 'zip'
    });
    chmodSync(join(dir, 'node_modules/.bin/tool'), 0o755);
    const files = unzipSync(await packMcpb(dir));
    expect(Object.keys(files).sort()).toEqual(['manifest.json', 'node_modules/.bin/tool', 'node_modules/mime/index.js', 'server.mjs']);
    expect(strFromU8(files['manifest.json']!)).toBe('{"name":"x"}');
  });

  it('refuses a folder that is not a bundle (no manifest.json)', async () => {
    await expect(packMcpb(folder({ 'server.mjs': '' }))).rejects.toThrow(/has no manifest.json: not a bundle folder/);
  });
});
