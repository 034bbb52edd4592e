import { describe, expect, it } from 'vitest';
import { Cancellation } from '../../runtime/core/cancellation.js';
import type { RequestContext } from '../../runtime/core/context.js';
import { MrtrRound } from '../../runtime/core/interaction.js';
import { renamedContext, toolContext } from '../../runtime/core/tool-context.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} } as never;

function request(overrides: Partial<RequestContext> = {}): {
  ctx: RequestContext;
  sent: [string, Record<string, unknown>][];
  cancellation: Cancellation;
} {
  const sent: [string, Record<string, unknown>][] = [];
  const cancellation = new Cancellation();
  const ctx = {
    era: 'modern',
    id: 7,
    method: 'tools/call',
    params: { _meta: { progressToken: 'p1' } },
    protocolVersion: '2026-07-28',
    clientCapabilities: { elicitation: {} },
    logLevel: 'info',
    legacy: undefined,
    cancellation,
    get signal() {
      return cancellation.signal;
    },
    notify: (m: string, p: Record<string, unknown>) => void sent.push([m, p]),
    ...overrides
  } as RequestContext;
  return { ctx, sent, cancellation };
}

describe('toolContext', () => {
  it('makes its signal on first read, aborted with the request', () => {
    const { ctx, cancellation } = request();
    const tc = toolContext(ctx, silent, 'echo', new MrtrRound(ctx, {}, {}));
    const seen: number[] = [];
    tc.onCancel!(() => seen.push(1));
    const signal = tc.signal;
    expect(signal.aborted).toBe(false);
    cancellation.abort();
    expect([signal.aborted, seen]).toEqual([true, [1]]);
  });

  it('given a level and a progress token, wants only notifications the client asked for', () => {
    const { ctx, sent } = request();
    const tc = toolContext(ctx, silent, 'echo', new MrtrRound(ctx, {}, {}));
    tc.log('debug', 'hidden');
    tc.log('warning', 'shown', { n: 1 });
    tc.progress(1, 3);
    tc.progress(1, 3);
    tc.progress(2, undefined, 'half');
    expect(sent).toEqual([
      ['notifications/message', { level: 'warning', logger: 'echo', data: { message: 'shown', data: { n: 1 } } }],
      ['notifications/progress', { progressToken: 'p1', progress: 1, total: 3 }],
      ['notifications/progress', { progressToken: 'p1', progress: 2, message: 'half' }]
    ]);
  });

  it('keeps optional members absent when the request has none', () => {
    const { ctx } = request();
    const tc = toolContext(ctx, silent, 'echo', { state: {}, ask: () => Promise.resolve({}) });
    expect(['principal' in tc, 'requestHeader' in tc, 'readResource' in tc, 'holdRound' in tc]).toEqual([false, false, false, false]);
  });

  it('renamedContext: another tool name, the same methods, signal and state', async () => {
    const { ctx, sent, cancellation } = request();
    const round = new MrtrRound(ctx, { 'elicitation-1': { action: 'accept' } }, { step: 1 });
    const tc = renamedContext(toolContext(ctx, silent, 'call', round), 'get_user');
    expect([tc.toolName, tc.requestId, tc.state]).toEqual(['get_user', 7, { step: 1 }]);
    expect(await tc.elicit({ message: 'ok?' })).toEqual({ action: 'accept' });
    tc.log('error', 'boom');
    expect(sent[0]![1].logger).toBe('get_user');
    cancellation.abort();
    expect(tc.signal.aborted).toBe(true);
  });
});
