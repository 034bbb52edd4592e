/**
 * Authentication and authorization end to end: the auth fixture served over real HTTP (in process), driven by
 * the real SDK v2 client in both eras with API keys and OAuth JWTs (keys made with jose, JWKS from a local
 * server), plus wire-level checks of the challenges and the protected resource metadata.
 */
import { cpSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, InsufficientScopeError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { createHttpServer, type HttpServer } from '../../runtime/transports/http.js';
import { createLogger } from '../../runtime/log.js';
import { cleanupTemp, LEGACY, MODERN, modernMeta, post, tempDir, type Era } from '../helpers/e2e-server.js';
import { createCore } from '../../runtime/serve.js';

const ENV = { CI_BOT_KEY: 'ci-key-0f3a9', ADMIN_KEY: 'admin-key-77c1e' };
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'https://mcp.example.test/mcp';
let jwks: Server;
let upstream: Server;
let http: HttpServer;
let url: string;
let privateKey: CryptoKey;

/** A JWT from the test issuer; `claims` and `options` change what the tests need. */
async function token(claims: Record<string, unknown> = {}, options: { exp?: string | number; key?: CryptoKey } = {}): Promise<string> {
  return new SignJWT({ scope: 'read', tenant_id: 'globex', iss: ISSUER, aud: AUDIENCE, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('alice')
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m')
    .sign(options.key ?? privateKey);
}

const listen = (server: Server) =>
  new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] })));
  const jwksUrl = `${await listen(jwks)}/jwks`;
  // The OpenAPI upstream echoes the tenant header and the credential it received.
  upstream = createServer((req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ tenant: req.headers.tenant, authorization: req.headers.authorization ?? null }))
  );
  process.env.UPSTREAM_URL = await listen(upstream);

  const project = join(tempDir(), 'auth');
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'auth'), project, { recursive: true });
  const result = await build({
    manifest: join(project, 'mcp-gen.yaml'),
    outDir: join(project, '.mcp-gen'),
    seed: true,
    env: { ...process.env, JWKS_URI: jwksUrl }
  });
  if (result.files.size === 0) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  await writeArtifact(result);
  const loaded = await loadArtifact(join(project, '.mcp-gen'));
  const core = await createCore(loaded, { env: { ...process.env, ...ENV }, log: createLogger('error') });
  http = createHttpServer(core, { ...loaded.artifact.transport, port: 0 });
  url = await http.listen();
});

afterAll(async () => {
  await http?.close(100);
  jwks?.close();
  upstream?.close();
  delete process.env.UPSTREAM_URL;
  cleanupTemp();
});

async function client(era: Era, bearer?: string): Promise<Client> {
  const c = new Client(
    { name: 'auth-e2e', version: '1.0.0' },
    { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: MODERN } } }
  );
  const headers = bearer ? { authorization: `Bearer ${bearer}` } : {};
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return c;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

const text = (r: { content: unknown }) => (r.content as { text?: string }[]).map((c) => c.text ?? '').join('');

