import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyIR } from '../../artifact/ir.js';
import type { Principal } from '../../core/context.js';
import { interpolateEnv } from '../../env.js';

interface KnownKey {
  readonly digest: Buffer;
  readonly principal: Principal;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * The configured API keys, held as SHA-256 digests only: a `${VAR}` reference is resolved and hashed here, at
 * start, and the clear key is dropped. Matching compares digests in constant time against every key.
 */
export class ApiKeys {
  private readonly keys: KnownKey[] = [];
  /** Keys whose variables are unset, as "name (VAR)": refused, and reported when HTTP or stdio needs them. */
  readonly unset: string[] = [];

  constructor(list: readonly ApiKeyIR[], env: NodeJS.ProcessEnv) {
    for (const k of list) {
      let digest: Buffer;
      if (k.key !== undefined) {
        const { value, missing } = interpolateEnv(k.key, env);
        if (missing.length > 0 || value === '') {
          this.unset.push(`${k.name} (${missing.join(', ') || 'empty'})`);
          continue;
        }
        digest = sha256(value);
      } else digest = Buffer.from(k.sha256 ?? '', 'hex');
      this.keys.push({
        digest,
        principal: Object.freeze({ name: k.name, scopes: Object.freeze([...k.scopes]), claims: Object.freeze({ ...(k.claims ?? {}) }) })
      });
    }
  }

  get size(): number {
    return this.keys.length;
  }

  /** The key's principal, or undefined. Every key is compared (no early exit), each in constant time. */
  match(token: string): Principal | undefined {
    const digest = sha256(token);
    let found: Principal | undefined;
    for (const k of this.keys) {
      if (k.digest.length === digest.length && timingSafeEqual(k.digest, digest) && !found) found = k.principal;
    }
    return found;
  }
}
