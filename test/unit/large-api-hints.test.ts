/**
 * A large OpenAPI document: `init --openapi` and `build` point at `mode: dynamic` and `server.tokenBudget`
 * (a tool list that size is paid for on every turn of the model); a small one gets no such note.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { build } from '../../generators/build.js';
import { initCommand } from '../../generators/cli/commands/init.js';

function spec(operations: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-large-'));
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < operations; i++)
    paths[`/items${i}`] = {
      get: {
        operationId: `getItem${i}`,
        summary: `Get item number ${i} with all of its details and history.`,
        responses: { 200: { description: 'ok' } }
      }
    };
  const file = join(dir, 'big.json');
  writeFileSync(
    file,
    JSON.stringify({ openapi: '3.0.3', info: { title: 'Big', version: '1' }, servers: [{ url: 'https://big.example.com' }], paths })
  );
  return file;
}

let stderr: string[] = [];
beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('large OpenAPI documents', () => {
  const given: [string, number, boolean][] = [
    ['5 operations', 5, false],
    ['250 operations', 250, true]
  ];
  it.each(given)('init --openapi with %s', async (_label, operations, large) => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-large-init-'));
    expect(await initCommand(['--openapi', spec(operations), '--dir', dir])).toBe(0);
    const text = readFileSync(join(dir, 'mcp-gen.yaml'), 'utf8');
    const note = stderr.join('');
    if (large) {
      expect(text).toMatch(/^ {4}# mode: dynamic {2,}# .*three tools/m);
      expect(text).toMatch(/^ {2}# tokenBudget: 50000/m);
      expect(note).toContain(`${operations} operations`);
      expect(note).toContain('mode: dynamic');
      expect(note).toContain('tokenBudget');
      // Switched on, both suggestions build: three tools.
      writeFileSync(join(dir, 'mcp-gen.yaml'), text.replace('# mode: dynamic', 'mode: dynamic').replace('# tokenBudget', 'tokenBudget'));
      const r = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.artifact?.tools).toHaveLength(3);
    } else {
      expect(text).not.toContain('mode: dynamic');
      expect(note).not.toContain('mode: dynamic');
    }
  });

  it('build over the token budget names the source to switch to mode: dynamic, and server.tokenBudget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-large-build-'));
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: s, version: 1.0.0, tokenBudget: 2000 }\nsources:\n  big:\n    openapi: ${JSON.stringify(spec(60))}\n`
    );
    const r = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
    const warning = r.diagnostics.find((d) => d.code === 'MCPGEN_TOKEN_BUDGET');
    expect(warning?.message).toMatch(/over the budget of 2000 \(60 tools; largest: .*\)/);
    expect(warning?.message).toContain('source "big" gives 60 of them: set mode: dynamic on it');
    expect(warning?.message).toContain('or raise server.tokenBudget');
  });
});