describe.each(['legacy', 'modern'] as Era[])('SDK client, %s era', (era) => {
  const clients: Client[] = [];
  const open = async (bearer?: string) => {
    const c = await client(era, bearer);
    clients.push(c);
    return c;
  };
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => {});
  });

  it('refuses a client without credentials, or with a wrong key, as unauthorized', async () => {
    // Without an OAuth provider the SDK reports the 401 itself rather than starting an authorization flow.
    for (const bearer of [undefined, 'not-a-key']) expect(String(await rejection(open(bearer)))).toMatch(/401|Unauthorized/);
  });

  it('shows a read-only key only what it may use, in every list', async () => {
    const c = await open(ENV.CI_BOT_KEY);
    expect(c.getNegotiatedProtocolVersion()).toBe(era === 'legacy' ? LEGACY : MODERN);
    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(['whoami', 'my_orders', 'echo']);
    expect((await c.listResources()).resources.map((r) => r.name)).toEqual(['notes']);
    expect((await c.listResourceTemplates()).resourceTemplates.map((r) => r.name)).toEqual(['order']);
    expect((await c.listPrompts()).prompts.map((p) => p.name)).toEqual(['hello']);
  });

  it('shows the admin key everything', async () => {
    const c = await open(ENV.ADMIN_KEY);
    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(['whoami', 'purge_cache', 'my_orders', 'echo']);
    expect((await c.listResources()).resources.map((r) => r.name)).toEqual(['notes', 'secrets']);
    expect((await c.listResourceTemplates()).resourceTemplates.map((r) => r.name)).toEqual(['admin_pages', 'order']);
    expect((await c.listPrompts()).prompts.map((p) => p.name)).toEqual(['audit', 'hello']);
    expect(text(await c.callTool({ name: 'purge_cache', arguments: { what: 'all' } }))).toBe('purged all');
    expect((await c.readResource({ uri: 'docs://secrets' })).contents[0]).toMatchObject({ text: 's3cret' });
    expect((await c.readResource({ uri: 'admin://pages/one' })).contents[0]).toMatchObject({ text: 'page one' });
    expect((await c.getPrompt({ name: 'audit', arguments: { level: 'high' } })).messages[0]!.content).toMatchObject({
      text: 'Audit at high'
    });
    expect(
      (await c.complete({ ref: { type: 'ref/prompt', name: 'audit' }, argument: { name: 'level', value: 'h' } })).completion.values
    ).toEqual(['high']);
  });

  it('answers insufficient_scope to an OAuth token without the scope (it can step up), even with invalid arguments', async () => {
    const c = await open(await token({ scope: 'read' }));
    for (const attempt of [
      () => c.callTool({ name: 'purge_cache', arguments: {} }),
      () => c.callTool({ name: 'purge_cache', arguments: { what: 'all' } }),
      () => c.readResource({ uri: 'docs://secrets' }),
      () => c.readResource({ uri: 'admin://pages/one' }),
      () => c.getPrompt({ name: 'audit', arguments: { level: 'nonsense' } })
    ]) {
      const e = await rejection(attempt());
      expect(e).toBeInstanceOf(InsufficientScopeError);
      expect((e as InsufficientScopeError).requiredScope).toBe('admin');
    }
  });

  it('answers an API key without the scope (it cannot step up) exactly as if the entry did not exist', async () => {
    const c = await open(ENV.CI_BOT_KEY);
    const message = async (attempt: Promise<unknown>) => String((await rejection(attempt)) as Error);
    expect(await message(c.callTool({ name: 'purge_cache', arguments: { what: 'all' } }))).toBe(
      await message(c.callTool({ name: 'purge_cachX', arguments: { what: 'all' } })).then((m) => m.replace('purge_cachX', 'purge_cache'))
    );
    expect(await message(c.readResource({ uri: 'docs://secrets' }))).toBe(
      await message(c.readResource({ uri: 'docs://secretX' })).then((m) => m.replaceAll('secretX', 'secrets'))
    );
    expect(await message(c.getPrompt({ name: 'audit', arguments: { level: 'high' } }))).toBe(
      await message(c.getPrompt({ name: 'audiX', arguments: { level: 'high' } })).then((m) => m.replace('audiX', 'audit'))
    );
  });

  it('hides what a caller may not use from completions, exactly like unknown names', async () => {
    const c = await open(ENV.CI_BOT_KEY);
    const hidden = (await rejection(
      c.complete({ ref: { type: 'ref/prompt', name: 'audit' }, argument: { name: 'level', value: '' } })
    )) as Error;
    const unknown = (await rejection(
      c.complete({ ref: { type: 'ref/prompt', name: 'audjt' }, argument: { name: 'level', value: '' } })
    )) as Error;
    expect(hidden.message.replace('audit', 'X')).toBe(unknown.message.replace('audjt', 'X'));
    const template = (await rejection(
      c.complete({ ref: { type: 'ref/resource', uri: 'admin://pages/{page}' }, argument: { name: 'page', value: '' } })
    )) as Error;
    expect(template.message).toMatch(/Unknown resource template/);
  });

  it('fills fromAuth arguments from the caller, whatever the model sends', async () => {
    const admin = await open(ENV.ADMIN_KEY);
    const whoami = (await admin.listTools()).tools.find((t) => t.name === 'whoami')!;
    expect(whoami.inputSchema.properties).toEqual({});
    expect(text(await admin.callTool({ name: 'whoami', arguments: {} }))).toBe('admin of acme');
    // Sending the arguments anyway changes nothing: the claims replace them.
    expect(text(await admin.callTool({ name: 'whoami', arguments: { tenant: 'globex', who: 'root' } }))).toBe('admin of acme');
    const rows = await admin.callTool({ name: 'my_orders', arguments: { tenant: 'globex' } });
    expect(rows.structuredContent).toMatchObject({
      rows: [
        { id: 1, item: 'anvil' },
        { id: 3, item: 'rocket' }
      ]
    });
    // A key without the claim gets a tool error, not someone else's rows.
    const bot = await open(ENV.CI_BOT_KEY);
    const refused = await bot.callTool({ name: 'my_orders', arguments: { tenant: 'acme' } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/claims\.tenant_id/);
  });

  it('sends an OpenAPI header parameter and the upstream credential from the caller', async () => {
    const admin = await open(ENV.ADMIN_KEY);
    const echo = (await admin.listTools()).tools.find((t) => t.name === 'echo')!;
    expect(Object.keys(echo.inputSchema.properties ?? {})).toEqual(['q']);
    const r = await admin.callTool({ name: 'echo', arguments: { tenant: 'globex' } });
    expect(r.structuredContent).toEqual({ tenant: 'acme', authorization: 'Bearer admin-upstream' });
    const jwtCaller = await open(await token({ upstream_token: 'alice-upstream' }));
    expect((await jwtCaller.callTool({ name: 'echo', arguments: {} })).structuredContent).toEqual({
      tenant: 'globex',
      authorization: 'Bearer alice-upstream'
    });
  });

  it('accepts a valid OAuth access token with its scopes and claims', async () => {
    const c = await open(await token());
    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(['whoami', 'my_orders', 'echo']);
    expect(text(await c.callTool({ name: 'whoami', arguments: {} }))).toBe('alice of globex');
    expect((await c.callTool({ name: 'my_orders', arguments: {} })).structuredContent).toMatchObject({ rows: [{ id: 2, item: 'gizmo' }] });
    const admin = await open(await token({ scope: 'read admin' }));
    expect(text(await admin.callTool({ name: 'purge_cache', arguments: { what: 'x' } }))).toBe('purged x');
  });
});

