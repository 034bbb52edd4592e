/**
 * Hostile input (f): every credential a caller could forge, replay or bend (missing, malformed, wrong key,
 * expired, not yet valid, wrong audience or issuer, tampered, `alg: none` in any case, algorithm confusion,
 * embedded or foreign keys), each sent to every kind of request and to another caller's session. All must get
 * 401 with -32001 and nothing else; a valid credential on the same requests is the control.
 */
import { createPublicKey, KeyObject, sign } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY, MODERN, modernMeta } from '../helpers/e2e-server.js';
import { pool, report, sample } from './hostile.js';
import { AUDIENCE, ENV, ISSUER, startSecured, type Secured } from './secured-server.js';

let s: Secured;
let adminSession: string;
beforeAll(async () => {
  s = await startSecured();
  const init = await send(
    'POST',
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'a', version: '1' } }
    },
    { authorization: `Bearer ${ENV.ADMIN_KEY}` }
  );
  adminSession = init.headers.get('mcp-session-id')!;
});
afterAll(() => s.close());

async function send(method: string, body: unknown, headers: Record<string, string>, query = ''): Promise<Response> {
  return fetch(s.url + query, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  });
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = { iss: ISSUER, aud: AUDIENCE, sub: 'mallory', scope: 'read admin', tenant_id: 'acme' };

