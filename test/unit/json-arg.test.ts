/** `--args` JSON that does not parse: the error shows where, with the line, column and a caret under the spot. */
import { describe, expect, it } from 'vitest';
import { jsonArg, UsageError } from '../../generators/cli/args.js';

function message(text: string): string {
  try {
    jsonArg(text, '--args');
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`parsed: ${text}`);
}

describe('jsonArg', () => {
  const given: [string, string, string][] = [
    ['a bare word', '{"name": Ada}', 'line 1, column 10:\n  {"name": Ada}\n           ^'],
    ['a missing comma', '{"a": 1 "b": 2}', 'line 1, column 9:\n  {"a": 1 "b": 2}\n          ^'],
    ['single quotes', "{'a': 1}", "line 1, column 2:\n  {'a': 1}\n   ^"],
    ['a trailing comma on the second line', '{"a": 1,\n}', 'line 2, column 1:\n  }\n  ^'],
    ['the end comes early', '{"a": [1, 2', 'line 1, column 12 (the text ends early):\n  {"a": [1, 2\n             ^'],
    ['text after the object', '{"a": 1} x', 'line 1, column 10:\n  {"a": 1} x\n           ^']
  ];
  it.each(given)('%s', (_label, text, want) => {
    expect(message(text)).toContain(`--args is not valid JSON at ${want}`);
  });

  it('still refuses valid JSON that is not an object, with the example', () => {
    expect(message('[1]')).toMatch(/--args must be a JSON object, e\.g\./);
  });
});
