/**
 * End-to-end helpers: build a manifest into a temp artifact, serve it with the real CLI from dist/
 * (stdio or Streamable HTTP on a free port) and connect the real MCP SDK client to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';

export const repo = join(import.meta.dirname, '..', '..');
export const cli = join(repo, 'dist', 'generators', 'cli', 'main.js');
export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';
export const modernMeta = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} } as const;

export type Era = 'legacy' | 'modern';
export type Transport = 'stdio' | 'http';

/** Fails fast, with a clear message, when the test command did not run `tsc` first. */
export function requireDist(): void {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npx tsc -p .\` before the e2e tests`);
}

/** A fresh temp directory, removed by `cleanupTemp`. */
const temps: string[] = [];
export function tempDir(prefix = 'mcpgen-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
export function cleanupTemp(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Copies an example project (without its built .mcp-gen/) into a temp directory and returns the copy's path. */
export function copyExample(name: string): string {
  const dest = join(tempDir(), name);
  cpSync(join(repo, 'examples', name), dest, { recursive: true, filter: (src) => !src.includes(`${join('examples', name, '.mcp-gen')}`) });
  return dest;
}

/** Builds a manifest with the library (`build` + `writeArtifact`) and returns the artifact directory. */
export async function buildArtifact(manifest: string, outDir: string = join(manifest, '..', '.mcp-gen')): Promise<string> {
  const result = await build({ manifest, outDir });
  if (result.files.size === 0) throw new Error(`build of ${manifest} failed:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
  await writeArtifact(result);
  return result.outDir;
}

/** Every process a test spawned; `killAll` ends the ones still running (by pid, never by name). */
const children = new Set<ChildProcess>();

export interface HttpProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the server wrote to stderr so far (its log), for failure messages. */
  stderr(): string;
  /** Resolves with the exit code and signal once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `mcp-gen run -o DIR --http --port 0` (in `env`): resolves once the CLI printed the URL it listens on. */
export function startHttp(dir: string, extra: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<HttpProcess> {
  requireDist();
  const child = spawn(
    process.execPath,
    [cli, 'run', '-o', dir, '--http', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', ...extra],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env
    }
  );
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    })
  );
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`HTTP server did not start within 15 s.\nstdout: ${out}\nstderr: ${err}`));
    }, 15_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^mcp-gen: serving \S+ at (http:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stderr: () => err, exited });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`HTTP server exited before listening (code ${code}, signal ${signal}).\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

/** Kills every process still running, and waits for each to exit. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const t = setTimeout(() => c.kill('SIGKILL'), 3000);
          c.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          c.kill('SIGTERM');
        })
    )
  );
}

export interface Connected {
  readonly client: Client;
  /** Server stderr (stdio) so far. */
  stderr(): string;
  close(): Promise<void>;
}

export function newClient(era: Era): Client {
  return new Client(
    { name: 'mcp-gen-e2e', version: '1.0.0' },
    { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: MODERN } } }
  );
}

/** The SDK client connected over stdio (spawning `mcp-gen run -o DIR`) or to a running HTTP server. */
export async function connect(transport: Transport, era: Era, target: { dir: string } | { url: string }): Promise<Connected> {
  const client = newClient(era);
  let err = '';
  if (transport === 'stdio') {
    requireDist();
    if (!('dir' in target)) throw new Error('stdio needs an artifact directory');
    const t = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'run', '-o', target.dir, '--log-level', 'warn'],
      stderr: 'pipe'
    });
    (t.stderr as NodeJS.ReadableStream | null)?.on('data', (d: Buffer) => (err += d.toString()));
    await client.connect(t);
  } else {
    if (!('url' in target)) throw new Error('http needs a URL');
    await client.connect(new StreamableHTTPClientTransport(new URL(target.url)));
  }
  return { client, stderr: () => err, close: () => client.close().catch(() => {}) };
}

export interface RawReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON (plain JSON, or the last `data:` of an SSE stream); undefined if neither. */
  readonly json: any;
}

/** One POST of a JSON-RPC body with fetch (no SDK); `body` objects are serialised. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawReply> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  });
  return reply(r);
}

export async function reply(r: Response): Promise<RawReply> {
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const data = [...text.matchAll(/^data: (.*)$/gm)].at(-1)?.[1];
    json = data !== undefined ? JSON.parse(data) : undefined;
  }
  return { status: r.status, headers: r.headers, text, json };
}

/** The headers a 2026-07-28 request over HTTP must carry, matching its body. */
export function modernHeaders(method: string, name?: string, version: string = MODERN): Record<string, string> {
  return { 'mcp-protocol-version': version, 'mcp-method': method, ...(name !== undefined ? { 'mcp-name': name } : {}) };
}

/** A 2026-07-28 request: `_meta` in the body and the matching headers. */
export function postModern(
  url: string,
  id: number,
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {}
): Promise<RawReply> {
  const name = method === 'resources/read' ? params.uri : method === 'tools/call' || method === 'prompts/get' ? params.name : undefined;
  return post(
    url,
    { jsonrpc: '2.0', id, method, params: { ...params, _meta: { ...modernMeta, ...(params._meta as object | undefined) } } },
    {
      ...modernHeaders(method, name as string | undefined),
      ...headers
    }
  );
}

/** A 2025-era session over raw HTTP: initialize, then notifications/initialized. */
export async function legacySession(url: string): Promise<{ id: string; init: RawReply }> {
  const init = await post(url, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'raw', version: '1' } }
  });
  const id = init.headers.get('mcp-session-id');
  if (!id) throw new Error(`initialize returned no Mcp-Session-Id (HTTP ${init.status}): ${init.text}`);
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': id, 'mcp-protocol-version': LEGACY });
  return { id, init };
}
