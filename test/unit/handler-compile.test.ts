/** Handler compile and type errors: each one a diagnostic at the handler source (or the manifest), never a throw. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';

const manifest = `server: { name: h, version: "1" }
tools:
  - name: first
    description: d
    input: { properties: { n: { type: integer } } }
    handler: ./handlers/first.ts
  - name: second
    description: d
    input: { properties: { s: { type: string } } }
    handler: ./handlers/second.ts
`;
const header = "import type { Handlers } from '../.mcp-gen/types.js';\n";
const first =
  `${header}const h: Handlers['first'] = async ({ n }) => ({ content: [{ type: 'text', text: ` + `String(n) }] });\nexport default h;\n`;

async function diagnostics(second: string, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-handlers2-'));
  mkdirSync(join(dir, 'handlers'));
  writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
  writeFileSync(join(dir, 'handlers', 'first.ts'), first);
  writeFileSync(join(dir, 'handlers', 'second.ts'), second);
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, 'handlers', name), text);
  const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
  return {
    artifact: result.artifact,
    found: result.diagnostics.map((d) => ({
      code: d.code,
      message: d.message,
      pointer: d.pointer,
      at: d.at && `${String(d.at.file).replace(dir, '').replace(/\\/g, '/')}:${d.at.line}:${d.at.col}`
    }))
  };
}

describe('handler compile and type errors', () => {
  it('both handlers well typed: no diagnostics', async () => {
    const { found, artifact } = await diagnostics(
      `${header}const h: Handlers['second'] = async ({ s }) => ({ content: [{ type: 'text', text: String(s) }] });\nexport default h;\n`
    );
    expect(found).toEqual([]);
    expect(artifact?.tools.map((t) => t.name)).toEqual(['first', 'second']);
  });

  it.each([
    [
      'a syntax error, at its place in the handler',
      'export default (( =>;\n',
      {},
      {
        code: 'MCPGEN_HANDLER_COMPILE',
        message: 'Unexpected "=>" (handler of tool "second")',
        pointer: '/tools/1/handler',
        at: '/handlers/second.ts:1:19'
      }
    ],
    [
      'an import that does not resolve',
      "import { nope } from './nothere.js';\nexport default nope;\n",
      {},
      {
        code: 'MCPGEN_HANDLER_COMPILE',
        message: 'Could not resolve "./nothere.js" (handler of tool "second")',
        pointer: '/tools/1/handler',
        at: '/handlers/second.ts:1:22'
      }
    ],
    [
      'a default export of the wrong type, named after its tool at the manifest entry',
      'export default 42;\n',
      {},
      {
        code: 'MCPGEN_HANDLER_TYPE',
        message: expect.stringContaining('handler of tool "second" does not match Handlers["second"]: Type \'number\' is not assignable'),
        pointer: '/tools/1/handler',
        at: '/mcp-gen.yaml:10:14'
      }
    ],
    [
      'a type error inside the handler, at its place',
      `${header}const h: Handlers['second'] = async ({ s }) => { const x: number = s; return { content: [] }; };\nexport default h;\n`,
      {},
      {
        code: 'MCPGEN_HANDLER_TYPE',
        message: expect.stringMatching(/^Type 'string \| undefined' is not assignable to type 'number'\..*\(handler of tool "second"\)$/),
        pointer: '/tools/1/handler',
        at: '/handlers/second.ts:2:56'
      }
    ],
    // A local module is not a handler itself: its errors are placed in it, and filed under the first handler.
    [
      'a type error in a local module a handler imports',
      `import { twice } from './util.js';\n${header}const h: Handlers['second'] = async ({ s }) => ({ ` +
        `content: [{ type: 'text', text: twice(String(s)) }] });\nexport default h;\n`,
      { 'util.ts': 'export const twice = (s: string): string => { const n: number = s; return s + s; };\n' },
      {
        code: 'MCPGEN_HANDLER_TYPE',
        message: "Type 'string' is not assignable to type 'number'. (handler of tool \"first\")",
        pointer: '/tools/0/handler',
        at: '/handlers/util.ts:1:53'
      }
    ]
  ])('%s', async (_label, second, extra, want) => {
    const { found, artifact } = await diagnostics(second, extra);
    expect(found).toEqual([want]);
    expect(artifact).toBeUndefined();
  });
});

describe('claim-filled arguments in handler types', () => {
  it('types a fromAuth argument for the handler (it receives it) while the model never sees it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-handlers-fromauth-'));
    mkdirSync(join(dir, 'handlers'));
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: h, version: "1" }
auth:
  apiKeys:
    - { name: ci, key: "\${KEY}", claims: { tenant: acme } }
tools:
  - name: mine
    description: d
    input:
      properties:
        tenant: { type: string, fromAuth: claims.tenant }
        q: { type: string }
      required: [tenant, q]
    handler: ./handlers/mine.ts
`
    );
    // Reading args.tenant as a string must type-check: a missing property or an optional one would not.
    writeFileSync(
      join(dir, 'handlers', 'mine.ts'),
      `${header}const h: Handlers['mine'] = async (args) => { const t: string = args.tenant; return { ` +
        `content: [{ type: 'text', text: t + args.q }] }; };\nexport default h;\n`
    );
    const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: { KEY: 'a-long-enough-test-key-0123456789' } });
    expect(result.diagnostics.filter((d) => d.severity !== 'warning').map((d) => `${d.code} ${d.pointer} ${d.message}`)).toEqual([]);
    expect(result.files.get('types.d.ts')).toContain('"mine": {\n    "tenant": string;\n    "q": string;\n  };');
    const tool = result.artifact!.tools[0]!;
    expect(Object.keys((tool.descriptor.inputSchema as { properties: object }).properties)).toEqual(['q']);
  });
});
