import { describe, expect, it } from 'vitest';
import { ConnectionQuota } from '../../runtime/transports/session-quota.js';

describe('ConnectionQuota (WebSocket connections and HTTP+SSE streams, counted like sessions)', () => {
  it.each([
    { name: 'within both bounds', max: 3, per: 2, admits: ['a', 'b', 'a'], want: [undefined, undefined, undefined] },
    { name: "past the caller's quota: 429 naming maxSessionsPerPrincipal", max: 5, per: 1, admits: ['a', 'a'], want: [undefined, 429] },
    { name: 'past the total: 503 naming maxSessions', max: 2, per: 5, admits: ['a', 'b', 'c'], want: [undefined, undefined, 503] }
  ])('$name', ({ max, per, admits, want }) => {
    const q = new ConnectionQuota(max, per);
    expect(admits.map((who) => q.admit(who, undefined)?.status)).toEqual(want);
  });

  it('gives a released slot back to its caller', () => {
    const q = new ConnectionQuota(1, 1);
    expect(q.admit('a', undefined)).toBeUndefined();
    expect(q.admit('a', undefined)?.error.message).toContain('transport.maxSessions');
    q.release('a');
    expect(q.admit('a', undefined)).toBeUndefined();
  });
});
