import { describe, expect, it } from 'vitest';
import { Cancellation, onAbort } from '../../runtime/core/cancellation.js';

describe('Cancellation: an AbortSignal made only when read', () => {
  it('a signal read before the abort follows it, with the reason', () => {
    const c = new Cancellation();
    const signal = c.signal;
    expect(signal.aborted).toBe(false);
    const reason = new Error('stop');
    c.abort(reason);
    expect([c.aborted, signal.aborted, signal.reason, c.reason]).toEqual([true, true, reason, reason]);
  });
  it('a signal first read after the abort is already aborted', () => {
    const c = new Cancellation();
    c.abort('late');
    expect([c.signal.aborted, c.signal.reason]).toEqual([true, 'late']);
  });
  it('onAbort listeners run once, can be removed, and run at once when already aborted', () => {
    const c = new Cancellation();
    const calls: string[] = [];
    c.onAbort(() => calls.push('a'));
    const remove = c.onAbort(() => calls.push('b'));
    remove();
    c.abort();
    c.abort();
    c.onAbort(() => calls.push('late'));
    expect(calls).toEqual(['a', 'late']);
  });
  it('any() follows Cancellations and AbortSignals alike', () => {
    const parent = new Cancellation();
    const controller = new AbortController();
    const first = Cancellation.any([parent, controller.signal]);
    const second = Cancellation.any([parent, controller.signal]);
    controller.abort('signal');
    parent.abort('cancellation');
    expect([first.aborted, first.reason]).toEqual([true, 'signal']);
    expect(Cancellation.any([AbortSignal.abort('done')]).reason).toBe('done');
    expect(second.reason).toBe('signal');
  });
  it('onAbort() on an AbortSignal: now when aborted, else on abort until removed', () => {
    const calls: number[] = [];
    onAbort(AbortSignal.abort(), () => calls.push(1));
    const controller = new AbortController();
    const remove = onAbort(controller.signal, () => calls.push(2));
    onAbort(controller.signal, () => calls.push(3));
    remove();
    controller.abort();
    expect(calls).toEqual([1, 3]);
  });
});
