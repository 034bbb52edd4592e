/**
 * Hostile input (h): a caller with the `read` scope probes for the `admin` entries it may not see (tool
 * purge_cache, resource docs://secrets, template admin://pages/{page}, prompt audit) through every list and
 * page, completions, subscriptions, near-miss names and URIs, and error messages, in both eras. No answer may
 * carry a hidden entry's name, description, content or argument values; what it may not use answers exactly
 * like what does not exist. The one exception is a direct call, read or get with an OAuth token, whose holder
 * can step up: it gets the insufficient-scope error the MCP specification prescribes (naming the scope, nothing
 * else). An API key cannot step up, so with one even a direct call answers exactly like an unknown name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY, MODERN, modernMeta } from '../helpers/e2e-server.js';
import { pool, report, sample } from './hostile.js';
import { ENV, startSecured, type Secured } from './secured-server.js';

let s: Secured;
let session: string;
beforeAll(async () => {
  s = await startSecured();
  const init = await rpc('legacy', 'initialize', {
    protocolVersion: LEGACY,
    capabilities: {},
    clientInfo: { name: 'probe', version: '1' }
  });
  session = init.headers.get('mcp-session-id')!;
});
afterAll(() => s.close());

/** What only the hidden entries hold: names, descriptions, contents, enum values. */
const secrets = [
  'purge_cache',
  'Drop every cached entry',
  'docs://secrets',
  's3cret',
  'admin_pages',
  'admin://pages',
  'page one',
  'Audit the system',
  '"audit"',
  '"low"',
  '"high"'
];

