import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../generators/load/load-manifest.js';
import { interpolateEnv } from '../../runtime/env.js';
import { parseUriTemplate, matchUriTemplate } from '../../runtime/uri-template.js';
import { isTextMime, mimeTypeOf } from '../../runtime/mime.js';
import { schemaToType } from '../../generators/emit/types.js';
import { closest } from '../../runtime/suggest.js';
import { createGuard, hostnameOf } from '../../runtime/transports/guard.js';
import { decodeHeaderValue } from '../../runtime/transports/headers.js';
import { classify } from '../../runtime/transports/message.js';

describe('interpolateEnv', () => {
  const env = { NAME: 'ada', EMPTY: '' };
  it.each([
    ['plain', 'plain', []],
    ['${NAME}', 'ada', []],
    ['a-${NAME}-b', 'a-ada-b', []],
    ['${MISSING:-fallback}', 'fallback', []],
    ['${EMPTY:-fallback}', 'fallback', []],
    ['${MISSING}', '', ['MISSING']],
    ['$${NAME}', '${NAME}', []],
    ['${NAME:-}', 'ada', []]
  ])('%s → %s', (given, want, missing) => {
    expect(interpolateEnv(given, env)).toEqual({ value: want, missing });
  });
  it('escapes substituted values when asked (JSON text)', () => {
    expect(interpolateEnv('"${Q}"', { Q: 'a"b' }, (s) => JSON.stringify(s).slice(1, -1)).value).toBe('"a\\"b"');
  });
});

describe('parseManifest positions', () => {
  const text = 'server:\n  name: x\n  version: "1"\ntools:\n  - name: t\n    description: d\n    template: hi\n';
  const { manifest } = parseManifest(text, '/tmp/m.yaml', 'm.yaml', {});
  it.each([
    ['/server/name', false, { line: 2, col: 9 }],
    ['/server/name', true, { line: 2, col: 3 }],
    ['/tools/0/template', false, { line: 7, col: 15 }],
    ['/tools/0/missing/deeper', false, { line: 5, col: 5 }],
    ['', false, { line: 1, col: 1 }]
  ])('%s (key=%s)', (pointer, key, want) => {
    expect(manifest!.source.locate(pointer, { key })).toMatchObject(want);
  });
  it('reports YAML syntax errors with a position', () => {
    const r = parseManifest('a: [1,\n', '/tmp/x.yaml', 'x.yaml', {});
    expect(r.manifest).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: 'MCPGEN_YAML_SYNTAX', at: { file: 'x.yaml' } });
  });
  it('keeps template text literal and interpolates configuration', () => {
    const r = parseManifest(
      'server: { name: "${N}", version: "1" }\ntools:\n  - { name: t, description: d, template: "${N}" }\n',
      '/tmp/y.yaml',
      'y.yaml',
      { N: 'srv' }
    );
    expect(r.manifest!.value).toMatchObject({ server: { name: 'srv' }, tools: [{ template: '${N}' }] });
    expect(r.manifest!.raw).toMatchObject({ server: { name: '${N}' } });
  });
});

describe('URI templates', () => {
  it.each([
    ['docs://pages/{page}', 'docs://pages/intro.md', { page: 'intro.md' }],
    ['docs://pages/{page}', 'docs://pages/a/b', undefined],
    ['docs://files/{+path}', 'docs://files/a/b.md', { path: 'a/b.md' }],
    ['x://{a}/{b}', 'x://1/2', { a: '1', b: '2' }],
    ['x://{a}', 'x://%E2%9C%93', { a: '✓' }],
    ['x://{a}', 'x://%E0%A4%A', undefined]
  ])('%s matches %s', (template, uri, want) => {
    const parsed = parseUriTemplate(template);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(matchUriTemplate(new RegExp(parsed.pattern), parsed.variables, uri)).toEqual(want);
  });
  it.each([
    ['x://{a', 'unclosed'],
    ['x://a}', 'unbalanced'],
    ['x://{?q}', 'unsupported'],
    ['x://{a}/{a}', 'twice']
  ])('rejects %s', (template, want) => {
    expect(JSON.stringify(parseUriTemplate(template))).toContain(want);
  });
});

