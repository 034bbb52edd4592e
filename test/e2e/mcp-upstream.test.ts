import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import type { McpSourceIR } from '../../runtime/kinds/mcp/ir.js';
import { cleanupTemp, cli, killAll, MODERN, requireDist, startHttp, tempDir, type Era } from '../helpers/e2e-server.js';
import { buildToTemp } from '../helpers/artifact.js';
import { alive, childPids, freePort, upstreamScript } from '../helpers/upstreams.js';
import { waitFor } from '../helpers/wait.js';

/**
 * An `mcp:` source against real upstream servers: the reference "everything" server over stdio and over
 * Streamable HTTP, the reference filesystem server confined to a temp folder, and a second mcp-gen. Each is
 * built (the build records the upstream's lists), served with the real CLI, and driven by the SDK v2 client
 * in both protocol eras.
 */
const everything = () => upstreamScript('@modelcontextprotocol/server-everything');
const text = (r: { content?: unknown }) => ((r.content as { text?: string }[] | undefined) ?? []).map((c) => c.text ?? '').join('\n');

async function buildManifest(
  yaml: string
): Promise<{ dir: string; artifact: NonNullable<Awaited<ReturnType<typeof build>>['artifact']>; warnings: string[] }> {
  const folder = tempDir('mcpgen-upstream-');
  writeFileSync(join(folder, 'mcp-gen.yaml'), yaml);
  const result = await build({ manifest: join(folder, 'mcp-gen.yaml') });
  if (!result.artifact) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  await writeArtifact(result);
  return { dir: result.outDir, artifact: result.artifact, warnings: result.diagnostics.map((d) => `${d.code} ${d.message}`) };
}

function client(era: Era, answers = true): Client {
  const c = new Client(
    { name: 'upstream-e2e', version: '1' },
    {
      capabilities: { elicitation: { form: {} }, sampling: {} },
      versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: MODERN } }
    }
  );
  if (answers) {
    c.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Ada', check: true, color: 'red' } }));
    c.setRequestHandler('sampling/createMessage', async () => ({
      role: 'assistant',
      content: { type: 'text', text: 'sampled: Paris' },
      model: 'test-model'
    }));
  }
  return c;
}

/** mcp-gen over stdio, spawned by the client; `pid` is mcp-gen's process. */
async function overStdio(dir: string, era: Era): Promise<{ client: Client; pid: number }> {
  requireDist();
  const c = client(era);
  const t = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'run', '-o', dir, '--log-level', 'error'],
    stderr: 'ignore'
  });
  await c.connect(t);
  return { client: c, pid: t.pid! };
}

const everythingYaml = (mcp: string) => `server: { name: mounted, version: 1.0.0 }
sources:
  ev:
    mcp: ${mcp}
    exclude: [get-env, simulate-research-query, "demo://resource/static/*"]
    overrides:
      echo: { name: say, description: Repeats the message. }
      get-sum: { scopes: [math] }
`;

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

