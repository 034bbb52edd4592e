/**
 * The e2e tests of `mcp-gen bundle`: bundle with the real CLI into a folder outside the repository, install
 * its package.json with npm, and serve it with `node server.mjs` as a deployment would, with nothing of
 * mcp-gen's reachable.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { CONTAINER_COMMAND } from '../../generators/bundle/dockerfile.js';
import { cli, newClient, repo, requireDist, type Connected } from './e2e-server.js';

const run = promisify(execFile);

/** The environment without npm's own variables (set when the tests run under `npm test`): a clean npm. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
}

export interface Installed {
  /** The bundle folder, with its node_modules installed. */
  readonly dir: string;
  /** How long `npm install` took, in seconds. */
  readonly installSeconds: number;
  remove(): void;
}

/**
 * `mcp-gen bundle -m MANIFEST -o DIR` with DIR in the system's temp folder (outside the repository, so no
 * node_modules above it), then `npm install --omit=dev` there (from npm's cache when it has the packages).
 */
export async function bundleAndInstall(manifest: string): Promise<Installed> {
  requireDist();
  const parent = mkdtempSync(join(tmpdir(), 'mcpgen-bundle-'));
  if (!relative(repo, parent).startsWith('..')) throw new Error(`${parent} is inside the repository`);
  const dir = join(parent, 'server');
  await run(process.execPath, [cli, 'bundle', '-m', manifest, '-o', dir, '--quiet'], { env: cleanEnv() });
  const started = Date.now();
  await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: dir,
    env: cleanEnv(),
    maxBuffer: 1 << 24
  });
  return { dir, installSeconds: (Date.now() - started) / 1000, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/**
 * `mcp-gen bundle --mcpb -m MANIFEST -o DIR` with DIR in the system's temp folder: the CLI installs the folder and
 * packs it. Resolves with the folder's parent (where the .mcpb is written) and a `remove()`.
 */
export async function bundleMcpb(manifest: string): Promise<{ parent: string; remove(): void }> {
  requireDist();
  const parent = mkdtempSync(join(tmpdir(), 'mcpgen-mcpb-'));
  await run(process.execPath, [cli, 'bundle', '--mcpb', '-m', manifest, '-o', join(parent, 'server'), '--quiet'], {
    env: { ...cleanEnv(), npm_config_prefer_offline: 'true' },
    maxBuffer: 1 << 24
  });
  return { parent, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/** Whether Node, started in `dir`, can resolve `name` (it must not find mcp-gen or its build toolchain). */
export async function resolves(dir: string, name: string): Promise<boolean> {
  const script = `import('node:module').then((m) => { m.createRequire(process.cwd() + '/x.js').resolve(${JSON.stringify(name)}); })`;
  return run(process.execPath, ['-e', script], { cwd: dir, env: cleanEnv() }).then(
    () => true,
    () => false
  );
}

/** The SDK client over stdio, to `node server.mjs` started from another folder (as desktop clients do). */
export async function connectStdio(dir: string, env: Record<string, string> = {}): Promise<Connected> {
  const client = newClient('modern');
  let err = '';
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(dir, 'server.mjs'), '--log-level', 'warn'],
    cwd: tmpdir(),
    env: { ...(cleanEnv() as Record<string, string>), ...env },
    stderr: 'pipe'
  });
  (transport.stderr as NodeJS.ReadableStream | null)?.on('data', (d: Buffer) => (err += d.toString()));
  await client.connect(transport);
  return { client, stderr: () => err, close: () => client.close().catch(() => {}) };
}

export interface Served {
  /** The MCP endpoint, on 127.0.0.1. */
  readonly url: string;
  /** The server's origin (probes: /healthz). */
  readonly origin: string;
  stop(): Promise<number | null>;
}

/**
 * The container's command (CONTAINER_COMMAND, what the Dockerfile's CMD runs), in `dir`, with the port made 0
 * so tests never collide: resolves with the URL the server printed, reached through 127.0.0.1.
 */
export function serveContainerCommand(dir: string): Promise<Served> {
  const [command, ...args] = CONTAINER_COMMAND.map((a, i) => (CONTAINER_COMMAND[i - 1] === '--port' ? '0' : a));
  const child = spawn(command === 'node' ? process.execPath : command!, args, {
    cwd: dir,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe']
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^mcp-gen: serving \S+ at http:\/\/[^:/]+:(\d+)(\/\S*)$/m.exec(out);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}${m[2]}`, origin: `http://127.0.0.1:${m[1]}`, stop });
    });
    void exited.then((code) => reject(new Error(`server.mjs exited (code ${code}) before listening.\nstdout: ${out}\nstderr: ${err}`)));
  });
}
