/**
 * Hostile input (h): a caller with the `read` scope probes for the `admin` entries it may not see (tool
 * purge_cache, resource docs://secrets, template admin://pages/{page}, prompt audit) through every list and
 * page, completions, subscriptions, near-miss names and URIs, and error messages, in both eras. No answer may
 * carry a hidden entry's name, description, content or argument values; what it may not use answers exactly
 * like what does not exist, except a direct call, read or get, which gets the insufficient-scope error the
 * MCP specification prescribes (naming the scope, nothing else).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY, MODERN, modernMeta } from '../helpers/e2e-server.js';
import { pool, report, sample } from './hostile.js';
import { ENV, startSecured, type Secured } from './secured-server.js';

let s: Secured;
let session: string;
beforeAll(async () => {
  s = await startSecured();
  const init = await rpc('legacy', 'initialize', { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'probe', version: '1' } });
  session = init.headers.get('mcp-session-id')!;
});
afterAll(() => s.close());

/** What only the hidden entries hold: names, descriptions, contents, enum values. */
const secrets = ['purge_cache', 'Drop every cached entry', 'docs://secrets', 's3cret', 'admin_pages', 'admin://pages', 'page one', 'Audit the system', '"audit"', '"low"', '"high"'];

async function rpc(era: 'legacy' | 'modern', method: string, params: Record<string, unknown>, id: number | string = 1): Promise<Response> {
  const modern = era === 'modern';
  const name = (params.name ?? params.uri) as string | undefined;
  return fetch(s.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${ENV.CI_BOT_KEY}`,
      ...(modern ? { 'mcp-protocol-version': MODERN, 'mcp-method': method, ...(name && /^[\x20-\x7e]*$/.test(name) ? { 'mcp-name': name } : {}) } : session ? { 'mcp-session-id': session, 'mcp-protocol-version': LEGACY } : {})
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: modern ? { ...params, _meta: modernMeta } : params })
  });
}

const lists = ['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list'];
const nearUris = ['docs://secrets', 'docs://secrets/', 'DOCS://secrets', 'docs://Secrets', 'docs://secrets?x=1', 'docs://secrets#x', 'docs://./secrets', 'docs://notes/../secrets', 'docs:%2F%2Fsecrets', 'admin://pages/one', 'admin://pages/../one', 'admin://pages/%2e%2e', 'ADMIN://pages/one'];
const nearNames = ['purge_cache', 'PURGE_CACHE', 'purge_cache ', 'purge_cache\u0000', 'purge', 'audit', 'AUDIT', 'audit\u200b'];

/** [label, method, params, what the answer may be]: 'scope' = only -32003; 'any' = anything without a secret. */
function probes(): [string, string, Record<string, unknown>, 'scope' | 'any'][] {
  const out: [string, string, Record<string, unknown>, 'scope' | 'any'][] = [];
  for (const m of lists) for (const cursor of [undefined, '', 'abc', 'eyJvZmZzZXQiOjF9', '1', 'MA==']) out.push([`${m} cursor ${String(cursor)}`, m, cursor === undefined ? {} : { cursor }, 'any']);
  out.push(['call hidden', 'tools/call', { name: 'purge_cache', arguments: { what: 'x' } }, 'scope']);
  out.push(['call hidden, bad arguments', 'tools/call', { name: 'purge_cache', arguments: { what: 42, extra: true } }, 'scope']);
  out.push(['call hidden, no arguments', 'tools/call', { name: 'purge_cache' }, 'scope']);
  for (const name of nearNames.slice(1)) out.push([`call ${JSON.stringify(name)}`, 'tools/call', { name, arguments: {} }, 'any']);
  out.push(['get hidden prompt', 'prompts/get', { name: 'audit', arguments: { level: 'nonsense' } }, 'scope']);
  for (const name of nearNames) out.push([`get ${JSON.stringify(name)}`, 'prompts/get', { name: name === 'audit' ? 'audit ' : name }, 'any']);
  out.push(['read hidden', 'resources/read', { uri: 'docs://secrets' }, 'scope']);
  out.push(['read hidden template', 'resources/read', { uri: 'admin://pages/one' }, 'scope']);
  // Any {page} value, encoded dots included, matches the hidden template: a direct read, answered with its scope.
  out.push(['read hidden template, encoded dots', 'resources/read', { uri: 'admin://pages/%2e%2e' }, 'scope']);
  for (const uri of nearUris.slice(1)) if (uri !== 'admin://pages/one' && uri !== 'admin://pages/%2e%2e') out.push([`read ${uri}`, 'resources/read', { uri }, 'any']);
  for (const [ref, arg] of [
    [{ type: 'ref/prompt', name: 'audit' }, 'level'],
    [{ type: 'ref/prompt', name: 'AUDIT' }, 'level'],
    [{ type: 'ref/resource', uri: 'admin://pages/{page}' }, 'page'],
    [{ type: 'ref/resource', uri: 'docs://secrets' }, 'x'],
    [{ type: 'ref/tool', name: 'purge_cache' }, 'what']
  ] as const) {
    for (const value of ['', 'h', 'l', '*']) out.push([`complete ${JSON.stringify(ref)} ${value}`, 'completion/complete', { ref, argument: { name: arg, value } }, 'any']);
  }
  for (const uri of nearUris) out.push([`subscribe ${uri}`, 'resources/subscribe', { uri }, 'any']);
  return out;
}

describe('hidden entries', () => {
  it('never leak through lists, completions, subscriptions or error messages', async () => {
    const cases = (['legacy', 'modern'] as const).flatMap((era) => probes().map((p) => ({ era, p })));
    const failures: string[] = [];
    await pool(cases, 8, async ({ era, p: [label, method, params, allowed] }) => {
      const r = await rpc(era, method, params);
      const text = await r.text();
      const problems: string[] = [];
      if (allowed === 'scope') {
        if (!text.includes('"code":-32003') || !text.includes('"requiredScopes":["admin"]')) problems.push('expected insufficient scope');
        if (secrets.some((x) => x !== 'purge_cache' && x !== '"audit"' && x !== 'docs://secrets' && x !== 'admin://pages' && text.includes(x))) problems.push('leaks');
      } else {
        const leaked = secrets.filter((x) => text.includes(x) && !JSON.stringify(params).includes(x.replaceAll('"', '')));
        if (leaked.length > 0) problems.push(`leaks ${leaked.join(', ')}`);
        if (text.includes('"code":-32003') || text.includes('requiredScopes')) problems.push('reveals that the entry exists');
      }
      if (r.status >= 500) problems.push(`HTTP ${r.status}`);
      if (problems.length > 0) failures.push(`${era} ${label}: ${problems.join('; ')} — ${text.slice(0, 160)}`);
    });
    report('hidden-entries', cases.length, failures);
    expect(failures, sample(failures)).toEqual([]);
  });

  it('answers a hidden name exactly like an unknown one (the name aside)', async () => {
    for (const era of ['legacy', 'modern'] as const) {
      for (const [method, hidden, unknown] of [
        ['completion/complete', { ref: { type: 'ref/prompt', name: 'audit' }, argument: { name: 'level', value: '' } }, { ref: { type: 'ref/prompt', name: 'audjt' }, argument: { name: 'level', value: '' } }],
        ['completion/complete', { ref: { type: 'ref/resource', uri: 'admin://pages/{page}' }, argument: { name: 'page', value: '' } }, { ref: { type: 'ref/resource', uri: 'admin://pagez/{page}' }, argument: { name: 'page', value: '' } }]
      ] as const) {
        const a = await (await rpc(era, method, hidden)).text();
        const b = await (await rpc(era, method, unknown)).text();
        expect(a.replace(/audit|pages/g, 'X'), era).toBe(b.replace(/audjt|pagez/g, 'X'));
      }
    }
  });

  it('control: the admin key sees the hidden entries', async () => {
    const r = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${ENV.ADMIN_KEY}`, 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernMeta } })
    });
    expect(await r.text()).toContain('purge_cache');
  });
});
