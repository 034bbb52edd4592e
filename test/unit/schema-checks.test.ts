/**
 * Users' schemas are checked, not trusted (issue 11): every schema a manifest declares (tool input and output,
 * elicitation properties) is compiled strictly at build, so a misspelt keyword or an unknown format is an error
 * at its line; a YAML flow map that swallowed unquoted text is one warning that says to quote it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { cleanupTemp, tempDir } from '../helpers/e2e-server.js';

afterAll(() => cleanupTemp());

interface Want {
  code: string;
  severity: 'error' | 'warning';
  at: string;
  pointer: string;
  message: string;
}

async function diagnose(manifest: string, files: Record<string, string> = {}): Promise<Want[]> {
  const dir = tempDir('mcpgen-schema-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
  const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: { PATH: process.env.PATH } });
  return result.diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    at: `${d.at.line}:${d.at.col}`,
    pointer: d.pointer,
    message: d.message
  }));
}

/** A tool whose input properties are the given YAML lines (line 8 onwards). */
const tool = (...properties: string[]) =>
  [
    'server: { name: s, version: "1" }',
    'tools:',
    '  - name: t',
    '    description: d',
    '    template: "{{q}}"',
    '    input:',
    '      properties:',
    ...properties.map((p) => `        ${p}`),
    ''
  ].join('\n');

describe('keywords of a manifest schema', () => {
  it.each<[string, string, Want[]]>([
    ['a known keyword', tool('q: { type: string, description: The query }'), []],
    [
      'a misspelt keyword',
      tool('q: { type: string, descriptoin: The query }'),
      [
        {
          code: 'MCPGEN_SCHEMA_KEYWORD',
          severity: 'error',
          at: '8:28',
          pointer: '/tools/0/input/properties/q/descriptoin',
          message: 'unknown keyword "descriptoin" in the input schema of tool "t". Did you mean "description"?'
        }
      ]
    ],
    [
      'an unknown keyword deep inside (items, anyOf)',
      tool('q: { type: string }', 'r:', '  type: array', '  items:', '    anyOf: [{ type: string, minLenght: 1 }, { type: integer }]'),
      [
        {
          code: 'MCPGEN_SCHEMA_KEYWORD',
          severity: 'error',
          at: '12:37',
          pointer: '/tools/0/input/properties/r/items/anyOf/0/minLenght',
          message: 'unknown keyword "minLenght" in the input schema of tool "t". Did you mean "minLength"?'
        }
      ]
    ],
    [
      'every unknown keyword, not only the first',
      tool('q: { type: string, titel: Q, frobnicate: true }'),
      [
        {
          code: 'MCPGEN_SCHEMA_KEYWORD',
          severity: 'error',
          at: '8:28',
          pointer: '/tools/0/input/properties/q/titel',
          message: 'unknown keyword "titel" in the input schema of tool "t". Did you mean "title"?'
        },
        {
          code: 'MCPGEN_SCHEMA_KEYWORD',
          severity: 'error',
          at: '8:38',
          pointer: '/tools/0/input/properties/q/frobnicate',
          message: 'unknown keyword "frobnicate" in the input schema of tool "t"'
        }
      ]
    ],
    ['mcp-gen keywords and x- extensions', tool('q: { type: string, x-sensitive: true, x-mcp-header: Q, x-note: anything }'), []],
    [
      'standard keywords of 2020-12',
      tool('q: { type: string, $comment: c, examples: [a], deprecated: true, readOnly: false, contentMediaType: text/plain }'),
      []
    ],
    [
      'a known format',
      tool('q: { type: string, format: date-time }', 'r: { type: string, format: email }', 's: { type: integer, format: int64 }'),
      []
    ],
    [
      'an unknown format',
      tool('q: { type: string, format: dat }'),
      [
        {
          code: 'MCPGEN_SCHEMA_FORMAT',
          severity: 'error',
          at: '8:36',
          pointer: '/tools/0/input/properties/q/format',
          message: 'unknown format "dat" in the input schema of tool "t". Did you mean "date"?'
        }
      ]
    ],
    [
      "ajv's other strict checks",
      tool('q: { type: string, if: { minLength: 3 } }'),
      [
        {
          code: 'MCPGEN_INVALID_SCHEMA',
          severity: 'error',
          at: '7:7',
          pointer: '/tools/0/input',
          message: 'the input schema of tool "t": "if" without "then" and "else" is ignored'
        }
      ]
    ],
    [
      'a wrong type still reads as an invalid schema',
      tool('q: { type: strin }'),
      [
        {
          code: 'MCPGEN_INVALID_SCHEMA',
          severity: 'error',
          at: '8:20',
          pointer: '/tools/0/input/properties/q/type',
          message: 'input schema of tool "t": properties/q/type must be equal to one of the allowed values'
        }
      ]
    ]
  ])('%s', async (_name, manifest, want) => {
    expect(await diagnose(manifest)).toEqual(want);
  });

  it('a fromAuth: property keyword is known', async () => {
    const manifest =
      tool('q: { type: string }', 'user: { type: string, fromAuth: name }') + 'auth:\n  apiKeys:\n    - { name: a, key: "${KEY:-k}" }\n';
    expect(await diagnose(manifest)).toEqual([]);
  });

  it('output schemas are checked too', async () => {
    const manifest = [
      'server: { name: s, version: "1" }',
      'tools:',
      '  - name: t',
      '    description: d',
      '    handler: ./h.ts',
      '    output:',
      '      type: object',
      '      properties: { n: { type: integer, minimun: 0 } }',
      ''
    ].join('\n');
    const files = {
      'h.ts':
        'import type { Handlers } from "./.mcp-gen/types.js";\nexport default (async () => ({ ' +
        'structuredContent: { n: 1 }, content: [] })) satisfies Handlers["t"];\n'
    };
    expect((await diagnose(manifest, files)).filter((d) => d.code.startsWith('MCPGEN_SCHEMA'))).toEqual([
      {
        code: 'MCPGEN_SCHEMA_KEYWORD',
        severity: 'error',
        at: '8:41',
        pointer: '/tools/0/output/properties/n/minimun',
        message: 'unknown keyword "minimun" in the output schema of tool "t". Did you mean "minimum"?'
      }
    ]);
  });

  it('prompt arguments and elicitation questions are checked', async () => {
    const manifest = [
      'server: { name: s, version: "1" }',
      'prompts:',
      '  - name: p',
      '    description: d',
      '    arguments:',
      '      - { name: a, descriptoin: A }',
      '    elicit:',
      '      - key: k',
      '        message: m',
      '        properties: { x: { type: string, fromat: email } }',
      '    messages:',
      '      - { role: user, text: "{{a}} {{k.x}}" }',
      ''
    ].join('\n');
    expect(await diagnose(manifest)).toEqual([
      {
        code: 'MCPGEN_UNKNOWN_KEY',
        severity: 'error',
        at: '6:20',
        pointer: '/prompts/0/arguments/0/descriptoin',
        message: 'unknown key "descriptoin"'
      },
      {
        code: 'MCPGEN_SCHEMA_KEYWORD',
        severity: 'error',
        at: '10:42',
        pointer: '/prompts/0/elicit/0/properties/x/fromat',
        message: 'unknown keyword "fromat" in the elicitation schema of prompt "p". Did you mean "format"?'
      }
    ]);
  });
});

