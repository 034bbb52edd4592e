import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { writeOpenApi } from '../helpers/openapi-doc.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { createLogger } from '../../runtime/log.js';
import { createCore } from '../../runtime/serve.js';
import { createHttpServer, type HttpServer } from '../../runtime/transports/http.js';
import { buildToTemp } from '../helpers/artifact.js';

/**
 * Calling an OpenAPI upstream as the end user (issue 18, point 3): the caller's OAuth access token is exchanged
 * (RFC 8693) at a token endpoint written here, cached per caller, and only the exchanged token reaches the
 * upstream; an API key is never exchanged; forwardHeaders may rename a header.
 */
const tmp = mkdtempSync(join(tmpdir(), 'mcpgen-exchange-'));
const exchanges: URLSearchParams[] = [];
const exchangeAuth: (string | undefined)[] = [];
const upstream: IncomingMessage['headers'][] = [];
let tokenServer: Server;
let api: Server;
let mcp: HttpServer;
let url: string;
let sign: (sub: string) => Promise<string>;

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  tokenServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      exchanges.push(form);
      exchangeAuth.push(req.headers.authorization);
      // The endpoint refuses one caller: its token's subject is "refused".
      const claims = JSON.parse(Buffer.from(String(form.get('subject_token')).split('.')[1] ?? '', 'base64url').toString() || '{}');
      if (claims.sub === 'refused') return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: `upstream-${exchanges.length}`,
          issued_token_type: form.get('requested_token_type'),
          token_type: 'Bearer',
          expires_in: 600
        })
      );
    });
  });
  api = createServer((req, res) => {
    upstream.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  const [tokenUrl, apiUrl] = [await listen(tokenServer), await listen(api)];
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1' };
  sign = (sub) =>
    new SignJWT({ iss: 'https://as.test', aud: 'https://rs.test/mcp', sub })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setExpirationTime('5m')
      .sign(privateKey);
  writeOpenApi(join(tmp, 'api.json'), 'Me', apiUrl, {
    components: { securitySchemes: { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl, scopes: {} } } } } },
    security: [{ oauth: [] }],
    paths: { '/me': { get: { operationId: 'me', responses: { 200: { description: 'ok' } } } } }
  });
  writeFileSync(
    join(tmp, 'mcp-gen.yaml'),
    [
      'server: { name: me, version: "1" }',
      'auth:',
      `  oauth: { issuer: "https://as.test", audience: "https://rs.test/mcp", keys: [${JSON.stringify(jwk)}], algorithms: [ES256] }`,
      '  apiKeys: [{ name: bot, key: "bot-key-0123456789", scopes: [] }]',
      'sources:',
      '  me:',
      '    openapi: ./api.json',
      '    forwardHeaders: [x-request-id, { from: x-tenant, to: x-org-id }]',
      '    auth:',
      `      oauth: { tokenExchange: { tokenUrl: "${tokenUrl}", clientId: mcp, clientSecret: s3cret, audience: "${apiUrl}", scopes: [me.read] } }`,
      ''
    ].join('\n')
  );
  const core = await createCore(await loadArtifact(await buildToTemp(join(tmp, 'mcp-gen.yaml'))), { log: createLogger('error', () => {}) });
  mcp = createHttpServer(core, {
    host: '127.0.0.1',
    port: 0,
    path: '/mcp',
    allowedHosts: [],
    allowedOrigins: [],
    maxBodyBytes: 64 * 1024,
    maxSessions: 5,
    sessionIdleSeconds: 60
  });
  url = await mcp.listen();
});
afterAll(async () => {
  await mcp.close(100);
  tokenServer.close();
  api.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function callMe(bearer: string, headers: Record<string, string> = {}): Promise<{ isError?: boolean; text: string }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${bearer}`,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'me',
      ...headers
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'me',
        arguments: {},
        _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} }
      }
    })
  });
  const result = ((await r.json()) as { result: { isError?: boolean; content: { text: string }[] } }).result;
  return { ...(result.isError ? { isError: true } : {}), text: result.content.map((c) => c.text).join('') };
}

describe('OAuth 2.0 Token Exchange per OpenAPI source', () => {
  it("exchanges the caller's token and sends only the exchanged one upstream, with mapped headers", async () => {
    const alice = await sign('alice');
    expect(await callMe(alice, { 'x-tenant': 'acme', 'x-request-id': 'r1' })).toEqual({ text: '{"ok":true}' });
    const form = exchanges.at(-1)!;
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: alice,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      scope: 'me.read'
    });
    expect(exchangeAuth.at(-1)).toBe(`Basic ${Buffer.from('mcp:s3cret').toString('base64')}`);
    const seen = upstream.at(-1)!;
    expect(seen.authorization).toBe(`Bearer upstream-${exchanges.length}`);
    expect(JSON.stringify(seen)).not.toContain(alice);
    expect([seen['x-org-id'], seen['x-request-id'], seen['x-tenant']]).toEqual(['acme', 'r1', undefined]);
  });

  it('caches the exchanged token per caller until it expires', async () => {
    const before = exchanges.length;
    const bob = await sign('bob');
    await callMe(bob);
    await callMe(bob);
    expect(exchanges.length).toBe(before + 1);
    const carol = await sign('carol');
    await callMe(carol);
    expect(exchanges.length).toBe(before + 2);
    expect(upstream.at(-1)!.authorization).toBe(`Bearer upstream-${before + 2}`);
  });

  it('never exchanges an API key: the tool error says what the caller needs', async () => {
    const before = exchanges.length;
    const r = await callMe('bot-key-0123456789');
    expect(r.isError).toBe(true);
    expect(r.text).toContain('the caller must sign in with an OAuth access token');
    expect(exchanges.length).toBe(before);
  });

  it('a refused exchange is a tool error naming the answer, never the token, and nothing goes upstream', async () => {
    const calls = upstream.length;
    const refused = await sign('refused');
    const r = await callMe(refused);
    expect(r).toEqual({
      isError: true,
      text: "Cannot call me: could not exchange the caller's token for oauth: the token endpoint answered 400 (invalid_grant)."
    });
    expect(upstream.length).toBe(calls);
    // Not cached: the next call asks again.
    const before = exchanges.length;
    await callMe(refused);
    expect(exchanges.length).toBe(before + 1);
  });
});

describe('token exchange at build', () => {
  it('needs auth.oauth on the server', async () => {
    const dir = mkdtempSync(join(tmp, 'b-'));
    writeFileSync(
      join(dir, 'api.json'),
      JSON.stringify({ openapi: '3.0.3', info: { title: 'x', version: '1' }, servers: [{ url: 'https://x.example' }], paths: {} })
    );
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      'server: { name: s, version: "1" }\nsources:\n  x:\n    openapi: ./api.json\n    auth:\n      o: { tokenExchange: { clientId: a, clientSecret: b } }\n'
    );
    const r = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.pointer}`)).toEqual([
      'MCPGEN_AUTH /sources/x/auth/o/tokenExchange'
    ]);
  });
});
