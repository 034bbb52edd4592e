/**
 * The compatibility matrix: every client generation connects, lists and calls over every transport it has,
 * against the conformance example served by the real CLI. Rows: the SDK v1 at 1.12 (2025-03-26), 1.17
 * (2025-06-18) and the latest 1.x (2025-11-25), the v2 client in both eras, and the MCP Inspector CLI (on a Node 22
 * binary, as `npm run conformance` runs it) in both eras. Columns: stdio, Streamable HTTP and WebSocket (where the
 * client has it) and the deprecated HTTP+SSE transport. The measured matrix
 * is docs/protocol.md's (UPDATE_DOCS=1 rewrites it), so the page shows what passed.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect, inspectorEntry } from '../conformance/inspector.mjs';
import { node22 } from '../conformance/node22.mjs';
import { buildArtifact, cleanupTemp, cli, copyExample, killAll, repo, startHttp } from '../helpers/e2e-server.js';

type Column = 'stdio' | 'Streamable HTTP' | 'WebSocket' | 'HTTP+SSE (2024-11-05)';
const COLUMNS: Column[] = ['stdio', 'Streamable HTTP', 'WebSocket', 'HTTP+SSE (2024-11-05)'];
const SIMPLE = 'This is a simple text response for testing.';

interface Row {
  readonly client: string;
  /** The transports the client has (a cell it lacks says so). */
  readonly columns: readonly Column[];
  /** The protocol version the client asks for first. */
  readonly version: string;
  /** Connects, lists and calls test_simple_text over `column`; resolves with what the call answered. */
  run(column: Column): Promise<{ tools: string[]; text: string }>;
}

let artifact: string;
let url: string;
const measured = new Map<string, Map<Column, string>>();

beforeAll(async () => {
  const project = copyExample('conformance');
  appendFileSync(join(project, 'mcp-gen.yaml'), '\ntransport: { websocket: true, legacySse: true }\n');
  artifact = await buildArtifact(join(project, 'mcp-gen.yaml'));
  url = (await startHttp(artifact)).url;
}, 60_000);

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

const stdioArgs = () => [cli, 'run', '-o', artifact, '--log-level', 'warn'];

/** An SDK v1 row: `pkg` is the installed package (npm aliases pin 1.12 and 1.17). */
// Node 20 has no global WebSocket (22 has): the SDK v1 WebSocket transport uses the global one.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

function v1(pkg: string, label: string): Row {
  return {
    client: label,
    columns: COLUMNS,
    version: '',
    async run(column) {
      const { Client: V1 } = await import(`${pkg}/client/index.js`);
      const client = new V1({ name: 'matrix', version: '1.0.0' }, { capabilities: {} });
      const transport =
        column === 'stdio'
          ? new (await import(`${pkg}/client/stdio.js`)).StdioClientTransport({
              command: process.execPath,
              args: stdioArgs(),
              stderr: 'pipe'
            })
          : new (await import(`${pkg}/client/streamableHttp.js`)).StreamableHTTPClientTransport(new URL(url));
      await client.connect(transport);
      try {
        const { tools } = await client.listTools();
        const r = await client.callTool({ name: 'test_simple_text', arguments: {} });
        return { tools: tools.map((t: { name: string }) => t.name), text: JSON.stringify(r.content) };
      } finally {
        await client.close();
      }
    }
  };
}

function v2(era: 'legacy' | 'modern'): Row {
  return {
    client: `SDK v2 client (${era === 'legacy' ? '2025-11-25 sessions' : '2026-07-28 stateless'})`,
    columns: ['stdio', 'Streamable HTTP'],
    version: era === 'legacy' ? '2025-11-25' : '2026-07-28',
    async run(column) {
      const client = new Client(
        { name: 'matrix', version: '1.0.0' },
        { versionNegotiation: (era === 'legacy' ? 'legacy' : { pin: '2026-07-28' }) as never }
      );
      const transport =
        column === 'stdio'
          ? new StdioClientTransport({ command: process.execPath, args: stdioArgs(), stderr: 'pipe' })
          : new StreamableHTTPClientTransport(new URL(url));
      await client.connect(transport);
      try {
        const { tools } = await client.listTools();
        const r = await client.callTool({ name: 'test_simple_text', arguments: {} });
        return { tools: tools.map((t) => t.name), text: JSON.stringify(r.content) };
      } finally {
        await client.close();
      }
    }
  };
}

