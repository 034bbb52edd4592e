import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { testCommand } from '../../generators/cli/commands/test.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { createLogger } from '../../runtime/log.js';
import { createCore } from '../../runtime/serve.js';
import { createHttpServer, type HttpServer } from '../../runtime/transports/http.js';
import { buildToTemp } from '../helpers/artifact.js';

/**
 * `mcp-gen test` in this process (the e2e test runs the CLI): the build's surface against the quickstart
 * example's committed snapshot, what a change and a failed example print, --update, --toolset, and the same
 * checks against an HTTP server (--url) with a header.
 */
const repo = join(import.meta.dirname, '..', '..');
const project = mkdtempSync(join(tmpdir(), 'mcpgen-testcmd-'));
cpSync(join(repo, 'examples', 'quickstart'), project, { recursive: true, filter: (s) => !s.includes('.mcp-gen') });
const manifest = join(project, 'mcp-gen.yaml');
let out: string[] = [];
let dir: string;
let server: HttpServer;
let url: string;

beforeAll(async () => {
  dir = await buildToTemp(manifest);
  const core = await createCore(await loadArtifact(dir), { log: createLogger('error') });
  server = createHttpServer(core, {
    host: '127.0.0.1',
    port: 0,
    path: '/mcp',
    allowedHosts: [],
    allowedOrigins: [],
    maxBodyBytes: 64 * 1024,
    maxSessions: 5,
    sessionIdleSeconds: 60
  });
  url = await server.listen();
});
afterAll(async () => {
  await server.close(100);
  rmSync(project, { recursive: true, force: true });
});
beforeEach(() => {
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

const printed = () => out.join('');

describe('mcp-gen test, in process', () => {
  it('passes against the committed snapshot, with both examples', async () => {
    expect(await testCommand(['-o', dir, '--snapshot', join(project, 'mcp-gen.snapshot.yaml')])).toBe(0);
    expect(printed()).toMatch(/snapshot .*mcp-gen\.snapshot\.yaml: ok\n/);
    expect(printed()).toContain('examples: 2 passed, 0 failed');
  });

  it('fails on a snapshot that differs, naming the entry', async () => {
    const changed = join(project, 'changed.yaml');
    writeFileSync(changed, readFileSync(join(project, 'mcp-gen.snapshot.yaml'), 'utf8').replace('Greet someone by name.', 'Greet.'));
    expect(await testCommand(['-o', dir, '--snapshot', changed])).toBe(1);
    expect(printed()).toContain('1 change(s)\n  changed tool greet\n');
    expect(printed()).toContain('    + description: Greet someone by name.\n');
  });

  it('--update writes what --url then finds identical on a running server, header and all', async () => {
    const file = join(project, 'fresh.yaml');
    expect(await testCommand(['-o', dir, '--update', '--snapshot', file])).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(project, 'mcp-gen.snapshot.yaml'), 'utf8'));
    out = [];
    expect(await testCommand(['-o', dir, '--snapshot', file, '--url', url, '--header', 'X-Trace: 1'])).toBe(0);
    expect(printed()).toContain('examples: 2 passed, 0 failed');
  });

  it('refuses a malformed --header, --toolset with --url, and a toolset the build lacks', async () => {
    await expect(testCommand(['-o', dir, '--url', url, '--header', 'nocolon'])).rejects.toThrow('--header must be "Name: value"');
    await expect(testCommand(['-o', dir, '--url', url, '--toolset', 'x'])).rejects.toThrow('--toolset is for the build');
    await expect(testCommand(['-o', dir, '--toolset', 'x'])).rejects.toThrow('--toolset x: the build has no toolsets');
  });

  it('reports an example whose call fails as a JSON-RPC error', async () => {
    const examples = join(dir, 'examples.json');
    const saved = readFileSync(examples, 'utf8');
    const list = JSON.parse(saved) as { tool: string }[];
    writeFileSync(
      examples,
      JSON.stringify([
        { ...list[0], arguments: { name: 7 } },
        { ...list[1], isError: true }
      ])
    );
    try {
      expect(await testCommand(['-o', dir, '--snapshot', join(project, 'mcp-gen.snapshot.yaml')])).toBe(1);
      expect(printed()).toMatch(/^FAIL greet example 0 .*: expected a result, got a tool error/m);
      expect(printed()).toMatch(/^FAIL greet example 1 .*: expected a tool error, got a result/m);
    } finally {
      writeFileSync(examples, saved);
    }
  });
});
