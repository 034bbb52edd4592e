import { createHash } from 'node:crypto';
import type { ClientCredentialsIR, TokenExchangeIR } from './ir.js';
import { interpolateEnv } from '../../env.js';

interface Cached {
  token: string;
  expires: number;
}

/** Refresh this long before the server says a token expires, so no call carries one that is about to lapse. */
const MARGIN_MS = 30_000;
/** Exchanged tokens are per caller: at most this many are kept (the oldest go first). */
const MAX_CACHED = 10_000;
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

const resolver = (env: NodeJS.ProcessEnv) => (v: string) => {
  const r = interpolateEnv(v, env);
  if (r.missing.length > 0) throw new Error(`${r.missing.join(', ')} is not set`);
  return r.value;
};
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** OAuth2 client-credentials tokens: fetched on first use, cached per client and scopes, refreshed before expiry. */
export class TokenCache {
  private readonly cache = new Map<string, Cached | Promise<Cached>>();

  async token(
    credentials: ClientCredentialsIR,
    defaultTokenUrl: string | undefined,
    env: NodeJS.ProcessEnv,
    signal: AbortSignal
  ): Promise<string> {
    const resolve = resolver(env);
    const tokenUrl = credentials.tokenUrl ? resolve(credentials.tokenUrl) : defaultTokenUrl;
    if (!tokenUrl) throw new Error('no token URL: set tokenUrl, or declare a clientCredentials flow in the document');
    const clientId = resolve(credentials.clientId);
    const scopes = credentials.scopes ?? [];
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}) });
    return this.cached(`${tokenUrl} ${clientId} ${scopes.join(' ')}`, () =>
      this.fetch(tokenUrl, basic(clientId, resolve(credentials.clientSecret)), body, signal)
    );
  }

  /**
   * RFC 8693: `subject` (the caller's access token) exchanged for a token meant for the upstream, cached per caller
   * (by a hash of its token, never the token) until it expires. Neither token is ever logged or put in an error.
   */
  async exchanged(
    settings: TokenExchangeIR['tokenExchange'],
    defaultTokenUrl: string | undefined,
    subject: string,
    env: NodeJS.ProcessEnv,
    signal: AbortSignal
  ): Promise<string> {
    const resolve = resolver(env);
    const tokenUrl = settings.tokenUrl ? resolve(settings.tokenUrl) : defaultTokenUrl;
    if (!tokenUrl) throw new Error('no token URL: set tokenExchange.tokenUrl');
    const clientId = resolve(settings.clientId);
    const audience = settings.audience && resolve(settings.audience);
    const resource = settings.resource && resolve(settings.resource);
    const scopes = settings.scopes ?? [];
    const body = new URLSearchParams({
      grant_type: EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN,
      requested_token_type: ACCESS_TOKEN,
      ...(audience ? { audience } : {}),
      ...(resource ? { resource } : {}),
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {})
    });
    const caller = createHash('sha256').update(subject).digest('base64url');
    return this.cached(`exchange ${tokenUrl} ${clientId} ${audience ?? ''} ${resource ?? ''} ${scopes.join(' ')} ${caller}`, () =>
      this.fetch(tokenUrl, basic(clientId, resolve(settings.clientSecret)), body, signal)
    );
  }

  private async cached(key: string, fetchToken: () => Promise<Cached>): Promise<string> {
    const hit = this.cache.get(key);
    if (hit && !(hit instanceof Promise) && hit.expires > Date.now()) return hit.token;
    if (hit instanceof Promise) return (await hit).token;
    const pending = fetchToken();
    this.cache.set(key, pending);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    try {
      const fresh = await pending;
      this.cache.set(key, fresh);
      return fresh.token;
    } catch (e) {
      this.cache.delete(key);
      throw e;
    }
  }

  /** A refused token (401 from the API) is dropped so the next call fetches a new one. */
  forget(): void {
    this.cache.clear();
  }

  private async fetch(url: string, authorization: string, body: URLSearchParams, signal: AbortSignal): Promise<Cached> {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json'
      },
      body,
      signal
    });
    const json = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string };
    if (!response.ok || typeof json.access_token !== 'string')
      throw new Error(`the token endpoint answered ${response.status}${json.error ? ` (${json.error})` : ''}`);
    const lifetime = typeof json.expires_in === 'number' ? json.expires_in * 1000 : 3_600_000;
    return { token: json.access_token, expires: Date.now() + Math.max(lifetime - MARGIN_MS, 0) };
  }
}
