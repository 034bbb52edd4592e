/**
 * One prefix for mcp-gen's own variables, MCPGEN_: the old MCP_GEN_ spelling still works, with a deprecation
 * warning once per variable, and the new spelling wins when both are set.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkModeFrom } from '../../generators/build.js';
import { keyFromEnv, KEY_VARIABLE } from '../../runtime/security/secrets/crypto.js';

const key = 'a'.repeat(64);
let stderr: string[] = [];
beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('MCPGEN_ variables', () => {
  it('reads MCPGEN_DB_CHECK, and MCP_GEN_DB_CHECK with one warning', () => {
    const given: [NodeJS.ProcessEnv, string][] = [
      [{ MCPGEN_DB_CHECK: '1' }, 'required'],
      [{ MCPGEN_DB_CHECK: '0' }, 'off'],
      [{}, 'auto'],
      [{ MCPGEN_DB_CHECK: '0', MCP_GEN_DB_CHECK: '1' }, 'off']
    ];
    for (const [env, want] of given) expect(checkModeFrom(env, false), JSON.stringify(env)).toBe(want);
    expect(stderr).toEqual([]);
    expect(checkModeFrom({ MCP_GEN_DB_CHECK: '1' }, false)).toBe('required');
    expect(checkModeFrom({ MCP_GEN_DB_CHECK: '0' }, false)).toBe('off');
    expect(stderr).toEqual(['mcp-gen: MCP_GEN_DB_CHECK is deprecated: set MCPGEN_DB_CHECK instead\n']);
  });

  it('reads MCPGEN_SECRET_KEY, and MCP_GEN_SECRET_KEY with one warning', () => {
    expect(KEY_VARIABLE).toBe('MCPGEN_SECRET_KEY');
    expect(keyFromEnv({ MCPGEN_SECRET_KEY: key })).toHaveLength(32);
    expect(() => keyFromEnv({})).toThrow(/^MCPGEN_SECRET_KEY is not set/);
    expect(stderr).toEqual([]);
    expect(keyFromEnv({ MCP_GEN_SECRET_KEY: key })).toHaveLength(32);
    expect(keyFromEnv({ MCP_GEN_SECRET_KEY: key })).toHaveLength(32);
    expect(stderr).toEqual(['mcp-gen: MCP_GEN_SECRET_KEY is deprecated: set MCPGEN_SECRET_KEY instead\n']);
  });
});