describe('bearer tokens on the wire', () => {
  const toolsList = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernMeta } };
  const headers = (bearer?: string) => ({
    'mcp-protocol-version': MODERN,
    'mcp-method': 'tools/list',
    ...(bearer === undefined ? {} : { authorization: bearer })
  });
  const metadataUrl = 'https://mcp.example.test/.well-known/oauth-protected-resource/mcp';
  const unsigned = (payload: Record<string, unknown>) =>
    `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
  const now = () => Math.floor(Date.now() / 1000);

  const cases: [string, () => Promise<string | undefined>, RegExp | undefined][] = [
    ['no Authorization header', async () => undefined, undefined],
    ['a wrong API key', async () => 'Bearer nope', /not a valid/],
    ['a Basic scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`, /Bearer/],
    ['an expired token', () => token({}, { exp: now() - 3600 }).then((t) => `Bearer ${t}`), /expired/],
    ['a token not valid yet (nbf)', () => token({ nbf: now() + 3600 }).then((t) => `Bearer ${t}`), /nbf/],
    ['a token for another audience', () => token({ aud: 'https://other.example/mcp' }).then((t) => `Bearer ${t}`), /aud/],
    ['a token from another issuer', () => token({ iss: 'https://evil.example' }).then((t) => `Bearer ${t}`), /iss/],
    [
      'a token without exp',
      () =>
        new SignJWT({ scope: 'read' })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .sign(privateKey)
          .then((t) => `Bearer ${t}`),
      /exp/
    ],
    [
      'a tampered token',
      () =>
        token().then((t) => {
          const [h, p, s] = t.split('.');
          const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
          claims.scope = 'read admin';
          return `Bearer ${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
        }),
      /signature/
    ],
    [
      'an alg: none token',
      async () => `Bearer ${unsigned({ iss: ISSUER, aud: AUDIENCE, sub: 'mallory', scope: 'read admin', exp: now() + 600 })}`,
      /algorithm|not a valid/
    ],
    [
      'a token signed by another key',
      async () => {
        const other = await generateKeyPair('RS256');
        return `Bearer ${await token({}, { key: other.privateKey })}`;
      },
      /signature/
    ],
    [
      'HS256 signed with the public key (algorithm confusion)',
      async () => {
        const jwk = JSON.parse(await (await fetch(`http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`)).text()).keys[0];
        const secret = new TextEncoder().encode(JSON.stringify(jwk));
        const t = await new SignJWT({ scope: 'read admin' })
          .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(secret);
        return `Bearer ${t}`;
      },
      /algorithm/
    ]
  ];

  it.each(cases)('refuses %s with 401 and a challenge', async (_name, make, description) => {
    const authorization = await make();
    const r = await post(url, toolsList, headers(authorization));
    expect(r.status).toBe(401);
    const challenge = r.headers.get('www-authenticate')!;
    expect(challenge).toContain(`Bearer resource_metadata="${metadataUrl}"`);
    expect(challenge).toContain('scope="admin read"');
    if (description) {
      expect(challenge).toContain('error="invalid_token"');
      expect(challenge).toMatch(description);
    } else expect(challenge).not.toContain('error=');
    expect(r.json.error.code).toBe(-32001);
    expect(r.text).not.toContain('"tools"');
  });

  it('answers an OAuth token 403 insufficient_scope naming the required scopes, before running anything', async () => {
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'purge_cache', arguments: {}, _meta: modernMeta } };
    const r = await post(url, call, {
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/call',
      'mcp-name': 'purge_cache',
      authorization: `Bearer ${await token({ scope: 'read' })}`
    });
    expect(r.status).toBe(403);
    expect(r.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadataUrl}", scope="admin", error="insufficient_scope"`);
    expect(r.json.error).toMatchObject({ code: -32003, data: { requiredScopes: ['admin'] } });
  });

  it('serves the protected resource metadata at the root and path-aware well-known URLs', async () => {
    const origin = new URL(url).origin;
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const r = await fetch(`${origin}${path}`);
      expect(r.status, path).toBe(200);
      expect(await r.json()).toEqual({
        resource: AUDIENCE,
        authorization_servers: [ISSUER],
        scopes_supported: ['admin', 'read'],
        bearer_methods_supported: ['header'],
        resource_signing_alg_values_supported: ['RS256'],
        resource_name: 'secured'
      });
    }
    expect((await fetch(`${origin}/.well-known/oauth-protected-resource`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${origin}/.well-known/other`)).status).toBe(404);
  });

  it('keeps a 2025 session to the caller who opened it', async () => {
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 't', version: '1' } }
    };
    const opened = await post(url, init, { authorization: `Bearer ${ENV.ADMIN_KEY}` });
    const session = opened.headers.get('mcp-session-id')!;
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    const mine = await post(url, list, {
      authorization: `Bearer ${ENV.ADMIN_KEY}`,
      'mcp-session-id': session,
      'mcp-protocol-version': LEGACY
    });
    expect(mine.status).toBe(200);
    const theirs = await post(url, list, {
      authorization: `Bearer ${ENV.CI_BOT_KEY}`,
      'mcp-session-id': session,
      'mcp-protocol-version': LEGACY
    });
    expect(theirs.status).toBe(404);
    const deleted = await fetch(url, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ENV.CI_BOT_KEY}`, 'mcp-session-id': session }
    });
    expect(deleted.status).toBe(404);
  });
});
