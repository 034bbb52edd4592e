/**
 * `mcp-gen bundle` end to end: a manifest with a template tool and a handler tool that imports an npm package
 * (mime), bundled by the real CLI into a folder outside the repository, installed with `npm install
 * --omit=dev`, and served by `node server.mjs` over stdio and over HTTP (with the Dockerfile's command) to the
 * real MCP SDK client. Nothing of mcp-gen is reachable from the folder.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { bundleAndInstall, connectStdio, resolves, serveContainerCommand, type Installed, type Served } from '../helpers/bundle-served.js';
import { projectWith, removeProjects, templateAndHandler } from '../helpers/bundle-projects.js';
import { newClient } from '../helpers/e2e-server.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const run = promisify(execFile);
let bundled: Installed;

beforeAll(async () => {
  bundled = await bundleAndInstall(join(projectWith(templateAndHandler), 'mcp-gen.yaml'));
}, 240_000);

afterAll(() => {
  bundled?.remove();
  removeProjects();
});

const text = (r: { content: unknown }) => (r.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');

describe('the bundle folder', () => {
  it('cannot resolve mcp-gen, its build toolchain or its drivers: only what package.json installed', async () => {
    for (const name of ['mcp-gen', 'yaml', 'ajv', 'esbuild', 'typescript', 'better-sqlite3', 'knex'])
      expect(await resolves(bundled.dir, name), name).toBe(false);
    expect(await resolves(bundled.dir, 'mime')).toBe(true);
  });

  it('server.mjs --help prints run’s serving flags; --build is refused with a reason', async () => {
    const help = await run(process.execPath, [join(bundled.dir, 'server.mjs'), '--help']);
    expect(help.stdout).toContain('--http');
    expect(help.stdout).toContain('--metrics-port');
    const refused = await run(process.execPath, [join(bundled.dir, 'server.mjs'), '--build']).catch(
      (e: { code: number; stderr: string }) => e
    );
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('--build is not available in a bundle');
  });
});

describe.each(['stdio', 'http'] as const)('served over %s', (transport) => {
  let served: Served | undefined;
  let client: ReturnType<typeof newClient>;
  let close: () => Promise<unknown>;

  beforeAll(async () => {
    if (transport === 'stdio') {
      const connected = await connectStdio(bundled.dir);
      client = connected.client;
      close = connected.close;
    } else {
      served = await serveContainerCommand(bundled.dir);
      client = newClient('modern');
      await client.connect(new StreamableHTTPClientTransport(new URL(served.url)));
      close = () => client.close().catch(() => {});
    }
  });

  afterAll(async () => {
    await close?.();
    if (served) expect(await served.stop()).toBe(0);
  });

  it('lists both tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['greet', 'mime_of']);
  });

  it('calls the template tool', async () => {
    expect(text(await client.callTool({ name: 'greet', arguments: { name: 'Ada' } }))).toBe('Hello, Ada!');
  });

  it('calls the handler tool, which runs its npm import in the sandbox worker', async () => {
    expect(text(await client.callTool({ name: 'mime_of', arguments: { file: 'photo.png' } }))).toBe('image/png');
  });

  it.runIf(transport === 'http')('answers the Dockerfile’s health check path', async () => {
    const r = await fetch(`${served!.origin}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
  });
});

describe('tracing in the bundle (the OpenTelemetry SDK is compiled into chunks/, loaded on use)', () => {
  it.each(['http/protobuf', 'http/json'])('exports the spans of a call over OTLP %s', async (protocol) => {
    const posts: { method: string; url: string; type: string }[] = [];
    let received!: () => void;
    const exported = new Promise<void>((resolve) => (received = resolve));
    const collector = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        posts.push({ method: req.method ?? '', url: req.url ?? '', type: req.headers['content-type'] ?? '' });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        received();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const connected = await connectStdio(bundled.dir, {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_BSP_SCHEDULE_DELAY: '50'
    });
    try {
      expect(text(await connected.client.callTool({ name: 'greet', arguments: { name: 'Otel' } }))).toBe('Hello, Otel!');
      await exported;
    } finally {
      await connected.close();
      collector.close();
    }
    expect(posts[0]).toMatchObject({ method: 'POST', url: '/v1/traces' });
    expect(posts[0]!.type).toContain(protocol === 'http/json' ? 'json' : 'protobuf');
  });
});
