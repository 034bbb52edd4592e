import { createHash } from 'node:crypto';
import type { ApiKeyIR, Artifact, AuthIR, OAuthIR } from '../../runtime/artifact/ir.js';
import { hasEnvReference } from '../../runtime/env.js';
import type { LowerContext } from './context.js';
import { baseDefault } from '../validate/defaults.js';
import { obj, type Obj } from '../plain.js';

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

/**
 * `auth:` → IR: API keys stored as references or hashes only, and every scope the entries use (their
 * `scopes:` and `fromAuth:` are settled while each is lowered, see access.ts).
 */
export function lowerSecurity(artifact: Artifact, ctx: LowerContext): Artifact {
  const { tools, resources, resourceTemplates, prompts } = artifact;
  const used = new Set([tools, resources, resourceTemplates, prompts].flatMap((list) => list.flatMap((e) => e.scopes ?? [])));
  const auth = lowerAuth(ctx, used);
  if (!auth) {
    const first = [...tools, ...resources, ...resourceTemplates, ...prompts].find((e) => e.scopes || ('fromAuth' in e && e.fromAuth));
    if (first)
      ctx.warn(
        'MCPGEN_AUTH',
        'scopes: and fromAuth: take effect only with a top-level auth: (without it every caller is ' +
          'trusted and claim-filled arguments stay empty)',
        first.at.pointer
      );
  }
  return auth ? { ...artifact, auth } : artifact;
}

function lowerAuth(ctx: LowerContext, used: Set<string>): AuthIR | undefined {
  const value = obj(obj(ctx.manifest.value).auth);
  const raw = obj(obj(ctx.manifest.raw).auth);
  if (Object.keys(value).length === 0) return undefined;
  const rawKeys = (raw.apiKeys ?? []) as unknown[];
  const names = new Map<string, number>();
  const apiKeys: ApiKeyIR[] = ((value.apiKeys ?? []) as unknown[]).map((k, i) => {
    const key = obj(k);
    const name = String(key.name);
    if (names.has(name))
      ctx.error('MCPGEN_AUTH', `duplicate API key name "${name}" (first at /auth/apiKeys/${names.get(name)})`, `/auth/apiKeys/${i}/name`);
    names.set(name, i);
    const written = String(obj(rawKeys[i]).key ?? '');
    const scopes = strings(key.scopes) ?? [];
    for (const s of scopes) used.add(s);
    // A reference stays a reference (resolved at start); a key written out is stored as its hash only.
    const secret = hasEnvReference(written) ? { key: written } : { sha256: createHash('sha256').update(written).digest('hex') };
    return { name, ...secret, scopes, ...(key.claims ? { claims: obj(key.claims) } : {}) };
  });
  const o = obj(value.oauth);
  const oauth: OAuthIR | undefined = value.oauth
    ? {
        issuer: String(o.issuer),
        audience: String(o.audience),
        ...(typeof o.jwksUri === 'string' ? { jwksUri: o.jwksUri } : {}),
        ...(Array.isArray(o.keys) ? { keys: o.keys.map(publicJwk(ctx)) } : {}),
        algorithms: strings(o.algorithms) ?? baseDefault<string[]>('oauth', 'algorithms'),
        clockToleranceSeconds:
          typeof o.clockToleranceSeconds === 'number' ? o.clockToleranceSeconds : baseDefault<number>('oauth', 'clockToleranceSeconds')
      }
    : undefined;
  const stdio = obj(value.stdio);
  if (typeof stdio.apiKeyEnv === 'string' && apiKeys.length === 0) {
    ctx.error(
      'MCPGEN_AUTH',
      'auth.stdio.apiKeyEnv needs auth.apiKeys: the key in the environment must be one of them',
      '/auth/stdio/apiKeyEnv'
    );
  }
  return {
    apiKeys,
    ...(oauth ? { oauth } : {}),
    ...(typeof stdio.apiKeyEnv === 'string' ? { stdio: { apiKeyEnv: stdio.apiKeyEnv } } : {}),
    scopes: [...used].sort()
  };
}

/** Only public key material belongs in the artifact: a private or symmetric key in `keys:` is refused. */
function publicJwk(ctx: LowerContext) {
  return (k: unknown, i: number): Obj => {
    const jwk = obj(k);
    if (jwk.kty === 'oct' || 'd' in jwk || 'k' in jwk) {
      ctx.error(
        'MCPGEN_AUTH',
        `auth.oauth.keys[${i}] is a private or symmetric key: give the issuer's public keys only`,
        `/auth/oauth/keys/${i}`
      );
    }
    return jwk;
  };
}
