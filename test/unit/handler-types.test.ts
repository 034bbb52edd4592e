/** types.d.ts: handler argument types follow `$ref`s within the schema, so a referenced shape is typed, not `unknown`. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { schemaToType } from '../../generators/emit/types.js';

const point = { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] };

describe('schemaToType with $ref', () => {
  it.each([
    {
      name: '$defs',
      schema: { $defs: { p: point }, type: 'object', properties: { at: { $ref: '#/$defs/p' } } },
      want: '{\n  "at"?: {\n    "x": number;\n  };\n}'
    },
    {
      name: 'definitions',
      schema: { definitions: { id: { type: 'integer' } }, type: 'array', items: { $ref: '#/definitions/id' } },
      want: 'Array<number>'
    },
    {
      name: 'a ref to a ref',
      schema: { $defs: { a: { $ref: '#/$defs/b' }, b: { enum: ['on', 'off'] } }, $ref: '#/$defs/a' },
      want: '"on" | "off"'
    },
    { name: 'escaped name', schema: { $defs: { 'a/b': { type: 'string' } }, $ref: '#/$defs/a~1b' }, want: 'string' },
    {
      name: 'inside a union',
      schema: { $defs: { s: { type: 'string' } }, anyOf: [{ $ref: '#/$defs/s' }, { type: 'null' }] },
      want: 'string | null'
    },
    {
      name: 'recursive',
      schema: { $defs: { n: { type: 'object', properties: { next: { $ref: '#/$defs/n' } } } }, $ref: '#/$defs/n' },
      want: '{\n  "next"?: unknown;\n}'
    },
    { name: 'missing', schema: { $ref: '#/$defs/none' }, want: 'unknown' },
    { name: 'another document', schema: { $ref: 'other.json#/x' }, want: 'unknown' },
    { name: 'malformed escape', schema: { $ref: '#/$defs/%E0%A4%A' }, want: 'unknown' }
  ])('$name', ({ schema, want }) => {
    expect(schemaToType(schema as never, '')).toBe(want);
  });
});

describe('types.d.ts of a handler tool', () => {
  it('types $ref arguments and keeps claim-filled ones the public schema hides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-handler-types-'));
    mkdirSync(join(dir, 'handlers'));
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: h, version: "1" }
auth:
  apiKeys:
    - { name: ci, key: "\${KEY}", claims: { tenant: acme } }
tools:
  - name: move
    description: d
    input:
      $defs:
        point: { type: object, properties: { x: { type: number } }, required: [x] }
      properties:
        to: { $ref: "#/$defs/point" }
        tenant: { type: string, fromAuth: claims.tenant }
      required: [to, tenant]
    handler: ./handlers/move.ts
`
    );
    // Reading args.to.x as a number must type-check: an `unknown` argument would not.
    const handler =
      "import type { Handlers } from '../.mcp-gen/types.js';\nconst h: Handlers['move'] = async (args) " +
      '=> `${args.tenant}:${args.to.x.toFixed(1)}`;\nexport default h;\n';
    writeFileSync(join(dir, 'handlers', 'move.ts'), handler);
    const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: { KEY: 'a-long-enough-test-key-0123456789' } });
    expect(result.diagnostics.filter((d) => d.severity !== 'warning').map((d) => `${d.code} ${d.pointer} ${d.message}`)).toEqual([]);
    expect(result.files.get('types.d.ts')).toContain('"move": {\n    "to": {\n      "x": number;\n    };\n    "tenant": string;\n  };');
    const tool = result.artifact!.tools[0]!;
    expect(Object.keys((tool.descriptor.inputSchema as { properties: object }).properties)).toEqual(['to']);
    expect(tool.fromAuth).toEqual({ tenant: 'claims.tenant' });
  });
});
