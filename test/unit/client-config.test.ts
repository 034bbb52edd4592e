/**
 * `mcp-gen client-config`: each client's entry (golden files: every client × stdio/HTTP × with/without a key),
 * the merge into an existing file (other entries and keys kept, refusals), a property that merging never loses an
 * entry, and the command end to end on a built artifact (print, --write with backup, --force, a malformed file).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mergeEntry } from '../../generators/clients/merge.js';
import { CLIENTS, PRESETS, type Secret, type Target } from '../../generators/clients/presets.js';
import { clientConfigCommand } from '../../generators/cli/commands/client-config.js';
import { buildToTemp } from '../helpers/artifact.js';
import { goldenMismatch } from '../helpers/golden.js';

const update = process.env.UPDATE_GOLDEN === '1';
const stdio: Target = { kind: 'stdio', command: '/usr/bin/node', args: ['/opt/mcp-gen/cli.js', 'run', '-o', '/srv/shop/.mcp-gen'] };
const http: Target = { kind: 'http', url: 'https://mcp.example.com/mcp' };
const variants: { name: string; target: Target; secret?: Secret }[] = [
  { name: 'stdio', target: stdio },
  { name: 'stdio with a key', target: stdio, secret: { variable: 'SHOP_API_KEY' } },
  { name: 'http', target: http },
  { name: 'http with a key', target: http, secret: { variable: 'MCP_API_KEY', header: 'Authorization' } }
];

describe.each(CLIENTS)('the %s entry', (client) => {
  it('matches its golden file for stdio and HTTP, with and without a key', () => {
    const out = Object.fromEntries(variants.map((v) => [v.name, PRESETS[client].entry(v.target, v.secret, 'shop')]));
    const mismatch = goldenMismatch(
      join(import.meta.dirname, '..', 'golden', 'client-config', `${client}.json`),
      `${JSON.stringify(out, null, 2)}\n`,
      client,
      update
    );
    expect(mismatch).toBeUndefined();
  });
});

const cursor = PRESETS.cursor;
const entry = { server: { url: 'http://new' } };

describe('mergeEntry', () => {
  it.each([
    { given: undefined, force: false, want: { mcpServers: { shop: { url: 'http://new' } } } },
    { given: '', force: false, want: { mcpServers: { shop: { url: 'http://new' } } } },
    {
      given: '{"theme":"dark","mcpServers":{"other":{"command":"x"}}}',
      force: false,
      want: { theme: 'dark', mcpServers: { other: { command: 'x' }, shop: { url: 'http://new' } } }
    },
    { given: '{"mcpServers":{"shop":{"url":"http://old"}}}', force: true, want: { mcpServers: { shop: { url: 'http://new' } } } }
  ])('$given (force $force) → $want', ({ given, force, want }) => {
    const merged = mergeEntry(given, cursor, 'shop', entry, force);
    expect('text' in merged && JSON.parse(merged.text)).toEqual(want);
  });

  it.each([
    { given: '{"mcpServers":{"shop":{"url":"http://old"}}}', want: /already has a server named "shop": --force replaces it/ },
    { given: '{ // a comment\n}', want: /is not valid JSON .*comments are not kept by this merge: add the entry by hand/ },
    { given: '[1,2]', want: /does not hold a JSON object/ },
    { given: '{"mcpServers":[]}', want: /has a "mcpServers" that is not an object/ }
  ])('refuses $given', ({ given, want }) => {
    const merged = mergeEntry(given, cursor, 'shop', entry, false);
    expect('error' in merged && merged.error).toMatch(want);
  });

  it('keeps VS Code inputs of other servers and replaces its own', () => {
    const existing = JSON.stringify({ servers: {}, inputs: [{ id: 'a-key' }, { id: 'shop-key', old: true }] });
    const merged = mergeEntry(existing, PRESETS.vscode, 'shop', { server: {}, inputs: [{ id: 'shop-key' }] }, false);
    expect('text' in merged && JSON.parse(merged.text).inputs).toEqual([{ id: 'a-key' }, { id: 'shop-key' }]);
  });

  it('never drops an existing entry or key (generated files)', () => {
    const names = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.dictionary(names, fc.jsonValue()), fc.dictionary(names, fc.jsonValue()), names, (top, servers, name) => {
        const existing = JSON.stringify({ ...top, mcpServers: servers });
        const merged = mergeEntry(existing, cursor, name, entry, true);
        if (!('text' in merged)) return false;
        const after = JSON.parse(merged.text);
        for (const k of Object.keys(top)) if (k !== 'mcpServers' && JSON.stringify(after[k]) !== JSON.stringify(top[k])) return false;
        for (const k of Object.keys(servers))
          if (k !== name && JSON.stringify(after.mcpServers[k]) !== JSON.stringify(servers[k])) return false;
        return JSON.stringify(after.mcpServers[name]) === JSON.stringify(entry.server);
      })
    );
  });
});

describe('mcp-gen client-config (the command)', () => {
  afterEach(() => vi.restoreAllMocks());

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
    const code = await clientConfigCommand(args);
    vi.restoreAllMocks();
    return { code, out, err };
  }

  async function artifact(auth = ''): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-cc-'));
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: shop, version: 1.0.0 }\n${auth}tools:\n  - { name: hi, description: Hi., template: hi }\n`
    );
    return buildToTemp(join(dir, 'mcp-gen.yaml'));
  }

  it('prints the entry; with auth the HTTP entry sends the key from MCP_API_KEY', async () => {
    const dir = await artifact('auth: { apiKeys: [ { name: ci, key: "${SHOP_KEY}" } ] }\n');
    const { code, out } = await run(['claude-code', '-o', dir, '--http', 'http://127.0.0.1:3000/mcp']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      mcpServers: { shop: { type: 'http', url: 'http://127.0.0.1:3000/mcp', headers: { Authorization: 'Bearer ${MCP_API_KEY}' } } }
    });
  });

  it('--write: creates the file, refuses the same name, --force replaces it after a backup', async () => {
    const dir = await artifact();
    const file = join(mkdtempSync(join(tmpdir(), 'mcpgen-cc-cfg-')), 'nested', 'mcp.json');
    expect((await run(['cursor', '-o', dir, '--write', '--config', file])).code).toBe(0);
    expect(existsSync(`${file}.bak`)).toBe(false);
    writeFileSync(
      file,
      JSON.stringify({
        ...JSON.parse(readFileSync(file, 'utf8')),
        mcpServers: { ...JSON.parse(readFileSync(file, 'utf8')).mcpServers, other: { url: 'x' } }
      })
    );
    const before = readFileSync(file, 'utf8');
    const refused = await run(['cursor', '-o', dir, '--write', '--config', file]);
    expect([refused.code, readFileSync(file, 'utf8')]).toEqual([1, before]);
    expect(refused.err).toContain('already has a server named "shop": --force replaces it');
    const forced = await run(['cursor', '-o', dir, '--http', 'http://h/mcp', '--write', '--config', file, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(before);
    expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers).toEqual({ shop: { url: 'http://h/mcp' }, other: { url: 'x' } });
  });

  it('leaves a malformed file untouched and exits 1', async () => {
    const dir = await artifact();
    const file = join(mkdtempSync(join(tmpdir(), 'mcpgen-cc-bad-')), 'mcp.json');
    writeFileSync(file, '{ "servers": { ');
    const r = await run(['vscode', '-o', dir, '--write', '--config', file]);
    expect([r.code, readFileSync(file, 'utf8'), existsSync(`${file}.bak`)]).toEqual([1, '{ "servers": { ', false]);
    expect(r.err).toMatch(/is not valid JSON .*nothing written/);
  });

  it.each([
    { given: [], want: /needs a client: one of claude-desktop/ },
    { given: ['zed'], want: /got zed/ },
    { given: ['cursor', '--http', 'ftp://x'], want: /--http takes the server's URL/ },
    { given: ['cursor', '--key-env', 'A B'], want: /--key-env takes an environment variable's name/ }
  ])('usage error: $given', async ({ given, want }) => {
    const dir = await artifact();
    await expect(run([...given, '-o', dir])).rejects.toThrow(want);
  });

  it('Claude Desktop with --http: exit 2, saying where remote servers go', async () => {
    const dir = await artifact();
    const r = await run(['claude-desktop', '-o', dir, '--http', 'http://h/mcp']);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toContain('Settings → Connectors');
  });
});