let bearer: string = ENV.CI_BOT_KEY;
async function rpc(era: 'legacy' | 'modern', method: string, params: Record<string, unknown>, id: number | string = 1): Promise<Response> {
  const modern = era === 'modern';
  const name = (params.name ?? params.uri) as string | undefined;
  return fetch(s.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${bearer}`,
      ...(modern
        ? { 'mcp-protocol-version': MODERN, 'mcp-method': method, ...(name && /^[\x20-\x7e]*$/.test(name) ? { 'mcp-name': name } : {}) }
        : session
          ? { 'mcp-session-id': session, 'mcp-protocol-version': LEGACY }
          : {})
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: modern ? { ...params, _meta: modernMeta } : params })
  });
}

const lists = ['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list'];
const nearUris = [
  'docs://secrets',
  'docs://secrets/',
  'DOCS://secrets',
  'docs://Secrets',
  'docs://secrets?x=1',
  'docs://secrets#x',
  'docs://./secrets',
  'docs://notes/../secrets',
  'docs:%2F%2Fsecrets',
  'admin://pages/one',
  'admin://pages/../one',
  'admin://pages/%2e%2e',
  'ADMIN://pages/one'
];
const nearNames = ['purge_cache', 'PURGE_CACHE', 'purge_cache ', 'purge_cache\u0000', 'purge', 'audit', 'AUDIT', 'audit\u200b'];

/** [label, method, params, what the answer may be]: 'scope' = only -32003 (to an OAuth token); 'any' = anything without a secret. */
function probes(): [string, string, Record<string, unknown>, 'scope' | 'any'][] {
  const out: [string, string, Record<string, unknown>, 'scope' | 'any'][] = [];
  for (const m of lists)
    for (const cursor of [undefined, '', 'abc', 'eyJvZmZzZXQiOjF9', '1', 'MA=='])
      out.push([`${m} cursor ${String(cursor)}`, m, cursor === undefined ? {} : { cursor }, 'any']);
  out.push(['call hidden', 'tools/call', { name: 'purge_cache', arguments: { what: 'x' } }, 'scope']);
  out.push(['call hidden, bad arguments', 'tools/call', { name: 'purge_cache', arguments: { what: 42, extra: true } }, 'scope']);
  out.push(['call hidden, no arguments', 'tools/call', { name: 'purge_cache' }, 'scope']);
  for (const name of nearNames.slice(1)) out.push([`call ${JSON.stringify(name)}`, 'tools/call', { name, arguments: {} }, 'any']);
  out.push(['get hidden prompt', 'prompts/get', { name: 'audit', arguments: { level: 'nonsense' } }, 'scope']);
  for (const name of nearNames)
    out.push([`get ${JSON.stringify(name)}`, 'prompts/get', { name: name === 'audit' ? 'audit ' : name }, 'any']);
  out.push(['read hidden', 'resources/read', { uri: 'docs://secrets' }, 'scope']);
  out.push(['read hidden template', 'resources/read', { uri: 'admin://pages/one' }, 'scope']);
  // Any {page} value, encoded dots included, matches the hidden template: a direct read, answered with its scope.
  out.push(['read hidden template, encoded dots', 'resources/read', { uri: 'admin://pages/%2e%2e' }, 'scope']);
  for (const uri of nearUris.slice(1))
    if (uri !== 'admin://pages/one' && uri !== 'admin://pages/%2e%2e') out.push([`read ${uri}`, 'resources/read', { uri }, 'any']);
  for (const [ref, arg] of [
    [{ type: 'ref/prompt', name: 'audit' }, 'level'],
    [{ type: 'ref/prompt', name: 'AUDIT' }, 'level'],
    [{ type: 'ref/resource', uri: 'admin://pages/{page}' }, 'page'],
    [{ type: 'ref/resource', uri: 'docs://secrets' }, 'x'],
    [{ type: 'ref/tool', name: 'purge_cache' }, 'what']
  ] as const) {
    for (const value of ['', 'h', 'l', '*'])
      out.push([`complete ${JSON.stringify(ref)} ${value}`, 'completion/complete', { ref, argument: { name: arg, value } }, 'any']);
  }
  for (const uri of nearUris) out.push([`subscribe ${uri}`, 'resources/subscribe', { uri }, 'any']);
  return out;
}

describe('hidden entries', () => {
  it.each(['API key', 'OAuth token'] as const)(
    'never leak through lists, completions, subscriptions or error messages (%s)',
    async (credential) => {
      bearer = credential === 'API key' ? ENV.CI_BOT_KEY : await s.token({ scope: 'read' });
      // A 2025 session belongs to the caller who opened it.
      session = '';
      session = (
        await rpc('legacy', 'initialize', { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'probe', version: '1' } })
      ).headers.get('mcp-session-id')!;
      const cases = (['legacy', 'modern'] as const).flatMap((era) => probes().map((p) => ({ era, p })));
      const failures: string[] = [];
      await pool(cases, 8, async ({ era, p: [label, method, params, probe] }) => {
        const allowed = credential === 'API key' ? 'any' : probe;
        const r = await rpc(era, method, params);
        const text = await r.text();
        const problems: string[] = [];
        if (allowed === 'scope') {
          if (!text.includes('"code":-32003') || !text.includes('"requiredScopes":["admin"]')) problems.push('expected insufficient scope');
          if (
            secrets.some(
              (x) => x !== 'purge_cache' && x !== '"audit"' && x !== 'docs://secrets' && x !== 'admin://pages' && text.includes(x)
            )
          )
            problems.push('leaks');
        } else {
          const leaked = secrets.filter((x) => text.includes(x) && !JSON.stringify(params).includes(x.replaceAll('"', '')));
          if (leaked.length > 0) problems.push(`leaks ${leaked.join(', ')}`);
          if (text.includes('"code":-32003') || text.includes('requiredScopes')) problems.push('reveals that the entry exists');
        }
        if (r.status >= 500) problems.push(`HTTP ${r.status}`);
        if (problems.length > 0) failures.push(`${era} ${label}: ${problems.join('; ')} — ${text.slice(0, 160)}`);
      });
      report(`hidden-entries (${credential})`, cases.length, failures);
      expect(failures, sample(failures)).toEqual([]);
    }
  );

  it('answers a hidden name exactly like an unknown one (the name aside), with the same status', async () => {
    bearer = ENV.CI_BOT_KEY;
    for (const era of ['legacy', 'modern'] as const) {
      for (const [method, hidden, unknown] of [
        ['tools/call', { name: 'purge_cache', arguments: { what: 'x' } }, { name: 'purge_cachX', arguments: { what: 'x' } }],
        ['prompts/get', { name: 'audit', arguments: { level: 'low' } }, { name: 'audjt', arguments: { level: 'low' } }],
        ['resources/read', { uri: 'docs://secrets' }, { uri: 'docs://secrets.x' }],
        ['resources/read', { uri: 'admin://pages/one' }, { uri: 'admin://pagez/one' }],
        [
          'completion/complete',
          { ref: { type: 'ref/prompt', name: 'audit' }, argument: { name: 'level', value: '' } },
          { ref: { type: 'ref/prompt', name: 'audjt' }, argument: { name: 'level', value: '' } }
        ],
        [
          'completion/complete',
          { ref: { type: 'ref/resource', uri: 'admin://pages/{page}' }, argument: { name: 'page', value: '' } },
          { ref: { type: 'ref/resource', uri: 'admin://pagez/{page}' }, argument: { name: 'page', value: '' } }
        ]
      ] as const) {
        const [a, b] = [await rpc(era, method, hidden), await rpc(era, method, unknown)];
        expect(a.status, `${era} ${method}`).toBe(b.status);
        expect((await a.text()).replace(/audit|pages|purge_cache|secrets/g, 'X'), `${era} ${method}`).toBe(
          (await b.text()).replace(/audjt|pagez|purge_cachX|secrets\.x/g, 'X')
        );
      }
    }
  });

  it('control: the admin key sees the hidden entries', async () => {
    const r = await fetch(s.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${ENV.ADMIN_KEY}`,
        'mcp-protocol-version': MODERN,
        'mcp-method': 'tools/list'
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernMeta } })
    });
    expect(await r.text()).toContain('purge_cache');
  });
});
