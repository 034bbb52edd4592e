/** The golden-file comparison of test/unit/golden-artifacts.test.ts: a missing golden file is a failure, not a pass. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goldenMismatch } from '../helpers/golden.js';

const dir = mkdtempSync(join(tmpdir(), 'mcpgen-golden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('goldenMismatch', () => {
  it.each([
    { given: 'missing golden', golden: undefined, update: false, want: /missing.*UPDATE_GOLDEN=1/, after: undefined },
    { given: 'missing golden, UPDATE_GOLDEN=1', golden: undefined, update: true, want: undefined, after: 'new' },
    { given: 'same content', golden: 'new', update: false, want: undefined, after: 'new' },
    { given: 'other content', golden: 'old', update: false, want: /differs.*UPDATE_GOLDEN=1/, after: 'old' },
    { given: 'other content, UPDATE_GOLDEN=1', golden: 'old', update: true, want: undefined, after: 'new' }
  ])('$given', ({ given, golden, update, want, after }) => {
    const path = join(dir, given.replace(/\W+/g, '-'), 'artifact.json');
    if (golden !== undefined) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, golden);
    }
    const got = goldenMismatch(path, 'new', 'example/artifact.json', update);
    if (want) expect(got).toMatch(want);
    else expect(got).toBeUndefined();
    expect(existsSync(path) ? readFileSync(path, 'utf8') : undefined).toBe(after);
  });
});