describe('the everything server over stdio', () => {
  let dir: string;
  let source: McpSourceIR;
  let tools: Map<string, Record<string, unknown>>;
  beforeAll(async () => {
    const built = await buildManifest(
      everythingYaml(`{ command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(everything())}, stdio] }`)
    );
    dir = built.dir;
    source = built.artifact.sources.ev as McpSourceIR;
    tools = new Map(built.artifact.tools.map((t) => [t.name, t.descriptor]));
  }, 60_000);

  it('build records the upstream surface and mounts it under the prefix, with include/exclude and overrides', () => {
    expect(source.surface.tools.map((t) => t.name)).toContain('get-env');
    expect([...tools.keys()]).toEqual(expect.arrayContaining(['say', 'ev_get-sum', 'ev_trigger-long-running-operation']));
    expect(tools.has('ev_get-env')).toBe(false);
    expect(tools.get('say')!.description).toBe('Repeats the message.');
  });

  it('passes the upstream schema through unchanged (draft-07 $schema kept)', () => {
    const upstream = source.surface.tools.find((t) => t.name === 'get-sum')!;
    expect(tools.get('ev_get-sum')!.inputSchema).toEqual(upstream.inputSchema);
    expect((upstream.inputSchema as { $schema?: string }).$schema).toMatch(/draft-07/);
  });

  describe.each(['legacy', 'modern'] as const)('%s client', (era) => {
    let c: Client;
    beforeAll(async () => {
      c = (await overStdio(dir, era)).client;
    }, 30_000);
    afterAll(() => c?.close());

    it('a call passes through', async () => {
      expect(text(await c.callTool({ name: 'say', arguments: { message: 'hi' } }))).toBe('Echo: hi');
    });
    it('progress passes through', async () => {
      const seen: number[] = [];
      const r = await c.callTool(
        { name: 'ev_trigger-long-running-operation', arguments: { duration: 0.2, steps: 2 } },
        { onprogress: (p) => seen.push(p.progress) }
      );
      expect(text(r)).toMatch(/completed/);
      expect(seen.length).toBeGreaterThan(0);
    });
    it('elicitation passes through', async () => {
      expect(text(await c.callTool({ name: 'ev_trigger-elicitation-request', arguments: {} }))).toMatch(/Ada/);
    });
    it('sampling passes through', async () => {
      expect(text(await c.callTool({ name: 'ev_trigger-sampling-request', arguments: { prompt: 'Capital of France?' } }))).toMatch(
        /sampled: Paris/
      );
    });
    it('prompts and resource templates pass through', async () => {
      const p = await c.getPrompt({ name: 'ev_args-prompt', arguments: { city: 'Paris' } });
      expect(JSON.stringify(p.messages)).toMatch(/weather in Paris/);
      const r = await c.readResource({ uri: 'demo://resource/dynamic/text/1' });
      expect(r.contents[0]).toMatchObject({ uri: 'demo://resource/dynamic/text/1', mimeType: 'text/plain' });
    });
  });

  it('an upstream that dies fails the call in flight with a clear error and is reconnected on the next call', async () => {
    const { client: c, pid } = await overStdio(dir, 'legacy');
    try {
      await waitFor(() => childPids(pid).length > 0, 20_000, 'the upstream process');
      const [upstream] = childPids(pid);
      const running = c.callTool(
        { name: 'ev_trigger-long-running-operation', arguments: { duration: 30, steps: 30 } },
        { onprogress: () => {} }
      );
      await waitFor(() => alive(upstream!), 5000, 'the upstream');
      process.kill(upstream!, 'SIGKILL');
      const failed = await running;
      expect(failed.isError).toBe(true);
      expect(text(failed)).toMatch(/went away during the call.*reconnected on the next call/);
      expect(text(await c.callTool({ name: 'say', arguments: { message: 'again' } }))).toBe('Echo: again');
      expect(childPids(pid)).not.toContain(upstream);
    } finally {
      await c.close();
    }
  }, 60_000);

  it('list_changed from the upstream reaches clients', async () => {
    const { client: c } = await overStdio(dir, 'legacy');
    try {
      let changed = 0;
      c.setNotificationHandler('notifications/resources/list_changed', () => void changed++);
      const r = await c.callTool({
        name: 'ev_gzip-file-as-resource',
        arguments: { name: 'hello.gz', data: 'data:text/plain;base64,aGVsbG8=' }
      });
      expect(r.isError).toBeFalsy();
      await waitFor(() => changed > 0, 10_000, 'notifications/resources/list_changed');
    } finally {
      await c.close();
    }
  }, 60_000);
});

describe('the everything server over Streamable HTTP, served by mcp-gen over HTTP', () => {
  let upstream: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    upstream = spawn(process.execPath, [everything(), 'streamableHttp'], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe']
    });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      upstream.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (/listening on port/.test(err)) resolve();
      });
      upstream.once('exit', (code) => reject(new Error(`the everything server exited (${code}): ${err}`)));
    });
    const built = await buildManifest(
      everythingYaml(`{ url: "http://127.0.0.1:${port}/mcp", headers: { X-Token: "\${UPSTREAM_TOKEN:-none}" } }`)
    );
    expect((built.artifact.sources.ev as McpSourceIR).transport).toEqual({
      type: 'http',
      url: `http://127.0.0.1:${port}/mcp`,
      headers: { 'X-Token': '${UPSTREAM_TOKEN:-none}' }
    });
    url = (await startHttp(built.dir)).url;
  }, 60_000);
  afterAll(() => {
    upstream?.kill('SIGTERM');
  });

  it.each(['legacy', 'modern'] as const)(
    '%s client: calls, progress and elicitation pass through',
    async (era) => {
      const c = client(era);
      await c.connect(new StreamableHTTPClientTransport(new URL(url)));
      try {
        expect(text(await c.callTool({ name: 'say', arguments: { message: 'over http' } }))).toBe('Echo: over http');
        const seen: number[] = [];
        await c.callTool(
          { name: 'ev_trigger-long-running-operation', arguments: { duration: 0.2, steps: 2 } },
          { onprogress: (p) => seen.push(p.progress) }
        );
        expect(seen.length).toBeGreaterThan(0);
        expect(text(await c.callTool({ name: 'ev_trigger-elicitation-request', arguments: {} }))).toMatch(/Ada/);
      } finally {
        await c.close();
      }
    },
    60_000
  );
});

