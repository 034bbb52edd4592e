/**
 * Positions in the manifest: a template error inside a double-quoted string with escapes points at its own
 * line and column; one indentation slip is one error, at the slipped line, with an indentation hint.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';

async function problems(text: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-yamlpos-'));
  writeFileSync(join(dir, 'mcp-gen.yaml'), text);
  const r = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
  return r.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.at.line}:${d.at.col} ${d.code}${d.hint ? ` | ${d.hint}` : ''}`);
}

const head =
  'server: { name: s, version: 1.0.0 }\ntools:\n  - name: greet\n    description: Greet\n    ' +
  'input: { properties: { name: { type: string } } }\n';

describe('template positions in quoted strings', () => {
  const given: [string, string, string][] = [
    [
      'escaped newlines, error on the third line of the value',
      '    template: "Hi\\n{{#if name}}\\n{{name}"\n',
      '6:34 MCPGEN_TEMPLATE_SYNTAX'
    ],
    ['escapes before an undeclared variable', '    template: "\\t\\"q\\" {{nam}}"\n', '6:26 MCPGEN_TEMPLATE_UNDECLARED'],
    ['a folded double-quoted string', '    template: "Hello\n      {{nam}}"\n', '7:9 MCPGEN_TEMPLATE_UNDECLARED'],
    ['single quotes with a doubled quote', "    template: 'it''s {{nam}}'\n", '6:24 MCPGEN_TEMPLATE_UNDECLARED']
  ];
  it.each(given)('%s', async (_label, line, want) => {
    const got = await problems(head + line);
    expect(got).toHaveLength(1);
    expect(got[0]!.split(' | ')[0]).toBe(want);
  });
});

describe('one indentation slip', () => {
  const server = 'server: { name: s, version: 1.0.0 }\n';
  const given: [string, string, string][] = [
    [
      'a key one space short',
      `${server}tools:\n  - name: greet\n    description: Greet\n   template: "Hi"\n`,
      '5:4 MCPGEN_YAML_SYNTAX | Indent it like the key or item it belongs with: 4 space(s), as on line 3.'
    ],
    [
      'a key two spaces too deep',
      `${server}tools:\n  - name: greet\n    description: Greet\n      template: "Hi"\n`,
      '5:7 MCPGEN_YAML_SYNTAX | Indent it like the key or item it belongs with: 4 space(s), as on line 3.'
    ],
    [
      'an item one space too deep',
      `${server}tools:\n  - name: a\n    description: A\n    template: "Hi"\n   - name: b\n    description: B\n    template: "Yo"\n`,
      '6:4 MCPGEN_YAML_SYNTAX | Indent it like the key or item it belongs with: 2 space(s), as on line 3.'
    ],
    [
      "a key at its item's dash",
      `${server}tools:\n  - name: greet\n    description: Greet\n    input:\n      ` +
        `properties:\n        name: { type: string }\n  template: "Hi {{name}}"\n`,
      '8:3 MCPGEN_YAML_SYNTAX | Indent it like the key or item it belongs with: 4 space(s), as on line 3.'
    ],
    [
      'a nested key one space deep',
      'server:\n  name: s\n   version: 1.0.0\ntools: []\n',
      '3:4 MCPGEN_YAML_SYNTAX | Indent it like the key or item it belongs with: 2 space(s), as on line 2.'
    ]
  ];
  it.each(given)('%s', async (_label, text, want) => {
    expect((await problems(text)).map((p) => p.replace(/ Indent with spaces, never tabs\.$/, ''))).toEqual([want]);
  });
});
