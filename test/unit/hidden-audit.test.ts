/** A hidden entry answered as unknown to an API key still leaves the real reason in the audit log (issue 10, point 9). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp } from '../helpers/e2e-server.js';
import { buildHostile, KEYS, startHostileInProcess } from '../hostile/full-server.js';

afterAll(() => cleanupTemp());

describe('hidden entries in the audit log', () => {
  it('records denied for a call answered as an unknown tool', async () => {
    const dir = await buildHostile();
    const server = await startHostileInProcess(dir);
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const call = (name: string) =>
      fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${KEYS.READER_KEY}`,
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': name
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: { what: 'x' }, _meta: meta } })
      });
    const [hidden, unknown] = [await call('purge'), await call('purgf')];
    expect(hidden.status).toBe(unknown.status);
    expect((await hidden.text()).replace('purge', 'X')).toBe((await unknown.text()).replace('purgf', 'X'));
    await server.close();
    const lines = readFileSync(join(dir, '..', 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.target, l.principal, l.outcome])).toEqual([
      ['purge', 'reader', 'denied'],
      ['purgf', 'reader', 'error']
    ]);
  });
});
