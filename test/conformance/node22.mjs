// A Node >= 22 binary for the tools that need one (the conformance suite, the Inspector CLI): this Node when it is
// 22 or newer, else the npm package node-<platform>-<arch>@22, unpacked once into the cache folder.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function node22(cache) {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const dir = join(cache, 'node22');
  const bin = join(dir, 'package', 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    const tgz = execFileSync('npm', ['pack', `node-${process.platform}-${process.arch}@22`, '--silent', '--pack-destination', dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8'
    })
      .trim()
      .split('\n')
      .at(-1);
    execFileSync('tar', ['xzf', join(dir, tgz), '-C', dir]);
  }
  return bin;
}
