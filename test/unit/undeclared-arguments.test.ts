/**
 * Arguments a tool does not declare are refused as a tool error the model can act on (the accepted names and
 * a likely typo), in both eras; `input.additionalProperties: true` opts out; what the schema declares through
 * combinators, patternProperties or x-mcp-header is accepted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { buildToTemp } from '../helpers/artifact.js';
import { createCore } from '../../runtime/serve.js';

const manifest = `server: { name: args, version: "1" }
tools:
  - name: search
    description: d
    input: { properties: { query: { type: string }, limit: { type: integer } }, required: [query] }
    template: "{{query}}"
  - name: open
    description: d
    input: { properties: { a: { type: string } }, additionalProperties: true }
    template: "{{a}}"
  - name: combo
    description: d
    input:
      properties: { kind: { enum: [a, b] } }
      oneOf:
        - { properties: { kind: { const: a }, alpha: { type: string } }, required: [kind] }
        - { properties: { kind: { const: b }, beta: { type: string } }, required: [kind] }
    template: "{{kind}}"
  - name: patterned
    description: d
    input: { properties: { id: { type: string } }, patternProperties: { "^x-": { type: string } } }
    template: "{{id}}"
  - name: headed
    description: d
    input: { properties: { region: { type: string, x-mcp-header: Region } } }
    template: "{{region}}"
  - name: bare
    description: d
    template: "hi"
  - name: reffed
    description: d
    input: { $defs: { Q: { properties: { q: { type: string } } } }, $ref: "#/$defs/Q" }
    template: "ok"
`;

const modernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const legacy = (): Channel => ({ legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} });
const modern = (): Channel => ({ notify: () => {} });
let core: McpCore;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-args-'));
  writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
  core = await createCore(await loadArtifact(await buildToTemp(join(dir, 'mcp-gen.yaml'))), { log: createLogger('error', () => {}) });
});

async function request(channel: Channel, method: string, params: Record<string, unknown>): Promise<any> {
  const meta = channel.legacy ? {} : { _meta: modernMeta };
  const reply = JSON.parse((await core.request(1, method, { ...params, ...meta }, channel, new AbortController().signal)).body);
  expect(reply.error).toBeUndefined();
  return reply.result;
}

describe.each([
  ['2025-11-25 session', legacy],
  ['2026-07-28 stateless', modern]
] as const)('undeclared arguments, %s', (_era, channel) => {
  it.each([
    ['search', { query: 'q', limit: 2 }, undefined],
    ['search', { query: 'q', limt: 2 }, ['unknown argument "limt". Did you mean "limit"?', 'It accepts these arguments: query, limit.']],
    [
      'search',
      { qurey: 'q', zzz: 1 },
      ['unknown argument "qurey". Did you mean "query"?', 'unknown argument "zzz".\n', 'missing required argument "query"']
    ],
    [
      'search',
      Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`x${i}`, i])),
      ['- unknown argument "x9".\n- and 2 more unknown arguments\nIt accepts these arguments: query, limit.']
    ],
    ['open', { a: 'x', b: 1 }, undefined],
    ['combo', { kind: 'a', alpha: 'x' }, undefined],
    ['combo', { kind: 'a', gamma: 'x' }, ['unknown argument "gamma"', 'kind, alpha, beta']],
    ['patterned', { id: '1', 'x-trace': 't' }, undefined],
    ['patterned', { id: '1', trace: 't' }, ['unknown argument "trace"', 'id (and names matching ^x-)']],
    ['headed', { region: 'eu' }, undefined],
    ['bare', {}, undefined],
    ['bare', { name: 'x' }, ['unknown argument "name"', 'It takes no arguments.']],
    ['reffed', { q: 'x' }, undefined],
    ['reffed', { r: 'x' }, ['unknown argument "r". Did you mean "q"?', 'It accepts these arguments: q.']]
  ])('%s %j', async (name, args, want) => {
    const result = await request(channel(), 'tools/call', { name, arguments: args });
    if (want === undefined) return expect(result.isError).toBeUndefined();
    expect(result.isError).toBe(true);
    for (const part of want) expect(result.content[0].text).toContain(part);
  });

  it('publishes the rule in each inputSchema, and the opt-out', async () => {
    const tools = new Map((await request(channel(), 'tools/list', {})).tools.map((t: any) => [t.name, t.inputSchema]));
    expect(tools.get('search')).toMatchObject({ additionalProperties: false });
    expect(tools.get('patterned')).toMatchObject({ additionalProperties: false });
    expect(tools.get('bare')).toMatchObject({ additionalProperties: false });
    expect(tools.get('open')).toMatchObject({ additionalProperties: true });
    expect(tools.get('combo')).toMatchObject({ unevaluatedProperties: false });
    expect(tools.get('combo')).not.toHaveProperty('additionalProperties');
    expect(tools.get('reffed')).toMatchObject({ unevaluatedProperties: false });
  });
});

describe('the refuseUndeclared flag in the IR', () => {
  it('is set on every tool whose schema the rule closes, and absent on one that opts out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-args-'));
    writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
    const { artifact } = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {} });
    const flags = Object.fromEntries(artifact!.tools.map((t) => [t.name, t.refuseUndeclared ?? false]));
    expect(flags).toEqual({ search: true, open: false, combo: true, patterned: true, headed: true, bare: true, reffed: true });
  });
});