describe('small helpers', () => {
  it.each([
    ['a.md', 'text/markdown', true],
    ['a.PNG', 'image/png', false],
    ['a.json', 'application/json', true],
    ['a.bin', 'application/octet-stream', false],
    ['a.svg', 'image/svg+xml', true]
  ])('mime of %s', (file, mime, text) => {
    expect(mimeTypeOf(file)).toBe(mime);
    expect(isTextMime(mime)).toBe(text);
  });
  it.each([
    [
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer', default: 1 } }, required: [] },
      '{\n  "a"?: string;\n  "b": number;\n}'
    ],
    [{ enum: ['x', 'y'] }, '"x" | "y"'],
    [{ type: ['string', 'null'] }, 'string | null'],
    [{ type: 'array', items: { type: 'boolean' } }, 'Array<boolean>'],
    [{ anyOf: [{ const: 1 }, { type: 'number' }] }, '1 | number'],
    [{ type: 'object' }, 'Record<string, unknown>'],
    [true, 'unknown'],
    [false, 'never']
  ])('schemaToType %j', (schema, want) => {
    expect(schemaToType(schema as never, '')).toBe(want);
  });
  it('suggests close keys only', () => {
    expect(closest('descripton', ['description', 'name'])).toBe('description');
    expect(closest('zzz', ['description', 'name'])).toBeUndefined();
  });
});

describe('transport guards', () => {
  const guard = createGuard({ host: '127.0.0.1', allowedHosts: ['mcp.example.com'], allowedOrigins: ['https://app.example.com'] });
  it.each([
    ['localhost:3000', undefined, true],
    ['127.0.0.1', undefined, true],
    ['[::1]:3000', undefined, true],
    ['mcp.example.com', undefined, true],
    ['evil.example', undefined, false],
    [undefined, undefined, false],
    ['localhost:3000', 'http://localhost:5173', true],
    ['localhost:3000', 'https://app.example.com', true],
    ['localhost:3000', 'https://evil.example', false],
    ['localhost:3000', 'null', false]
  ])('host %s origin %s', (host, origin, ok) => {
    expect(guard.check(host, origin) === undefined).toBe(ok);
  });
  it.each([
    ['[::1]:80', '[::1]'],
    ['[::1]', '[::1]'],
    ['Example.COM:8080', 'example.com'],
    ['localhost', 'localhost'],
    ['localhost:0', 'localhost'],
    ['localhost:65535', 'localhost'],
    ['my_host.local:1', 'my_host.local'],
    ['[fe80::1]:8080', '[fe80::1]'],
    ['[fe80::1%25eth0]:8080', undefined],
    // Malformed: each of these once crashed an authenticated server (issue 10).
    ['127.0.0.1:abc', undefined],
    ['localhost:99999', undefined],
    ['localhost:65536', undefined],
    ['[::1]:x', undefined],
    ['127.0.0.1:-1', undefined],
    ['localhost:80 x', undefined],
    ['localhost:', undefined],
    ['[::1', undefined],
    ['[::1]x', undefined],
    ['local host', undefined],
    ['a:1:2', undefined],
    ['user@localhost', undefined],
    ['', undefined],
    ['x'.repeat(254), undefined],
    // Characters allowed, yet the URL parser refuses them (they passed once, and were answered 500).
    ['1.2.3.999', undefined],
    ['[:::]', undefined],
    ['xn--a', undefined]
  ])('Host %j has the name %j', (host, name) => {
    expect(hostnameOf(host)).toBe(name);
  });
  it.each([
    ['tools/call', 'tools/call'],
    ['  x  ', 'x'],
    ['=?base64?aGVsbG8=?=', 'hello'],
    ['=?base64?not base64?=', undefined],
    ['=?base64?abc?=', undefined]
  ])('header value %s', (given, want) => {
    expect(decodeHeaderValue(given)).toBe(want);
  });
  it.each([
    [{ jsonrpc: '2.0', id: 1, method: 'x' }, 'request'],
    [{ jsonrpc: '2.0', method: 'x' }, 'notification'],
    [{ jsonrpc: '2.0', id: 1, result: {} }, 'response'],
    [{ jsonrpc: '1.0', id: 1, method: 'x' }, 'invalid'],
    [[{ jsonrpc: '2.0', id: 1, method: 'x' }], 'invalid'],
    [{ jsonrpc: '2.0', id: {}, method: 'x' }, 'invalid'],
    [{ jsonrpc: '2.0', id: 1, method: 'x', params: 3 }, 'invalid'],
    [null, 'invalid']
  ])('classifies %j', (msg, type) => {
    expect(classify(msg).type).toBe(type);
  });
});
