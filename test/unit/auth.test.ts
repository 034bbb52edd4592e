/**
 * Authentication and authorization units: API keys, JWT checks with configured keys, the authenticator's
 * challenges and metadata, claim injection, per-principal credential references, scope-filtered lists, stdio
 * keys, and the build's checks of auth:, scopes: and fromAuth:.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { AuthIR } from '../../runtime/artifact/ir.js';
import type { McpCore } from '../../runtime/core/server.js';
import { createLogger } from '../../runtime/log.js';
import { ApiKeys } from '../../runtime/security/auth/api-keys.js';
import { claimOf, injectClaims, missingScopes } from '../../runtime/core/access.js';
import { Authenticator, AuthSetupError } from '../../runtime/security/auth/authenticator.js';
import { resolvePrincipalReferences } from '../../runtime/security/auth/references.js';
import { serveStdio } from '../../runtime/transports/stdio.js';
import { createHttpServer } from '../../runtime/transports/http.js';
import { createCore } from '../../runtime/serve.js';

const log = createLogger('error');
const admin = { name: 'admin', scopes: ['read', 'admin'], claims: { tenant: { id: 'acme', n: 7 } } };

function manifest(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-auth-'));
  writeFileSync(join(dir, 'mcp-gen.yaml'), `server: { name: s, version: 1.0.0 }\n${text}`);
  return join(dir, 'mcp-gen.yaml');
}

async function diagnostics(text: string): Promise<string[]> {
  const result = await build({ manifest: manifest(text), env: {} });
  return result.diagnostics.map((d) => `${d.code} ${d.severity} ${d.pointer}: ${d.message}`);
}

describe('API keys', () => {
  it('matches keys from ${VAR} references and literal keys, and nothing else', () => {
    const keys = new ApiKeys(
      [
        { name: 'a', key: '${A_KEY}', scopes: ['read'] },
        { name: 'b', sha256: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8', scopes: [] },
        { name: 'c', key: '${UNSET_KEY}', scopes: [] }
      ],
      { A_KEY: 'alpha' }
    );
    const given: [string, string | undefined][] = [
      ['alpha', 'a'],
      ['password', 'b'],
      ['alph', undefined],
      ['alpha ', undefined],
      ['', undefined],
      ['${A_KEY}', undefined],
      ['${UNSET_KEY}', undefined]
    ];
    for (const [token, want] of given) expect(keys.match(token)?.name, token).toBe(want);
    expect(keys.size).toBe(2);
    expect(keys.unset).toEqual(['c (UNSET_KEY)']);
  });
});

describe('JWT access tokens with configured keys', () => {
  it('verifies against inline JWKs and maps sub, scope/scp and claims to the principal', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const ir: AuthIR = {
      apiKeys: [],
      oauth: {
        issuer: 'https://as.test',
        audience: 'https://rs.test/',
        keys: [{ ...(await exportJWK(publicKey)), kid: 'e1' }],
        algorithms: ['ES256'],
        clockToleranceSeconds: 0
      },
      scopes: ['read']
    };
    const auth = new Authenticator(ir, {}, log);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ iss: 'https://as.test', aud: 'https://rs.test/', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'e1' })
        .setExpirationTime('1m')
        .sign(privateKey);
    const ok = await auth.authenticate(`Bearer ${await sign({ sub: 'bob', scope: 'read write', scp: ['extra'], org: { id: 3 } })}`);
    expect(ok).toEqual({ principal: expect.objectContaining({ name: 'bob', scopes: ['read', 'write', 'extra'] }) });
    expect(claimOf((ok as { principal: typeof admin }).principal, 'claims.org.id')).toBe(3);
    expect(await auth.authenticate(`Bearer ${await sign({ client_id: 'svc' })}`)).toEqual({
      principal: expect.objectContaining({ name: 'svc', scopes: [] })
    });
    expect(await auth.authenticate(`Bearer ${await sign({})}`)).toEqual({ principal: expect.objectContaining({ name: 'token' }) });
    expect(await auth.authenticate('Bearer a.b.c')).toEqual({ reason: 'the token is not a valid JWT access token' });
    expect(await auth.authenticate(undefined)).toEqual({ reason: undefined });
    expect(await auth.authenticate('Token x')).toEqual({ reason: 'the Authorization header must be "Bearer <token>"' });
    // The resource URL is the audience; its path is '/', so the metadata lives at the root well-known URL.
    expect(auth.metadataUrl(auth.resource('ignored', '/mcp'))).toBe('https://rs.test/.well-known/oauth-protected-resource');
  });

  it('answers tokens with an internal error, and logs once, when the token verifier cannot be set up', async () => {
    const errors: string[] = [];
    const auth = new Authenticator(
      {
        apiKeys: [],
        oauth: {
          issuer: 'i',
          audience: 'https://rs.test/mcp',
          keys: 'not a key set' as never,
          algorithms: ['RS256'],
          clockToleranceSeconds: 0
        },
        scopes: []
      },
      {},
      { ...log, error: (m: string) => errors.push(m) }
    );
    for (let i = 0; i < 3; i++)
      await expect(auth.authenticate('Bearer a.b.c')).rejects.toMatchObject({
        name: 'internalError',
        message: expect.stringContaining('access tokens cannot be verified')
      });
    expect(errors).toEqual([expect.stringContaining('auth: the OAuth token verifier could not be set up: JSON Web Key Set malformed')]);
  });

  it('reports unreachable issuer keys as a refusal and a server warning', async () => {
    const warnings: string[] = [];
    const auth = new Authenticator(
      {
        apiKeys: [],
        oauth: {
          issuer: 'i',
          audience: 'https://rs.test/mcp',
          jwksUri: 'http://127.0.0.1:9/jwks',
          algorithms: ['RS256'],
          clockToleranceSeconds: 0
        },
        scopes: []
      },
      {},
      { ...log, warn: (m: string) => warnings.push(m) }
    );
    const { privateKey } = await generateKeyPair('RS256');
    const t = await new SignJWT({ iss: 'i', aud: 'https://rs.test/mcp' })
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime('1m')
      .sign(privateKey);
    expect(await auth.authenticate(`Bearer ${t}`)).toEqual({ reason: 'the issuer keys could not be fetched' });
    expect(warnings.join()).toMatch(/127\.0\.0\.1:9/);
    expect(auth.challenge('https://rs.test/mcp')).toBe(
      'Bearer resource_metadata="https://rs.test/.well-known/oauth-protected-resource/mcp"'
    );
  });
});

describe('authorization helpers', () => {
  it('finds missing scopes; a trusted caller (no principal) lacks none', () => {
    expect(missingScopes(admin, ['admin', 'write'])).toEqual(['write']);
    expect(missingScopes(admin, undefined)).toEqual([]);
    expect(missingScopes(undefined, ['admin'])).toEqual([]);
  });

  it("injects claims over the model's values, and explains a missing claim", () => {
    const args: Record<string, unknown> = { t: 'evil', n: 1 };
    expect(injectClaims('x', args, { t: 'claims.tenant.id', who: 'name' }, admin)).toBeUndefined();
    expect(args).toEqual({ t: 'acme', who: 'admin', n: 1 });
    expect(injectClaims('x', { t: 'evil' }, { t: 'claims.nope' }, admin)).toMatch(/do not carry/);
    expect(injectClaims('x', { t: 'evil' }, { t: 'claims.tenant.id.deeper' }, admin)).toMatch(/do not carry/);
    expect(injectClaims('x', {}, { t: 'name' }, undefined)).toMatch(/no authenticated caller/);
  });

  it('resolves ${auth.…} references from the caller only', () => {
    expect(resolvePrincipalReferences('tok-${auth.claims.tenant.id}-${auth.name}-${auth.claims.tenant.n}', admin)).toEqual({
      value: 'tok-acme-admin-7',
      missing: []
    });
    expect(resolvePrincipalReferences('${auth.claims.tenant}', admin)).toEqual({ value: '', missing: ['auth.claims.tenant'] });
    expect(resolvePrincipalReferences('${auth.name}', undefined).missing).toEqual(['auth.name']);
    expect(resolvePrincipalReferences('plain', undefined)).toEqual({ value: 'plain', missing: [] });
  });
});

describe('build checks', () => {
  it('stores API keys as references or hashes, never in clear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-auth-out-'));
    const result = await build({
      manifest: manifest(
        'auth:\n  apiKeys:\n    - { name: lit, key: literal-secret-123 }\n    - { name: ref, key: ' +
          '"${REF_KEY}" }\ntools:\n  - { name: t, description: d, template: x }\n'
      ),
      outDir: dir,
      env: { REF_KEY: 'ref-secret-456' }
    });
    const text = result.files.get('artifact.json')!;
    expect(text).not.toContain('literal-secret-123');
    expect(text).not.toContain('ref-secret-456');
    expect(result.artifact!.auth!.apiKeys).toEqual([
      { name: 'lit', sha256: createHash('sha256').update('literal-secret-123').digest('hex'), scopes: [] },
      { name: 'ref', key: '${REF_KEY}', scopes: [] }
    ]);
  });

  it('reports fromAuth on unknown arguments, duplicate key names, private keys, stdio without keys, dynamic sources', async () => {
    const found = await diagnostics(`auth:
  apiKeys:
    - { name: a, key: one }
    - { name: a, key: two }
  oauth: { issuer: i, audience: "https://rs.test/mcp", keys: [{ kty: RSA, n: x, e: AQAB, d: secret }] }
tools:
  - name: t
    description: d
    template: x
    fromAuth: { nope: claims.x }
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^MCPGEN_AUTH error \/auth\/apiKeys\/1\/name: duplicate API key name "a"/),
        expect.stringMatching(/^MCPGEN_AUTH error \/auth\/oauth\/keys\/0: .*private or symmetric/),
        expect.stringMatching(/^MCPGEN_AUTH error \/tools\/0\/fromAuth\/nope: fromAuth names "nope"/)
      ])
    );
    expect(
      await diagnostics(
        'auth:\n  oauth: { issuer: i, audience: "https://rs.test/mcp", jwksUri: "https://as.test/jwks" }\n  stdio: { apiKeyEnv: K }\n'
      )
    ).toEqual([expect.stringMatching(/^MCPGEN_AUTH error \/auth\/stdio\/apiKeyEnv: auth.stdio.apiKeyEnv needs auth.apiKeys/)]);
  });

  it('refuses fromAuth: on a mode: dynamic source (its operations are not tools of their own)', async () => {
    const path = manifest(
      'auth:\n  apiKeys: [{ name: a, key: k }]\nsources:\n  api: { openapi: api.yaml, baseUrl: ' +
        '"http://127.0.0.1:9", mode: dynamic, fromAuth: { tenant: claims.t } }\n'
    );
    writeFileSync(
      join(path, '..', 'api.yaml'),
      'openapi: 3.0.3\ninfo: { title: A, version: "1" }\npaths:\n  /x:\n    get:\n      operationId: ' +
        'getX\n      parameters: [{ name: tenant, in: header, schema: { type: string } }]\n      ' +
        'responses: { "200": { description: ok } }\n'
    );
    const found = (await build({ manifest: path, env: {} })).diagnostics.map((d) => `${d.code} ${d.pointer}: ${d.message}`);
    expect(found).toContainEqual(
      expect.stringMatching(/^MCPGEN_AUTH \/sources\/api\/fromAuth: fromAuth: is not supported on a mode: dynamic source/)
    );
  });

  it('warns that scopes without auth: do nothing, and refuses bad auth: shapes', async () => {
    expect(await diagnostics('tools:\n  - { name: t, description: d, template: x, scopes: [admin] }\n')).toEqual([
      expect.stringMatching(/^MCPGEN_AUTH warning \/tools\/0: scopes: and fromAuth: take effect only with/)
    ]);
    const bad = await diagnostics('auth:\n  oauth: { issuer: i, audience: rs, jwksUri: "https://as.test/jwks", algorithms: [HS256] }\n');
    expect(bad.join('\n')).toMatch(/\/auth\/oauth\/audience/);
    expect(bad.join('\n')).toMatch(/\/auth\/oauth\/algorithms\/0/);
    expect((await diagnostics('auth: {}\n')).join('\n')).toMatch(/\/auth/);
  });
});

describe('stdio and HTTP start-up', () => {
  const artifactWith = async (auth: string, env: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-auth-out-'));
    const result = await build({
      manifest: manifest(
        `${auth}tools:\n  - { name: open, description: d, template: x }\n  - { name: closed, ` +
          `description: d, template: y, scopes: [admin] }\n`
      ),
      outDir: dir,
      env
    });
    await writeArtifact(result);
    return createCore(await loadArtifact(dir), { log, env });
  };
  const names = async (core: McpCore, env: Record<string, string>) => {
    const input = new PassThrough();
    const output = new PassThrough();
    const server = serveStdio(core, input, output, env);
    input.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } }
      }) + '\n'
    );
    await server.closed;
    return (JSON.parse(String(output.read())).result.tools as { name: string }[]).map((t) => t.name);
  };

  it('trusts stdio by default, and otherwise requires a valid key from the environment', async () => {
    const keys =
      'auth:\n  apiKeys:\n    - { name: bot, key: "${BOT}", scopes: [read] }\n    - { name: root, key: "${ROOT}", scopes: [admin] }\n';
    expect(await names(await artifactWith(keys, { BOT: 'b', ROOT: 'r' }), {})).toEqual(['open', 'closed']);
    const strict = await artifactWith(`${keys}  stdio: { apiKeyEnv: MY_KEY }\n`, { BOT: 'b', ROOT: 'r' });
    expect(await names(strict, { MY_KEY: 'b' })).toEqual(['open']);
    expect(await names(strict, { MY_KEY: 'r' })).toEqual(['open', 'closed']);
    expect(() => serveStdio(strict, new PassThrough(), new PassThrough(), {})).toThrow(/set MY_KEY/);
    expect(() => serveStdio(strict, new PassThrough(), new PassThrough(), { MY_KEY: 'x' })).toThrow(AuthSetupError);
  });

  it('refuses to serve HTTP while an API key variable is unset', async () => {
    const core = await artifactWith('auth:\n  apiKeys:\n    - { name: bot, key: "${NOT_SET_HERE}" }\n', {});
    expect(() =>
      createHttpServer(core, {
        host: '127.0.0.1',
        port: 0,
        path: '/mcp',
        allowedHosts: [],
        allowedOrigins: [],
        maxBodyBytes: 1000,
        maxSessions: 1,
        sessionIdleSeconds: 1
      })
    ).toThrow(/bot \(NOT_SET_HERE\)/);
  });
});