/** [name, Authorization header (undefined: none), query string]. */
async function forgeries(): Promise<[string, string | undefined, string][]> {
  const valid = await s.token({ scope: 'read admin' });
  const [h, p, sig] = valid.split('.') as [string, string, string];
  const other = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  const jwk = JSON.parse(await (await fetch(s.jwksUrl)).text()).keys[0];
  const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
  const hs = (secret: string) =>
    new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
  // Signed by hand with the server's real key: jose refuses to sign what it would not verify.
  const signed = (header: object, payload: object) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), KeyObject.from(s.privateKey)).toString('base64url')}`;
  };
  const flip = (t: string) => t.slice(0, -2) + (t.at(-2) === 'A' ? 'B' : 'A') + t.at(-1);
  const list: [string, string | undefined, string][] = [
    ['no Authorization', undefined, ''],
    ['an empty bearer', 'Bearer ', ''],
    ['Bearer without a token', 'Bearer', ''],
    ['Basic credentials', `Basic ${Buffer.from(`admin:${ENV.ADMIN_KEY}`).toString('base64')}`, ''],
    ['the key without a scheme', ENV.ADMIN_KEY, ''],
    ['the key in the query string', undefined, `?access_token=${ENV.ADMIN_KEY}`],
    ['a wrong key', 'Bearer nope', ''],
    ['a key with a suffix', `Bearer ${ENV.ADMIN_KEY}x`, ''],
    ['a truncated key', `Bearer ${ENV.ADMIN_KEY.slice(0, -1)}`, ''],
    ['an upper-cased key', `Bearer ${ENV.ADMIN_KEY.toUpperCase()}`, ''],
    ['two keys', `Bearer ${ENV.CI_BOT_KEY} ${ENV.ADMIN_KEY}`, ''],
    ['garbage segments', 'Bearer a.b.c', ''],
    ['dots only', 'Bearer ..', ''],
    ['an 8 KiB token', `Bearer ${'A'.repeat(8192)}`, ''],
    ['an expired token', `Bearer ${await s.token({ scope: 'read admin' }, { exp: now() - 3600 })}`, ''],
    ['a token not valid yet', `Bearer ${await s.token({ scope: 'read admin', nbf: now() + 3600 })}`, ''],
    ['another audience', `Bearer ${await s.token({ aud: 'https://other.example/mcp' })}`, ''],
    ['an audience list without ours', `Bearer ${await s.token({ aud: ['https://a.example', 'https://b.example'] })}`, ''],
    ['our audience with a trailing slash', `Bearer ${await s.token({ aud: AUDIENCE + '/' })}`, ''],
    ['another issuer', `Bearer ${await s.token({ iss: 'https://evil.example' })}`, ''],
    ['our issuer with a trailing slash', `Bearer ${await s.token({ iss: ISSUER + '/' })}`, ''],
    ['no issuer', `Bearer ${await s.token({ iss: undefined })}`, ''],
    ['no audience', `Bearer ${await s.token({ aud: undefined })}`, ''],
    ['no exp', 'Bearer ' + (await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(s.privateKey)), ''],
    [
      'a tampered payload',
      `Bearer ${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), scope: 'read admin root' })}.${sig}`,
      ''
    ],
    ['a tampered header (kid)', `Bearer ${b64({ alg: 'RS256', kid: 'k2' })}.${p}.${sig}`, ''],
    ['a flipped signature', `Bearer ${flip(valid)}`, ''],
    ['a truncated signature', `Bearer ${valid.slice(0, -10)}`, ''],
    ['no signature', `Bearer ${h}.${p}.`, ''],
    ['two segments', `Bearer ${h}.${p}`, ''],
    ['a signature from another token', `Bearer ${h}.${b64({ ...claims, exp: now() + 600 })}.${sig}`, ''],
    ...(['none', 'None', 'NONE', 'nOnE'] as const).flatMap((alg): [string, string, string][] => [
      [`alg: ${alg}`, `Bearer ${b64({ alg, typ: 'JWT' })}.${b64({ ...claims, exp: now() + 600 })}.`, ''],
      [`alg: ${alg} with a signature`, `Bearer ${b64({ alg, kid: 'k1' })}.${b64({ ...claims, exp: now() + 600 })}.${sig}`, '']
    ]),
    ['HS256 with the public JWK as secret', `Bearer ${await hs(JSON.stringify(jwk))}`, ''],
    ['HS256 with the public PEM as secret', `Bearer ${await hs(pem)}`, ''],
    // The right private key, under an algorithm the server does not allow (a KeyObject is not bound to one hash).
    [
      'RS512 (not allowed) with the right key',
      'Bearer ' +
        (await new SignJWT({ ...claims })
          .setProtectedHeader({ alg: 'RS512', kid: 'k1' })
          .setExpirationTime('5m')
          .sign(KeyObject.from(s.privateKey))),
      ''
    ],
    [
      'PS256 (not allowed) with the right key',
      'Bearer ' +
        (await new SignJWT({ ...claims })
          .setProtectedHeader({ alg: 'PS256', kid: 'k1' })
          .setExpirationTime('5m')
          .sign(KeyObject.from(s.privateKey))),
      ''
    ],
    [
      'ES256 from another key',
      'Bearer ' +
        (await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setExpirationTime('5m').sign(ec.privateKey)),
      ''
    ],
    ['another RSA key with our kid', `Bearer ${await s.token({ scope: 'read admin' }, { key: other.privateKey })}`, ''],
    [
      'an embedded jwk header',
      `Bearer ${await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', jwk: await exportJWK(other.publicKey) })
        .setExpirationTime('5m')
        .sign(other.privateKey)}`,
      ''
    ],
    [
      'a jku header to an attacker',
      `Bearer ${await s.token({}, { key: other.privateKey, header: { jku: 'http://127.0.0.1:9/jwks', kid: 'evil' } })}`,
      ''
    ],
    ['a path-traversal kid', `Bearer ${await s.token({}, { key: other.privateKey, header: { kid: '../../../dev/null' } })}`, ''],
    [
      'an unknown crit header',
      `Bearer ${signed({ alg: 'RS256', kid: 'k1', crit: ['x-evil'], 'x-evil': 1 }, { ...claims, exp: now() + 600 })}`,
      ''
    ]
  ];
  return list;
}

/** Every way in: the four kinds of request in both eras, another caller's session (POST, GET, DELETE). */
const targets: [string, string, (auth: Record<string, string>) => [unknown, Record<string, string>]][] = [
  [
    'tools/list',
    'POST',
    (a) => [
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernMeta } },
      { ...a, 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' }
    ]
  ],
  [
    'tools/call purge_cache',
    'POST',
    (a) => [
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'purge_cache', arguments: { what: 'x' }, _meta: modernMeta } },
      { ...a, 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'purge_cache' }
    ]
  ],
  [
    'resources/read docs://secrets',
    'POST',
    (a) => [
      { jsonrpc: '2.0', id: 3, method: 'resources/read', params: { uri: 'docs://secrets', _meta: modernMeta } },
      { ...a, 'mcp-protocol-version': MODERN, 'mcp-method': 'resources/read', 'mcp-name': 'docs://secrets' }
    ]
  ],
  [
    'prompts/get audit',
    'POST',
    (a) => [
      { jsonrpc: '2.0', id: 4, method: 'prompts/get', params: { name: 'audit', arguments: { level: 'low' }, _meta: modernMeta } },
      { ...a, 'mcp-protocol-version': MODERN, 'mcp-method': 'prompts/get', 'mcp-name': 'audit' }
    ]
  ],
  [
    'initialize',
    'POST',
    (a) => [
      {
        jsonrpc: '2.0',
        id: 5,
        method: 'initialize',
        params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'x', version: '1' } }
      },
      a
    ]
  ],
  [
    'the admin session: tools/call',
    'POST',
    (a) => [
      { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'purge_cache', arguments: { what: 'x' } } },
      { ...a, 'mcp-session-id': adminSession, 'mcp-protocol-version': LEGACY }
    ]
  ],
  ['the admin session: GET stream', 'GET', (a) => [undefined, { ...a, 'mcp-session-id': adminSession, accept: 'text/event-stream' }]],
  ['the admin session: DELETE', 'DELETE', (a) => [undefined, { ...a, 'mcp-session-id': adminSession }]]
];

describe('auth bypass', () => {
  it('refuses every forged, expired, misdirected or tampered credential on every request', async () => {
    const list = await forgeries();
    const cases = list.flatMap(([name, authorization, query]) =>
      targets.map(([target, method, make]) => ({ name, target, method, query, make, authorization }))
    );
    const failures: string[] = [];
    await pool(cases, 8, async (c) => {
      const [body, headers] = c.make(c.authorization === undefined ? {} : { authorization: c.authorization });
      const r = await send(c.method, body, headers, c.query);
      const text = await r.text();
      const problems: string[] = [];
      if (r.status !== 401) problems.push(`HTTP ${r.status}`);
      if (!(r.headers.get('www-authenticate') ?? '').startsWith('Bearer resource_metadata=')) problems.push('no Bearer challenge');
      if (!text.includes('"code":-32001') || text.includes('"result"')) problems.push(`body ${text.slice(0, 120)}`);
      if (problems.length > 0) failures.push(`${c.name} → ${c.target}: ${problems.join('; ')}`);
    });
    report('auth-bypass', cases.length, failures);
    expect(failures, sample(failures)).toEqual([]);
    // The admin's session survived every attempt on it.
    const mine = await send(
      'POST',
      { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'purge_cache', arguments: { what: 'all' } } },
      { authorization: `Bearer ${ENV.ADMIN_KEY}`, 'mcp-session-id': adminSession, 'mcp-protocol-version': LEGACY }
    );
    expect(await mine.text()).toContain('purged all');
  });

  it('control: valid credentials pass the same requests', async () => {
    for (const bearer of [ENV.ADMIN_KEY, await s.token({ scope: 'read admin' })]) {
      for (const [target, method, make] of targets.slice(0, 5)) {
        const [body, headers] = make({ authorization: `Bearer ${bearer}` });
        const r = await send(method, body, headers);
        expect(r.status, `${target} with ${bearer.slice(0, 12)}`).toBe(200);
      }
    }
  });
});
