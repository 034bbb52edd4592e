/** heap-tuning.ts: pretenuring is turned off for serving unless the operator set the V8 flag on the command line. */
import { describe, expect, it } from 'vitest';
import { pretenuringChosen, tuneHeapForServing } from '../../generators/cli/heap-tuning.js';

describe('pretenuringChosen', () => {
  const cases: { given: string[]; want: boolean }[] = [
    { given: [], want: false },
    { given: ['--enable-source-maps', '--max-old-space-size=512'], want: false },
    { given: ['--allocation-site-pretenuring'], want: true },
    { given: ['--no-allocation-site-pretenuring'], want: true },
    { given: ['--allocation_site_pretenuring'], want: true },
    { given: ['--max-semi-space-size=32', '--noallocation-site-pretenuring'], want: true }
  ];
  it.each(cases)('$given → $want', ({ given, want }) => {
    expect(pretenuringChosen(given)).toBe(want);
  });
});

describe('tuneHeapForServing', () => {
  it('leaves a flag given on the command line alone', () => {
    expect(tuneHeapForServing(['--allocation-site-pretenuring'])).toBe(false);
  });

  it('turns pretenuring off otherwise (setting the V8 flag in a running process is accepted)', () => {
    expect(tuneHeapForServing([])).toBe(true);
  });
});
