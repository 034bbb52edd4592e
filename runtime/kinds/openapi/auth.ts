import type { ClientCredentialsIR, OpenApiSourceIR as SourceIR, SecuritySchemeIR, TokenExchangeIR } from './ir.js';
import { interpolateEnv } from '../../env.js';
import type { TokenCache } from './tokens.js';
import type { Principal } from '../../core/context.js';
import { resolvePrincipalReferences } from '../../security/auth/references.js';

export interface Credentials {
  headers: Record<string, string>;
  query: [string, string][];
  cookies: string[];
}

type Configured = string | ClientCredentialsIR | TokenExchangeIR;

/** The caller as far as credentials go: its principal, and its access token when token exchange needs it. */
export interface Caller {
  readonly principal?: Principal;
  /** The bearer token the caller signed in with, only when it is an OAuth access token (never an API key). */
  readonly subjectToken?: string;
}

/**
 * What `auth:` holds for a scheme, `${VAR}` resolved now (never stored resolved); else what to do about it
 * (`need`: which variable to set or claim the caller lacks), for the tool error.
 */
function configured(
  source: SourceIR,
  scheme: string,
  env: NodeJS.ProcessEnv,
  caller: Caller,
  sourceName: string
): { value: Configured } | { need: string } {
  const raw = source.auth[scheme];
  if (raw === undefined) return { need: `add it under auth: of source "${sourceName}"` };
  if (typeof raw === 'string') return resolved(raw, env, caller.principal);
  // Client credentials count as configured only when their id and secret resolve (else try the next alternative);
  // a token exchange also needs the caller's own access token.
  const client = 'tokenExchange' in raw ? raw.tokenExchange : raw;
  const needs = [client.clientId, client.clientSecret].map((v) => resolved(v, env, undefined)).filter((r) => 'need' in r);
  if (needs.length > 0) return { need: needs.map((r) => r.need).join(' and ') };
  if ('tokenExchange' in raw && caller.subjectToken === undefined)
    return { need: 'the caller must sign in with an OAuth access token (auth.oauth) to have it exchanged' };
  return { value: raw };
}

/** `${VAR}` first, then the caller's `${auth.…}` references (per-principal credentials; see docs/security.md). */
function resolved(raw: string, env: NodeJS.ProcessEnv, principal: Principal | undefined): { value: string } | { need: string } {
  const fromEnv = interpolateEnv(raw, env);
  if (fromEnv.missing.length > 0) return { need: `set the environment variable ${fromEnv.missing.join(', ')}` };
  const { value, missing } = resolvePrincipalReferences(fromEnv.value, principal);
  if (missing.length > 0) return { need: `the caller's credentials carry no ${missing.map((m) => m.replace(/^auth\./, '')).join(', ')}` };
  return value === '' ? { need: `the value of ${JSON.stringify(raw)} is empty` } : { value };
}

function apply(out: Credentials, scheme: SecuritySchemeIR, value: string): void {
  if (scheme.type === 'apiKey' && scheme.name) {
    if (scheme.in === 'query') out.query.push([scheme.name, value]);
    else if (scheme.in === 'cookie') out.cookies.push(`${scheme.name}=${encodeURIComponent(value)}`);
    else out.headers[scheme.name.toLowerCase()] = value;
  } else if (scheme.type === 'http' && scheme.scheme === 'basic') {
    out.headers.authorization = `Basic ${value.includes(':') ? Buffer.from(value).toString('base64') : value}`;
  } else {
    // http bearer, oauth2 and openIdConnect: an access token sent as a bearer token.
    out.headers.authorization = `Bearer ${value}`;
  }
}

/**
 * Credentials for one call: the first alternative of the operation's security requirements whose schemes all
 * have a configured value (AND within an alternative, OR across them). OAuth2 client credentials are exchanged
 * for a (cached) token here.
 */
export async function credentialsFor(
  source: SourceIR,
  security: readonly (readonly string[])[],
  env: NodeJS.ProcessEnv,
  tokens: TokenCache,
  signal: AbortSignal,
  caller: Caller = {},
  sourceName = 'this source'
): Promise<Credentials | { missing: string[]; remedy: string } | { failed: string }> {
  const out: Credentials = { headers: {}, query: [], cookies: [] };
  if (security.length === 0 || security.some((alt) => alt.length === 0)) return out;
  const missing: string[] = [];
  const remedies: string[] = [];
  for (const alternative of security) {
    const values = alternative.map((name) => [name, configured(source, name, env, caller, sourceName)] as const);
    const absent = values.flatMap(([n, v]) => ('need' in v ? [[n, v.need] as const] : []));
    if (absent.length > 0) {
      missing.push(...absent.map(([n]) => n));
      remedies.push(absent.map(([n, need]) => `${n}: ${need}`).join(', and '));
      continue;
    }
    for (const [name, found] of values) {
      const scheme = source.schemes[name];
      if (!scheme || !('value' in found)) continue;
      const value = found.value;
      try {
        const token =
          typeof value === 'string'
            ? value
            : 'tokenExchange' in value
              ? await tokens.exchanged(value.tokenExchange, scheme.tokenUrl, caller.subjectToken!, env, signal)
              : await tokens.token(value, scheme.tokenUrl, env, signal);
        apply(out, scheme, token);
      } catch (e) {
        const what = typeof value === 'object' && 'tokenExchange' in value ? "exchange the caller's token" : 'get an OAuth2 token';
        return { failed: `could not ${what} for ${name}: ${(e as Error).message}` };
      }
    }
    return out;
  }
  return { missing: [...new Set(missing)], remedy: [...new Set(remedies)].join('; or ') };
}
