/**
 * The hostile fixture (test/fixtures/hostile: API keys, scopes, rate limits, audit, a sandboxed handler, SQLite,
 * a directory, prompts) built once per suite, served as a real CLI process or in process, and raw HTTP to it.
 */
import { cpSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { createLogger } from '../../runtime/log.js';
import { createHttpServer, type HttpOptions, type HttpServer } from '../../runtime/transports/http.js';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';
import { startHttp, tempDir, type HttpProcess } from '../helpers/e2e-server.js';
import { createCore } from '../../runtime/serve.js';

export const KEYS = { READER_KEY: 'reader-key-5b1c', ADMIN_KEY: 'admin-key-9e2d' };

/** Copies the fixture into a temp directory and builds it; resolves with the artifact directory. */
export async function buildHostile(): Promise<string> {
  const project = join(tempDir('mcpgen-hostile-'), 'hostile');
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'hostile'), project, { recursive: true });
  const result = await build({
    manifest: join(project, 'mcp-gen.yaml'),
    outDir: join(project, '.mcp-gen'),
    seed: true,
    env: { ...process.env, ...KEYS }
  });
  if (result.files.size === 0) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  await writeArtifact(result);
  return result.outDir;
}

/** `mcp-gen run --http` on the artifact, with the keys in its environment. */
export function startHostileProcess(dir: string, extra: string[] = []): Promise<HttpProcess> {
  return startHttp(dir, extra, { ...process.env, ...KEYS });
}

/** The same server in this process (for measuring its event loop). */
export async function startHostileInProcess(
  dir: string,
  transport: Partial<HttpOptions> = {}
): Promise<{ url: string; http: HttpServer; close(): Promise<void> }> {
  const loaded = await loadArtifact(dir);
  const core = await createCore(loaded, { env: { ...process.env, ...KEYS }, log: createLogger('error', () => {}) });
  const http = createHttpServer(core, { ...loaded.artifact.transport, host: '127.0.0.1', port: 0, ...transport });
  const url = await http.listen();
  return { url, http, close: async () => (await http.close(100), core.close()) };
}

export interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

/**
 * Sends `text` as it is (no client-side checks of header names or values) on a fresh connection and reads the
 * answer until the server closes it; status 0 when the connection ended without an answer.
 */
export function rawHttp(port: number, text: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(
      () => (socket.destroy(), reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(String(text).slice(0, 200))}`))),
      timeoutMs
    );
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks).toString('latin1');
      const end = all.indexOf('\r\n\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(all);
      resolve({ status: m ? Number(m[1]) : 0, head: end === -1 ? all : all.slice(0, end), body: end === -1 ? '' : all.slice(end + 4) });
    });
    // No half-close: Node's server drops a connection whose client ended its side before an async answer.
    socket.write(text);
  });
}

/** A raw HTTP/1.1 request with `Connection: close`; `headers` are written exactly as given. */
export function rawRequest(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  if (body !== '' || method === 'POST') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${method} ${path} HTTP/1.1\r\n${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n${body}`;
}
