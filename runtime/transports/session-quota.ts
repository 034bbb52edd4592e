import type { IncomingMessage } from 'node:http';
import type { Principal } from '../core/context.js';
import { RpcError } from '../core/errors.js';
import type { SessionRefusal } from './sessions.js';

export const DEFAULT_SESSIONS_PER_PRINCIPAL = 100;

/** Longest X-Forwarded-For entry taken as an address (an IPv6 address with a zone fits). */
const MAX_ADDRESS = 64;

/**
 * Whose quota a new 2025-era session counts against: the principal, or without one the client address. With
 * `trustProxy` the last X-Forwarded-For entry is the client: the one the proxy in front appended (entries
 * before it are whatever the client sent, so a client could rotate them for fresh quotas).
 */
export function quotaOf(req: IncomingMessage, principal: Principal | undefined, trustProxy: boolean): string {
  if (principal) return `principal:${principal.name}`;
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const list = Array.isArray(forwarded) ? forwarded.at(-1) : forwarded;
  const last = list?.slice(list.lastIndexOf(',') + 1).trim();
  const address = last && last.length <= MAX_ADDRESS ? last : (req.socket.remoteAddress ?? 'unknown');
  return `address:${address}`;
}

/** The answer to a refused session: 429 when the caller's own quota is full, 503 when the whole table is. */
export function sessionRefusal(refusal: SessionRefusal, maxPerQuota: number, principal: Principal | undefined): RpcError {
  if (refusal === 'quota') {
    const who = principal ? `principal "${principal.name}"` : 'this client address';
    return new RpcError(
      'tooManySessions',
      `Too many sessions: ${who} already has ${maxPerQuota} open ` +
        `(transport.maxSessionsPerPrincipal); end one with DELETE or let one expire`,
      { limit: maxPerQuota, setting: 'transport.maxSessionsPerPrincipal' }
    );
  }
  return new RpcError('serverBusy', `Server busy: it holds the most sessions it may (transport.maxSessions); retry later`, {
    setting: 'transport.maxSessions'
  });
}

/**
 * Open connections that are conversations of their own (WebSocket, HTTP+SSE streams), counted like 2025 sessions:
 * at most `max` in all and `perQuota` per caller (quotaOf). `admit` says why one more is refused, or takes its slot.
 */
export class ConnectionQuota {
  private total = 0;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly perQuota: number
  ) {}

  /** The refusal (503 full, 429 the caller's quota), or undefined when the slot was taken (give it back with `release`). */
  admit(quota: string, principal: Principal | undefined): { status: number; error: RpcError } | undefined {
    if (this.total >= this.max) return { status: 503, error: sessionRefusal('full', this.perQuota, principal) };
    const held = this.counts.get(quota) ?? 0;
    if (held >= this.perQuota) return { status: 429, error: sessionRefusal('quota', this.perQuota, principal) };
    this.total++;
    this.counts.set(quota, held + 1);
    return undefined;
  }

  release(quota: string): void {
    this.total--;
    const left = (this.counts.get(quota) ?? 1) - 1;
    if (left > 0) this.counts.set(quota, left);
    else this.counts.delete(quota);
  }
}
