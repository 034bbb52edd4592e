import { describe, expect, it } from 'vitest';
import { docBlocks } from './console-blocks.js';

const fence = '```';

describe('docBlocks', () => {
  it.each([
    {
      given: `${fence}console\n$ a\nout 1\nout 2\n$ b\n${fence}\n`,
      want: [
        {
          kind: 'console',
          file: 'README.md',
          line: 1,
          commands: [
            { command: 'a', output: 'out 1\nout 2\n' },
            { command: 'b', output: '' }
          ]
        }
      ]
    },
    {
      given: `text\n<!-- not run: needs a database -->\n\n${fence}console\n$ a\n${fence}\n`,
      want: [{ kind: 'console', file: 'README.md', line: 4, commands: [{ command: 'a', output: '' }], notRun: 'needs a database' }]
    },
    {
      given: `${fence}yaml file=mcp-gen.yaml\nserver: {}\n${fence}\n${fence}yaml\nnot: a file\n${fence}\n`,
      want: [{ kind: 'file', file: 'README.md', line: 1, path: 'mcp-gen.yaml', text: 'server: {}\n' }]
    },
    { given: `${fence}text\n$ not a console block\n${fence}\n`, want: [] }
  ])('reads $given', ({ given, want }) => {
    expect(docBlocks('README.md', given)).toEqual(want);
  });

  it('takes file=PATH blocks from README.md only', () => {
    expect(docBlocks('docs/x.md', `${fence}yaml file=mcp-gen.yaml\nserver: {}\n${fence}\n`)).toEqual([]);
  });
});
