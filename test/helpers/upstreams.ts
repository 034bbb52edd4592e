/**
 * Real third-party MCP servers from the npm registry, used as upstreams of an `mcp:` source: their entry
 * scripts, from the repository's node_modules (devDependencies) or MCPGEN_TEST_UPSTREAMS (a folder holding a
 * node_modules with them, for a checkout whose install lacks them).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repo } from './e2e-server.js';

export function upstreamScript(pkg: '@modelcontextprotocol/server-everything' | '@modelcontextprotocol/server-filesystem'): string {
  const roots = [repo, ...(process.env.MCPGEN_TEST_UPSTREAMS ? [process.env.MCPGEN_TEST_UPSTREAMS] : [])];
  for (const root of roots) {
    const script = join(root, 'node_modules', pkg, 'dist', 'index.js');
    if (existsSync(script)) return script;
  }
  throw new Error(`${pkg} is not installed: run npm install (it is a devDependency), or set MCPGEN_TEST_UPSTREAMS`);
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The process ids of `pid`'s children (the upstream servers an mcp-gen started). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