function inspector(era: 'legacy' | 'modern'): Row {
  return {
    client: `MCP Inspector CLI 2.12 (--protocol-era ${era})`,
    columns: ['stdio', 'Streamable HTTP', 'HTTP+SSE (2024-11-05)'],
    version: era === 'legacy' ? '2025-11-25' : '2026-07-28',
    async run(column) {
      const cache = join(repo, '.cache');
      const [nodeBin, entry] = [node22(cache), inspectorEntry(cache)];
      // No --log-level after the command: the Inspector would read it as its own flag.
      const target =
        column === 'stdio'
          ? [process.execPath, cli, 'run', '-o', artifact]
          : column === 'HTTP+SSE (2024-11-05)'
            ? ['--transport', 'sse', new URL('/sse', url).href]
            : ['--transport', 'http', url];
      const list = await inspect(nodeBin, entry, era, target, ['--method', 'tools/list']);
      const call = await inspect(nodeBin, entry, era, target, ['--method', 'tools/call', '--tool-name', 'test_simple_text']);
      if (list.code !== 0 || call.code !== 0) throw new Error(`inspector exited ${list.code}/${call.code}: ${list.err}${call.err}`);
      const tools = (JSON.parse(list.out) as { tools: { name: string }[] }).tools.map((t) => t.name);
      return { tools, text: call.out };
    }
  };
}

const version = (pkg: string) => JSON.parse(readFileSync(join(repo, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string };
const latest = async (pkg: string) => ((await import(`${pkg}/types.js`)) as { LATEST_PROTOCOL_VERSION: string }).LATEST_PROTOCOL_VERSION;

const rows: Row[] = [
  v1('sdk-v1-12', `SDK v1 ${version('sdk-v1-12').version}`),
  v1('sdk-v1-17', `SDK v1 ${version('sdk-v1-17').version}`),
  v1('@modelcontextprotocol/sdk', `SDK v1 ${version('@modelcontextprotocol/sdk').version}`),
  v2('legacy'),
  v2('modern'),
  inspector('legacy'),
  inspector('modern')
];
const v1Packages: Record<string, string> = {
  [rows[0]!.client]: 'sdk-v1-12',
  [rows[1]!.client]: 'sdk-v1-17',
  [rows[2]!.client]: '@modelcontextprotocol/sdk'
};

describe.each(rows)('$client', (row) => {
  it.each(COLUMNS)(
    'connects, lists and calls over %s',
    async (column) => {
      const { tools, text } = await row.run(column);
      expect(tools).toContain('test_simple_text');
      expect(text).toContain(SIMPLE);
      const cells = measured.get(row.client) ?? new Map<Column, string>();
      cells.set(column, 'passes');
      measured.set(row.client, cells);
    },
    120_000
  );
});

/** docs/protocol.md's matrix: the measured cells, between its markers; HTTP+SSE and WebSocket are not served. */
async function matrixMarkdown(): Promise<string> {
  const lines = [
    '| Client | Protocol version it asks for | stdio | Streamable HTTP | WebSocket | HTTP+SSE (2024-11-05) |',
    '| --- | --- | --- | --- | --- | --- |'
  ];
  for (const row of rows) {
    const pkg = v1Packages[row.client];
    const asked = pkg ? await latest(pkg) : row.version;
    const cells = COLUMNS.map((c) =>
      !row.columns.includes(c) ? 'no such client transport' : measured.get(row.client)?.get(c) === 'passes' ? 'passes' : 'FAILS'
    );
    lines.push(`| ${row.client} | ${asked} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const doc = join(repo, 'docs', 'protocol.md');
const START = '<!-- compat-matrix:start -->';
const END = '<!-- compat-matrix:end -->';

describe('docs/protocol.md', () => {
  it('shows the matrix as measured', async () => {
    const text = readFileSync(doc, 'utf8');
    expect(text.includes(START) && text.includes(END), `docs/protocol.md needs ${START} … ${END}`).toBe(true);
    const documented = text.slice(text.indexOf(START) + START.length, text.indexOf(END)).trim();
    // Every cell the page says passes was measured here (this file's other tests ran first).
    for (const row of rows)
      for (const column of COLUMNS) expect(measured.get(row.client)?.get(column), `${row.client} / ${column}`).toBe('passes');
    const table = await matrixMarkdown();
    if (process.env.UPDATE_DOCS === '1')
      writeFileSync(doc, `${text.slice(0, text.indexOf(START) + START.length)}\n${table}\n${text.slice(text.indexOf(END))}`);
    else expect(documented).toBe(table);
  });
});
