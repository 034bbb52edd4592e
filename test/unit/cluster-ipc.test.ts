/** The questions and answers between the primary of `run --workers` and its workers (generators/cli/cluster-ipc.ts). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answer, isClusterMessage, Questions, type Answer, type Ask, type ClusterMessage } from '../../generators/cli/cluster-ipc.js';

afterEach(() => void vi.useRealTimers());

describe('Questions', () => {
  it('settles each question with its own answer, whatever the order', async () => {
    const sent: ClusterMessage[] = [];
    const q = new Questions((m) => void sent.push(m));
    const a = q.ask('metrics', 1000);
    const b = q.ask('ready', 2000);
    expect(sent).toEqual([
      { mcpgen: 'ask', id: 0, what: 'metrics', timeoutMs: 1000 },
      { mcpgen: 'ask', id: 1, what: 'ready', timeoutMs: 2000 }
    ]);
    q.answered({ mcpgen: 'answer', id: 1, value: [] });
    q.answered({ mcpgen: 'answer', id: 0, value: 'text' });
    q.answered({ mcpgen: 'answer', id: 0, value: 'late, dropped' });
    expect(await Promise.all([a, b])).toEqual(['text', []]);
  });

  it('rejects with the answerer’s error', async () => {
    const q = new Questions(() => {});
    const a = q.ask('x', 10);
    q.answered({ mcpgen: 'answer', id: 0, error: 'unknown question x' });
    await expect(a).rejects.toThrow('unknown question x');
  });

  it('fails a question nobody answers once its timeout and a second have passed', async () => {
    vi.useFakeTimers();
    const q = new Questions(() => {});
    const a = q.ask('ready', 2000);
    const failed = expect(a).rejects.toThrow('no answer to "ready" within 3 s');
    await vi.advanceTimersByTimeAsync(3000);
    await failed;
  });

  it('fails every open question when the channel goes, and at once when it cannot send', async () => {
    const q = new Questions(() => {});
    const open = [q.ask('a', 1000), q.ask('b', 1000)];
    q.failAll('worker 3 exited');
    for (const p of open) await expect(p).rejects.toThrow('worker 3 exited');
    const closed = new Questions(() => {
      throw new Error('channel closed');
    });
    await expect(closed.ask('a', 1000)).rejects.toThrow('channel closed');
  });
});

describe('answer', () => {
  const ask: Ask = { mcpgen: 'ask', id: 7, what: 'ready', timeoutMs: 500 };

  it.each([
    { name: 'a value', work: async () => ({ ok: 1 }), want: { mcpgen: 'answer', id: 7, value: { ok: 1 } } },
    {
      name: 'an error',
      work: async () => {
        throw new Error('boom');
      },
      want: { mcpgen: 'answer', id: 7, error: 'boom' }
    },
    {
      name: 'a synchronous throw',
      work: () => {
        throw new Error('sync');
      },
      want: { mcpgen: 'answer', id: 7, error: 'sync' }
    }
  ])('sends back $name', async ({ work, want }) => {
    const sent = await new Promise<ClusterMessage>((resolve) => answer(resolve, ask, work));
    expect(sent).toEqual(want);
  });

  it('passes the question and its timeout to the work, and ignores a channel that closed meanwhile', async () => {
    const seen = await new Promise<[string, number]>((resolve) =>
      answer(
        () => {
          throw new Error('closed');
        },
        ask,
        async (what, timeoutMs) => (resolve([what, timeoutMs]), 1)
      )
    );
    expect(seen).toEqual(['ready', 500]);
  });
});

it.each([
  { given: { mcpgen: 'drain' }, want: true },
  { given: { mcpgen: 'answer', id: 1 } satisfies Answer, want: true },
  { given: { type: 'prom-client:getMetricsReq' }, want: false },
  { given: 'text', want: false },
  { given: null, want: false }
])('isClusterMessage($given) is $want', ({ given, want }) => {
  expect(isClusterMessage(given)).toBe(want);
});