describe('unquoted text in a YAML flow map', () => {
  it.each<[string, string, Want[]]>([
    [
      'a comma in a description',
      tool('q: { type: string, description: Country code, e.g. US }'),
      [
        {
          code: 'MCPGEN_YAML_UNQUOTED',
          severity: 'warning',
          at: '8:55',
          pointer: '/tools/0/input/properties/q/e.g. US',
          message:
            'unquoted text "e.g. US" became a key with no value (a comma ends a value in a { } map): quote ' +
            'the whole text, e.g. description: "Country code, e.g. US"'
        }
      ]
    ],
    [
      'two commas: one warning for the whole text',
      tool('q: { type: string, description: Country code, e.g. US, or GB }'),
      [
        {
          code: 'MCPGEN_YAML_UNQUOTED',
          severity: 'warning',
          at: '8:55',
          pointer: '/tools/0/input/properties/q/e.g. US',
          message:
            'unquoted text "e.g. US, or GB" became keys with no value (a comma ends a value in a { } map): ' +
            'quote the whole text, e.g. description: "Country code, e.g. US, or GB"'
        }
      ]
    ],
    ['the same text, quoted', tool('q: { type: string, description: "Country code, e.g. US" }'), []],
    ['a null default is a value, not text', tool('q: { type: [string, "null"], default: null }'), []],
    [
      'outside schemas too',
      'server: { name: s, version: "1", instructions: Read, then answer }\n',
      [
        {
          code: 'MCPGEN_YAML_UNQUOTED',
          severity: 'warning',
          at: '1:54',
          pointer: '/server/then answer',
          message:
            'unquoted text "then answer" became a key with no value (a comma ends a value in a { } map): ' +
            'quote the whole text, e.g. instructions: "Read, then answer"'
        }
      ]
    ]
  ])('%s', async (_name, manifest, want) => {
    expect(await diagnose(manifest)).toEqual(want);
  });
});

describe('formats in an OpenAPI document', () => {
  /** One GET operation per property: each format in its own operation, all kept as tools. */
  const spec = (formats: string[]) =>
    JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'f', version: '1' },
      servers: [{ url: 'http://127.0.0.1:9/v1' }],
      paths: Object.fromEntries(
        formats.map((format, i) => [
          `/op${i}`,
          {
            get: {
              operationId: `op${i}`,
              parameters: [{ name: 'v', in: 'query', schema: { type: format.startsWith('int') ? 'integer' : 'string', format } }],
              responses: { 200: { description: 'ok' } }
            }
          }
        ])
      )
    });
  const manifest = 'server: { name: s, version: "1" }\nsources:\n  api:\n    openapi: ./api.json\n';

  it.each<[string, string[], Want[]]>([
    [
      'OpenAPI and JSON Schema formats are known',
      ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'date-time', 'uuid'],
      []
    ],
    [
      'any other format is a warning per format, and no operation is lost',
      ['decimal', 'int32', 'decimal', 'unixtime'],
      [
        {
          code: 'MCPGEN_SCHEMA_FORMAT',
          severity: 'warning',
          at: '4:14',
          pointer: '/sources/api/openapi',
          message: 'source "api" uses format "decimal", which mcp-gen does not know: its values are not checked (2 operation(s): op0, op2)'
        },
        {
          code: 'MCPGEN_SCHEMA_FORMAT',
          severity: 'warning',
          at: '4:14',
          pointer: '/sources/api/openapi',
          message: 'source "api" uses format "unixtime", which mcp-gen does not know: its values are not checked (1 operation(s): op3)'
        }
      ]
    ]
  ])('%s', async (_name, formats, want) => {
    expect(await diagnose(manifest, { 'api.json': spec(formats) })).toEqual(want);
  });

  it('keeps every operation', async () => {
    const dir = tempDir('mcpgen-schema-');
    writeFileSync(join(dir, 'api.json'), spec(['decimal', 'int32', 'decimal', 'unixtime']));
    writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
    const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: { PATH: process.env.PATH } });
    expect(result.artifact?.tools.map((t) => t.name)).toEqual(['op0', 'op1', 'op2', 'op3']);
  });
});
