/**
 * The real CLI over stdio: console output of tools (Handlebars' `{{log}}`, `console.*` in a handler imported into
 * the server, and in a sandboxed one) goes to stderr; stdout carries JSON-RPC only and the SDK client keeps working.
 */
import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifact, cleanupTemp, cli, connect, killAll, modernMeta, requireDist, tempDir } from '../helpers/e2e-server.js';

let artifact: string;

beforeAll(async () => {
  const project = join(tempDir(), 'console-output');
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'console-output'), project, { recursive: true });
  artifact = await buildArtifact(join(project, 'mcp-gen.yaml'));
});
afterAll(async () => {
  await killAll();
  cleanupTemp();
});

const calls = [
  { tool: 'template-log', want: 'rendered', logged: ['from-template-log'] },
  {
    tool: 'in-process',
    want: 'in-process done',
    logged: ['from-in-process-import', 'from-in-process-log', 'from-in-process-info', 'from-in-process-debug', 'in-process-dir']
  },
  { tool: 'sandboxed', want: 'sandboxed done', logged: ['from-sandboxed-log', 'from-sandboxed-info'] }
];

describe('stdio: console output of tools', () => {
  it('goes to stderr while the SDK client gets every answer', async () => {
    const c = await connect('stdio', 'modern', { dir: artifact });
    try {
      for (const { tool, want } of calls) {
        const result = await c.client.callTool({ name: tool, arguments: {} });
        expect(result.isError, `${tool}: ${JSON.stringify(result)}`).toBeFalsy();
        expect((result.content as { text: string }[])[0]!.text).toBe(want);
      }
    } finally {
      await c.close();
    }
    for (const text of calls.flatMap((c) => c.logged)) expect(c.stderr()).toContain(text);
  });

  it('leaves only JSON-RPC messages on stdout', async () => {
    requireDist();
    const child = spawn(process.execPath, [cli, 'run', '-o', artifact, '--log-level', 'warn'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    calls.forEach(({ tool }, i) => {
      child.stdin.write(
        JSON.stringify({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params: { name: tool, arguments: {}, _meta: modernMeta } }) + '\n'
      );
    });
    // End of input: the server answers what it read, then exits.
    child.stdin.end();
    await exited;
    const lines = stdout.split('\n').filter((l) => l !== '');
    const notJsonRpc = lines.filter((l) => {
      try {
        return (JSON.parse(l) as { jsonrpc?: unknown }).jsonrpc !== '2.0';
      } catch {
        return true;
      }
    });
    expect(notJsonRpc, stderr).toEqual([]);
    expect(lines.map((l) => (JSON.parse(l) as { id: number }).id).sort()).toEqual([1, 2, 3]);
    for (const text of calls.flatMap((c) => c.logged)) expect(stderr).toContain(text);
  });
});
