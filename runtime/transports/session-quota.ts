import type { IncomingMessage } from 'node:http';
import type { Principal } from '../core/context.js';
import { RpcError } from '../core/errors.js';
import type { SessionRefusal, SessionStore } from './sessions.js';

export const DEFAULT_SESSIONS_PER_PRINCIPAL = 100;

/** Longest X-Forwarded-For entry taken as an address (an IPv6 address with a zone fits). */
const MAX_ADDRESS = 64;

/**
 * Whose quota a new 2025-era session counts against: the principal, or without one the client address. With
 * `trustProxy` the first X-Forwarded-For entry is the client (the proxy in front must set it: anyone else can).
 */
export function quotaOf(req: IncomingMessage, principal: Principal | undefined, trustProxy: boolean): string {
  if (principal) return `principal:${principal.name}`;
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',', 1)[0]?.trim();
  const address = first && first.length <= MAX_ADDRESS ? first : (req.socket.remoteAddress ?? 'unknown');
  return `address:${address}`;
}

/** The answer to a refused session: 429 when the caller's own quota is full, 503 when the whole table is. */
export function sessionRefusal(refusal: SessionRefusal, sessions: SessionStore, principal: Principal | undefined): RpcError {
  if (refusal === 'quota') {
    const who = principal ? `principal "${principal.name}"` : 'this client address';
    return new RpcError(
      'tooManySessions',
      `Too many sessions: ${who} already has ${sessions.maxPerQuota} open (transport.maxSessionsPerPrincipal); end one with DELETE or let one expire`,
      { limit: sessions.maxPerQuota, setting: 'transport.maxSessionsPerPrincipal' }
    );
  }
  return new RpcError('serverBusy', `Server busy: it holds the most sessions it may (transport.maxSessions); retry later`, { setting: 'transport.maxSessions' });
}
