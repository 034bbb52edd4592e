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
    ['1000 operations', 1000, true]
  ];
  it.each(given)('init --openapi with %s', async (_label, operations, large) => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-large-init-'));
    expect(await initCommand(['--openapi', spec(operations), '--dir', dir])).toBe(0);
    const text = readFileSync(join(dir, 'mcp-gen.yaml'), 'utf8');
    const note = stderr.join('');
    if (large) {
      expect(text).toMatch(/^ {4}# mode: tools {2,}# .*three tools/m);
      expect(text).toMatch(/^ {2}# tokenBudget: 50000/m);
      expect(note).toContain(`${operations} operations`);
      expect(note).toContain('three tools');
      expect(note).toContain('tokenBudget');
      // As written (mode auto): three tools, and the build says why.
      const r = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.artifact?.tools).toHaveLength(3);
      expect(r.diagnostics.find((d) => d.code === 'MCPGEN_AUTO_MODE')?.message).toMatch(
        /^source "big" \(mode: auto\) is served as 3 tools \(big_search_operations, big_describe_operation, big_call_operation\) instead of its 1000: those would be about [\d,]+ tokens, over the [\d,]+ left for it of server.tokenBudget \(50,000\); every operation stays callable through big_call_operation$/
      );
      // Both suggestions switched on: every operation is a tool, within the raised budget.
      writeFileSync(
        join(dir, 'mcp-gen.yaml'),
        text.replace('# mode: tools', 'mode: tools').replace('# tokenBudget: 50000', 'tokenBudget: 500000')
      );
      const all = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
      expect(all.diagnostics).toEqual([]);
      expect(all.artifact?.tools).toHaveLength(1000);
    } else {
      expect(text).not.toContain('mode:');
      expect(note).not.toContain('three tools');
    }
  });

  it('build over the token budget names the source to switch to mode: dynamic, and server.tokenBudget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-large-build-'));
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: s, version: 1.0.0, tokenBudget: 2000 }\nsources:\n  big:\n    openapi: ${JSON.stringify(spec(60))}\n    mode: tools\n`
    );
    const r = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
    const warning = r.diagnostics.find((d) => d.code === 'MCPGEN_TOKEN_BUDGET');
    expect(warning?.message).toMatch(/over the budget of 2000 \(60 tools; largest: .*\)/);
    expect(warning?.message).toContain('source "big" gives 60 of them: set mode: dynamic on it');
    expect(warning?.message).toContain('or raise server.tokenBudget');
  });
});
