import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const cli = join(repo, 'dist', 'generators', 'cli', 'main.js');
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => {});
});

function until<T>(check: () => T | undefined, ms = 10_000): Promise<T> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = check();
      if (v !== undefined) return resolve(v);
      if (Date.now() - start > ms) return reject(new Error('timed out waiting'));
      setTimeout(tick, 50);
    };
    tick();
  });
}

describe('mcp-gen dev', () => {
  it('rebuilds on change, swaps in place, notifies list_changed, and survives a broken edit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-dev-'));
    cpSync(join(repo, 'examples', 'quickstart'), dir, { recursive: true, filter: (s) => !s.includes('.mcp-gen') });
    const manifest = join(dir, 'mcp-gen.yaml');
    const original = readFileSync(manifest, 'utf8');
    const client = new Client({ name: 'dev-test', version: '1.0.0' });
    clients.push(client);
    const changes: string[] = [];
    client.setNotificationHandler('notifications/tools/list_changed', () => void changes.push('tools'));
    client.setNotificationHandler('notifications/prompts/list_changed', () => void changes.push('prompts'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'dev', '-m', manifest, '--log-level', 'warn'],
      stderr: 'pipe'
    });
    let stderr = '';
    (transport.stderr as NodeJS.ReadableStream | null)?.on('data', (d: Buffer) => (stderr += d.toString()));
    await client.connect(transport);
    expect(client.getServerCapabilities()?.tools?.listChanged).toBe(true);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['greet', 'server_logo']);

    writeFileSync(
      manifest,
      original.replace('tools:\n', 'tools:\n  - name: added\n    description: Added while serving.\n    template: "new"\n')
    );
    await until(() => (changes.includes('tools') ? true : undefined));
    expect(changes).not.toContain('prompts');
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['added', 'greet', 'server_logo']);
    expect((await client.callTool({ name: 'added', arguments: {} })).content).toEqual([{ type: 'text', text: 'new' }]);

    // A broken edit: diagnostics on stderr, the last good build keeps serving.
    writeFileSync(manifest, original.replace('description: Greet someone by name.', 'descriptio: typo'));
    await until(() => (stderr.includes('build failed: still serving the last good build') ? true : undefined));
    expect((await client.callTool({ name: 'added', arguments: {} })).content).toEqual([{ type: 'text', text: 'new' }]);

    // Back to a good manifest with a changed template: the new behaviour is served, 'added' is gone.
    writeFileSync(manifest, original.replace('Hello, {{name}}', 'Hi, {{name}}'));
    const text = async () =>
      ((await client.callTool({ name: 'greet', arguments: { name: 'Ada' } })).content as { text: string }[])[0]!.text;
    let last = '';
    await until(() => (last === 'Hi, Ada.' ? true : (void text().then((t) => (last = t)), undefined)));
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['greet', 'server_logo']);
  });
});
