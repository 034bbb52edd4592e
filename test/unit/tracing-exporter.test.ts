import { describe, expect, it } from 'vitest';
import { commonJs } from '../../runtime/observe/tracing-sdk.js';

class Exporter {}

describe('commonJs: a CommonJS package loaded with import()', () => {
  it.each([
    { given: 'as Node loads it (named exports and default)', module: { Exporter, default: { Exporter } }, want: Exporter },
    { given: 'as a bundle chunk exports it (default only)', module: { default: { Exporter } }, want: Exporter },
    { given: 'an ES module without a default export', module: { Exporter }, want: Exporter },
    { given: 'an ES module whose default is not an object', module: { Exporter, default: 'x' }, want: Exporter }
  ])('$given', ({ module, want }) => {
    expect((commonJs(module) as { Exporter?: unknown }).Exporter).toBe(want);
  });
});
