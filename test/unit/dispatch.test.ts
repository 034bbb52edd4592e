import { describe, expect, it } from 'vitest';
import type { LegacyState } from '../../runtime/core/context.js';
import { decode, deliver, refusal, type Conversation } from '../../runtime/transports/dispatch.js';
import { transportLimits } from '../../runtime/transports/limits.js';
import { OutgoingRequests } from '../../runtime/transports/outgoing.js';

describe('decode: one message of text, as both transports see it', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['a request', '{"jsonrpc":"2.0","id":7,"method":"tools/list"}', { type: 'request', id: 7, method: 'tools/list' }],
    [
      'a notification',
      '{"jsonrpc":"2.0","method":"notifications/initialized"}',
      { type: 'notification', method: 'notifications/initialized' }
    ],
    ['a response', '{"jsonrpc":"2.0","id":"mcpgen-1","result":{}}', { type: 'response', id: 'mcpgen-1' }],
    ['invalid JSON', '{"jsonrpc":', { type: 'refused', id: null, code: -32700 }],
    ['nesting past the limit', `${'['.repeat(70)}${']'.repeat(70)}`, { type: 'refused', id: null, code: -32600 }],
    ['a batch', '[{"jsonrpc":"2.0","id":1,"method":"ping"}]', { type: 'refused', id: null, code: -32600 }],
    ['a wrong jsonrpc, id kept', '{"jsonrpc":"1.0","id":3,"method":"ping"}', { type: 'refused', id: 3, code: -32600 }]
  ];
  it.each(cases)('%s', (_what, text, want) => {
    const msg = decode(text, 64) as unknown as Record<string, unknown> & { error?: { code: number } };
    const { code, ...rest } = want;
    expect(msg).toMatchObject(rest);
    if (code !== undefined) expect(msg.error?.code).toBe(code);
  });
});

describe('deliver: notifications and responses, handled once for both transports', () => {
  const conversation = () => {
    const legacy = { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: false } as LegacyState;
    const aborted: string[] = [];
    const inflight = new Map([['a', { abort: () => aborted.push('a') }]]);
    const outgoing = new OutgoingRequests();
    return { legacy, inflight, outgoing, aborted } satisfies Conversation & { aborted: string[] };
  };

  it('notifications/initialized marks the session', () => {
    const c = conversation();
    deliver({ type: 'notification', method: 'notifications/initialized', params: undefined }, c);
    expect(c.legacy.initialized).toBe(true);
  });

  it('notifications/cancelled aborts the request it names, and only that one', () => {
    const c = conversation();
    deliver({ type: 'notification', method: 'notifications/cancelled', params: { requestId: 'b' } }, c);
    deliver({ type: 'notification', method: 'notifications/cancelled', params: { requestId: 'a' } }, c);
    expect(c.aborted).toEqual(['a']);
  });

  it('a response settles the server-to-client request it answers', async () => {
    const c = conversation();
    const sent: string[] = [];
    const answer = c.outgoing.send((m) => sent.push(m), 'roots/list', {}, new AbortController().signal);
    const { id } = JSON.parse(sent[0]!) as { id: string };
    deliver({ type: 'response', id, message: { id, result: { roots: [] } } }, c);
    await expect(answer).resolves.toEqual({ roots: [] });
  });

  it('without a conversation (stateless HTTP) nothing happens', () => {
    const none: Conversation = { legacy: undefined, inflight: undefined, outgoing: undefined };
    expect(() => deliver({ type: 'notification', method: 'notifications/cancelled', params: { requestId: 'a' } }, none)).not.toThrow();
  });
});

describe('refusal: arguments past maxArgumentBytes', () => {
  const limits = transportLimits({ maxArgumentBytes: 100 });
  const request = (text: string) => ({ type: 'request' as const, id: 1, method: 'tools/call', params: { name: 'x', arguments: { text } } });
  it.each([
    ['a small message is not measured', 'short', undefined],
    ['an argument over the limit is named', 'x'.repeat(200), -32602]
  ])('%s', (_what, text, code) => {
    const msg = request(text);
    expect(refusal(msg, JSON.stringify(msg), limits)?.code).toBe(code);
  });
});
