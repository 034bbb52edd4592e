import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { OAuthIR } from '../../artifact/ir.js';
import type { Principal } from '../../core/context.js';

export const KEYS_UNAVAILABLE = 'the issuer keys could not be fetched';

/** Why a token was refused: said in the 401's error_description (never which key or claim value was expected). */
export class TokenRejected extends Error {}

/**
 * An OAuth 2.1 resource server's token check (jose): the signature against the issuer's keys, only with the
 * configured asymmetric algorithms (so `alg: none` and HS256-signed-with-the-public-key never verify), `iss`,
 * `aud` (this server), `exp` (required) and `nbf`, with a small clock tolerance.
 */
export class JwtVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly config: OAuthIR) {
    this.keys = config.jwksUri
      ? createRemoteJWKSet(new URL(config.jwksUri), { timeoutDuration: 5_000, cooldownDuration: 30_000 })
      : createLocalJWKSet({ keys: (config.keys ?? []) as JSONWebKeySet['keys'] });
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: [...this.config.algorithms],
        clockTolerance: this.config.clockToleranceSeconds,
        requiredClaims: ['exp']
      }));
    } catch (e) {
      throw new TokenRejected(reason(e));
    }
    return Object.freeze({
      name: principalName(payload),
      scopes: Object.freeze(scopesOf(payload)),
      claims: Object.freeze({ ...payload }),
      canStepUp: true
    });
  }
}

function reason(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'the token has expired';
  if (e instanceof errors.JWTClaimValidationFailed) return `the token's ${e.claim} claim is not accepted`;
  if (e instanceof errors.JOSEAlgNotAllowed) return "the token's signature algorithm is not accepted";
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWSSignatureVerificationFailed)
    return 'the token signature does not verify';
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid || !(e instanceof errors.JOSEError)) return KEYS_UNAVAILABLE;
  return 'the token is not a valid JWT access token';
}

function principalName(p: JWTPayload): string {
  if (typeof p.sub === 'string' && p.sub !== '') return p.sub;
  const client = (p as Record<string, unknown>).client_id;
  return typeof client === 'string' && client !== '' ? client : 'token';
}

/** RFC 9068 `scope` (space-separated), and the common `scp` (array or string). */
function scopesOf(p: JWTPayload): string[] {
  const out = new Set<string>();
  for (const claim of [p.scope, (p as Record<string, unknown>).scp]) {
    if (typeof claim === 'string') for (const s of claim.split(' ')) if (s) out.add(s);
    if (Array.isArray(claim)) for (const s of claim) if (typeof s === 'string') out.add(s);
  }
  return [...out];
}
