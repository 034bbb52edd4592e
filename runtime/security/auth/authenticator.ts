import type { AuthIR } from '../../artifact/ir.js';
import { ArtifactError } from '../../artifact/load.js';
import type { Principal } from '../../core/context.js';
import type { Authentication, AuthOutcome } from '../../core/security.js';
import type { Logger } from '../../log.js';
import { RpcError } from '../../core/errors.js';
import { ApiKeys } from './api-keys.js';
import type * as Jwt from './jwt.js';

export const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** A setting the server cannot start with (a key whose variable is unset, a stdio key that matches nothing). */
export class AuthSetupError extends ArtifactError {}

/**
 * Authentication from `auth:`: bearer API keys and OAuth 2.1 JWT access tokens, the RFC 9728 protected
 * resource metadata, and the WWW-Authenticate challenges that point clients at it.
 */
export class Authenticator implements Authentication {
  readonly apiKeys: ApiKeys;
  /** Loaded only with `oauth:`: jose costs ~70 ms of start-up that API-key and open servers should not pay. */
  private readonly jwt: Promise<{ readonly verifier: Jwt.JwtVerifier; readonly module: typeof Jwt }> | undefined;

  constructor(
    readonly ir: AuthIR,
    env: NodeJS.ProcessEnv,
    private readonly log: Logger
  ) {
    this.apiKeys = new ApiKeys(ir.apiKeys, env);
    const oauth = ir.oauth;
    // A malformed JWKS URL is a start-up error, as it was when the verifier was built here.
    if (oauth?.jwksUri !== undefined) new URL(oauth.jwksUri);
    this.jwt = oauth ? import('./jwt.js').then((module) => ({ verifier: new module.JwtVerifier(oauth), module })) : undefined;
    // A set-up that fails (keys jose refuses, jose missing) is the operator's problem: said once here, and each
    // token then gets an internal error instead of a rejection nobody handles.
    this.jwt?.catch((e: Error) => log.error(`auth: the OAuth token verifier could not be set up: ${e.message}`));
  }

  /** Refuses to serve with API keys whose variables are unset (their holders would be locked out silently). */
  checkReady(): void {
    if (this.apiKeys.unset.length > 0)
      throw new AuthSetupError(`auth.apiKeys: the key of ${this.apiKeys.unset.join(', ')} is not set in the environment`);
  }

  /** `Authorization: Bearer <token>`: an API key, else (with oauth:) a JWT access token. */
  async authenticate(authorization: string | undefined): Promise<AuthOutcome> {
    if (authorization === undefined || authorization.trim() === '') return { reason: undefined };
    const m = /^Bearer +([\x21-\x7e]+)\s*$/i.exec(authorization);
    if (!m) return { reason: 'the Authorization header must be "Bearer <token>"' };
    const token = m[1]!;
    const byKey = this.apiKeys.match(token);
    if (byKey) return { principal: byKey };
    if (!this.jwt) return { reason: 'the token is not valid' };
    const { verifier, module } = await this.jwt.catch(() => {
      throw new RpcError('internalError', 'Internal error: access tokens cannot be verified (the server log says why)');
    });
    try {
      return { principal: await verifier.verify(token) };
    } catch (e) {
      const reason = e instanceof module.TokenRejected ? e.message : 'the token is not valid';
      if (reason === module.KEYS_UNAVAILABLE)
        this.log.warn(`auth: ${module.KEYS_UNAVAILABLE} from ${this.ir.oauth?.jwksUri ?? 'the configured keys'}`);
      return { reason };
    }
  }

  /** stdio: trusted (undefined) unless auth.stdio names the variable that must hold one of the API keys. */
  stdioPrincipal(env: NodeJS.ProcessEnv): Principal | undefined {
    const name = this.ir.stdio?.apiKeyEnv;
    if (name === undefined) return undefined;
    const key = env[name];
    if (key === undefined || key === '')
      throw new AuthSetupError(`this server requires an API key on stdio: set ${name} to one of auth.apiKeys`);
    const principal = this.apiKeys.match(key);
    if (!principal) throw new AuthSetupError(`the API key in ${name} is not one of auth.apiKeys`);
    return principal;
  }

  /** This server's resource URL: the OAuth audience, else the URL the client used. */
  resource(host: string | undefined, path: string): string {
    return this.ir.oauth?.audience ?? `http://${host ?? 'localhost'}${path}`;
  }

  /** RFC 9728 §3.1: the well-known segment goes between the host and the resource's path. */
  metadataUrl(resource: string): string {
    const url = new URL(resource);
    return `${url.origin}${WELL_KNOWN}${url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '')}`;
  }

  /** Paths the metadata is served at: the root, the endpoint's path-aware URL and, with OAuth, the audience's. */
  metadataPaths(path: string): Set<string> {
    const paths = new Set([WELL_KNOWN, `${WELL_KNOWN}${path}`]);
    if (this.ir.oauth) paths.add(new URL(this.metadataUrl(this.ir.oauth.audience)).pathname);
    return paths;
  }

  /** The RFC 9728 protected resource metadata document. */
  metadata(resource: string, serverName: string): Record<string, unknown> {
    return {
      resource,
      ...(this.ir.oauth ? { authorization_servers: [this.ir.oauth.issuer] } : {}),
      ...(this.ir.scopes.length > 0 ? { scopes_supported: this.ir.scopes } : {}),
      bearer_methods_supported: ['header'],
      ...(this.ir.oauth ? { resource_signing_alg_values_supported: this.ir.oauth.algorithms } : {}),
      resource_name: serverName
    };
  }

  /** `WWW-Authenticate` for a 401 (no or bad token) or a 403 (`insufficient_scope`, naming every required scope). */
  challenge(
    resource: string,
    problem: { error?: 'invalid_token' | 'insufficient_scope'; description?: string; scopes?: readonly string[] } = {}
  ): string {
    const scopes = problem.scopes ?? this.ir.scopes;
    const parts = [`resource_metadata="${this.metadataUrl(resource)}"`];
    if (scopes.length > 0) parts.push(`scope="${scopes.join(' ')}"`);
    if (problem.error) parts.push(`error="${problem.error}"`);
    if (problem.description) parts.push(`error_description="${problem.description.replace(/["\\]/g, '')}"`);
    return `Bearer ${parts.join(', ')}`;
  }
}
