/**
 * The auth fixture (test/fixtures/auth) served over HTTP in process, with a local JWKS and a JWT minter: the
 * target of the auth-bypass, DNS-rebinding and hidden-entry suites.
 */
import { cpSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { createLogger } from '../../runtime/log.js';
import { createHttpServer, type HttpOptions, type HttpServer } from '../../runtime/transports/http.js';
import { cleanupTemp, tempDir } from '../helpers/e2e-server.js';
import { createCore } from '../../runtime/serve.js';

export const ENV = { CI_BOT_KEY: 'ci-key-0f3a9', ADMIN_KEY: 'admin-key-77c1e' };
export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'https://mcp.example.test/mcp';

export interface Secured {
  readonly url: string;
  readonly http: HttpServer;
  readonly jwksUrl: string;
  readonly privateKey: CryptoKey;
  /** A JWT from the test issuer (RS256, kid k1), valid unless `claims`/`header` say otherwise. */
  token(
    claims?: Record<string, unknown>,
    options?: { exp?: string | number; key?: CryptoKey | Uint8Array; header?: Record<string, unknown> }
  ): Promise<string>;
  close(): Promise<void>;
}

const listen = (server: Server) =>
  new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

export async function startSecured(transport: Partial<HttpOptions> = {}): Promise<Secured> {
  const pair = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const jwks = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }))
  );
  const jwksUrl = `${await listen(jwks)}/jwks`;
  const project = join(tempDir('mcpgen-hostile-'), 'auth');
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
  const core = await createCore(loaded, { env: { ...process.env, ...ENV }, log: createLogger('error', () => {}) });
  const http = createHttpServer(core, { ...loaded.artifact.transport, port: 0, ...transport });
  const url = await http.listen();
  return {
    url,
    http,
    jwksUrl,
    privateKey: pair.privateKey,
    token: (claims = {}, options = {}) =>
      new SignJWT({ scope: 'read', tenant_id: 'globex', iss: ISSUER, aud: AUDIENCE, sub: 'alice', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1', ...options.header } as { alg: string })
        .setIssuedAt()
        .setExpirationTime(options.exp ?? '5m')
        .sign(options.key ?? pair.privateKey),
    close: async () => {
      await http.close(100);
      core.close();
      jwks.close();
      cleanupTemp();
    }
  };
}