describe('the filesystem server confined to a temp folder', () => {
  let dir: string;
  let folder: string;
  beforeAll(async () => {
    folder = tempDir('mcpgen-fs-');
    writeFileSync(join(folder, 'notes.txt'), 'inside the folder');
    const script = upstreamScript('@modelcontextprotocol/server-filesystem');
    const built = await buildManifest(`server: { name: files, version: 1.0.0 }
limits: { tools: { files_list_directory: { tool: 1/minute } } }
audit: { sink: { file: ./audit.log } }
auth:
  apiKeys: [{ name: reader, key: "\${READER_KEY}", scopes: [read] }]
  stdio: { apiKeyEnv: MCPGEN_API_KEY }
sources:
  fs:
    mcp: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(script)}, ${JSON.stringify(folder)}] }
    prefix: files_
    include: [read_text_file, list_directory, write_file]
    scopes: [read]
    overrides:
      write_file: { scopes: [write], confirm: Write this file? }
`);
    dir = built.dir;
    expect(built.artifact.tools.map((t) => [t.name, t.scopes])).toEqual(
      expect.arrayContaining([
        ['files_read_text_file', ['read']],
        ['files_write_file', ['write']]
      ])
    );
  }, 60_000);

  it('serves mounted tools under the prefix with scopes, rate limits and audit; the upstream keeps its confinement', async () => {
    const c = client('legacy');
    const t = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'run', '-o', dir, '--log-level', 'error'],
      env: { ...process.env, READER_KEY: 'k-reader-0123456789', MCPGEN_API_KEY: 'k-reader-0123456789' } as Record<string, string>,
      stderr: 'ignore'
    });
    await c.connect(t);
    try {
      const names = (await c.listTools()).tools.map((x) => x.name).sort();
      expect(names).toEqual(['files_list_directory', 'files_read_text_file']);
      expect(text(await c.callTool({ name: 'files_read_text_file', arguments: { path: join(folder, 'notes.txt') } }))).toBe(
        'inside the folder'
      );
      const outside = await c.callTool({ name: 'files_read_text_file', arguments: { path: '/etc/hostname' } });
      expect(outside.isError).toBe(true);
      expect(text(outside)).toMatch(/Access denied|outside allowed/i);
      expect(text(await c.callTool({ name: 'files_list_directory', arguments: { path: folder } }))).toMatch(/notes\.txt/);
      expect(text(await c.callTool({ name: 'files_list_directory', arguments: { path: folder } }))).toMatch(
        /Rate limit reached for tool files_list_directory/
      );
    } finally {
      await c.close();
    }
    const audit = join(dir, '..', 'audit.log');
    await waitFor(() => existsSync(audit) && readFileSync(audit, 'utf8').includes('files_read_text_file'), 10_000, 'the audit line');
  }, 60_000);
});

describe('a second mcp-gen as upstream (it speaks 2026-07-28)', () => {
  let dir: string;
  beforeAll(async () => {
    const upstreamDir = await buildToTemp(join(import.meta.dirname, '..', '..', 'examples', 'conformance', 'mcp-gen.yaml'));
    const args = [cli, 'run', '-o', upstreamDir, '--log-level', 'error'].map((a) => JSON.stringify(a)).join(', ');
    const built = await buildManifest(`server: { name: front, version: 1.0.0 }
sources:
  up:
    mcp: { command: ${JSON.stringify(process.execPath)}, args: [${args}] }
    include: [test_tool_with_logging, test_tool_with_progress, test_elicitation, test_simple_prompt, "test://static-text"]
`);
    expect((built.artifact.sources.up as McpSourceIR).surface.era).toBe('modern');
    dir = built.dir;
  }, 90_000);

  it.each(['legacy', 'modern'] as const)(
    '%s client: logging, progress, elicitation and prompts pass through',
    async (era) => {
      const { client: c } = await overStdio(dir, era);
      try {
        const logs: string[] = [];
        c.setNotificationHandler('notifications/message', (n) => void logs.push(JSON.stringify(n.params.data)));
        if (era === 'legacy') await c.setLoggingLevel('debug');
        const logLevel = era === 'modern' ? { _meta: { 'io.modelcontextprotocol/logLevel': 'debug' } } : {};
        await c.callTool({ name: 'up_test_tool_with_logging', arguments: {}, ...logLevel });
        expect(logs.length).toBeGreaterThan(0);
        const seen: number[] = [];
        await c.callTool({ name: 'up_test_tool_with_progress', arguments: {} }, { onprogress: (p) => seen.push(p.progress) });
        // The SDK client may drop the last progress of a call: its response can overtake the notification.
        expect(seen).toEqual(expect.arrayContaining([0, 50]));
        expect(text(await c.callTool({ name: 'up_test_elicitation', arguments: { message: 'Who?' } }))).toMatch(/accept/);
        const p = await c.getPrompt({ name: 'up_test_simple_prompt' });
        expect(p.messages.length).toBeGreaterThan(0);
      } finally {
        await c.close();
      }
    },
    60_000
  );
});
