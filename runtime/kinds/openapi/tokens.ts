import type { ClientCredentialsIR } from './ir.js';
import { interpolateEnv } from '../../env.js';

interface Cached {
  token: string;
  expires: number;
}

/** Refresh this long before the server says a token expires, so no call carries one that is about to lapse. */
const MARGIN_MS = 30_000;

/** OAuth2 client-credentials tokens: fetched on first use, cached per client and scopes, refreshed before expiry. */
export class TokenCache {
  private readonly cache = new Map<string, Cached | Promise<Cached>>();

  async token(
    credentials: ClientCredentialsIR,
    defaultTokenUrl: string | undefined,
    env: NodeJS.ProcessEnv,
    signal: AbortSignal
  ): Promise<string> {
    const resolve = (v: string) => {
      const r = interpolateEnv(v, env);
      if (r.missing.length > 0) throw new Error(`${r.missing.join(', ')} is not set`);
      return r.value;
    };
    const tokenUrl = credentials.tokenUrl ? resolve(credentials.tokenUrl) : defaultTokenUrl;
    if (!tokenUrl) throw new Error('no token URL: set tokenUrl, or declare a clientCredentials flow in the document');
    const clientId = resolve(credentials.clientId);
    const key = `${tokenUrl} ${clientId} ${(credentials.scopes ?? []).join(' ')}`;
    const hit = this.cache.get(key);
    if (hit && !(hit instanceof Promise) && hit.expires > Date.now()) return hit.token;
    if (hit instanceof Promise) return (await hit).token;
    const pending = this.fetch(tokenUrl, clientId, resolve(credentials.clientSecret), credentials.scopes ?? [], signal);
    this.cache.set(key, pending);
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

  private async fetch(url: string, clientId: string, secret: string, scopes: readonly string[], signal: AbortSignal): Promise<Cached> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}) });
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
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
