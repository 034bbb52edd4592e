import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * requestState for 2026-07-28 input_required rounds. The client echoes it back, so it is signed
 * (HMAC-SHA256) and bound to the tool and an expiry: a tampered or foreign state is rejected.
 * Several instances behind one load balancer share the key: MCPGEN_STATE_KEY, or the one a shared state store keeps
 * (runtime/state: the first instance's random key, in Redis).
 */
export interface RoundState {
  readonly target: string;
  readonly responses: Record<string, unknown>;
  readonly state: Record<string, unknown>;
  readonly exp: number;
}

const TTL_MS = 10 * 60 * 1000;

export class RequestStateCodec {
  private readonly key: () => Buffer;

  /** `key`: the current key (a shared store's may change once, when Redis first answers). */
  constructor(key: string | (() => Buffer) | undefined = process.env.MCPGEN_STATE_KEY) {
    if (typeof key === 'function') this.key = key;
    else {
      const fixed = key ? Buffer.from(key, 'utf8') : randomBytes(32);
      this.key = () => fixed;
    }
  }

  encode(target: string, responses: Record<string, unknown>, state: Record<string, unknown>, now = Date.now()): string {
    const body = Buffer.from(JSON.stringify({ target, responses, state, exp: now + TTL_MS } satisfies RoundState)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The state, or a reason it is not acceptable. */
  decode(token: unknown, target: string, now = Date.now()): RoundState | { error: string } {
    if (typeof token !== 'string') return { error: 'requestState must be a string' };
    const dot = token.lastIndexOf('.');
    const body = token.slice(0, dot);
    const mac = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.sign(body), 'base64url');
    if (dot < 1 || mac.length !== expected.length || !timingSafeEqual(mac, expected))
      return { error: 'requestState failed its integrity check' };
    const state = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as RoundState;
    if (state.target !== target) return { error: 'requestState belongs to another request' };
    if (state.exp < now) return { error: 'requestState has expired; call again without it' };
    return state;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key()).update(body).digest('base64url');
  }
}
