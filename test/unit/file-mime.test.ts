/**
 * How a file is served (text or base64 blob, and its MIME type): by the type of its extension, with local
 * overrides of the `mime` package, and for extensions no table knows by whether the bytes are UTF-8.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { fileKind } from '../../runtime/kinds/file/index.js';
import type { Services } from '../../runtime/kinds/kind.js';

const root = mkdtempSync(join(tmpdir(), 'mcpgen-mime-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81, 0xc3]);
// A UTF-8 sequence cut in the middle (the first two bytes of €): not valid UTF-8.
const cutUtf8 = Buffer.from([0x61, 0xe2, 0x82]);

const cases: { name: string; bytes: Buffer; declared?: string; want: { mimeType: string; text?: string; blob?: true } }[] = [
  {
    name: 'App.tsx',
    bytes: utf8('export const A = () => <p>é</p>;\n'),
    want: { mimeType: 'text/plain', text: 'export const A = () => <p>é</p>;\n' }
  },
  { name: 'app.rb', bytes: utf8('puts "€"\n'), want: { mimeType: 'text/plain', text: 'puts "€"\n' } },
  { name: 'Makefile', bytes: utf8('all:\n\ttrue\n'), want: { mimeType: 'text/plain', text: 'all:\n\ttrue\n' } },
  { name: 'main.ts', bytes: utf8('let x = 1;\n'), want: { mimeType: 'text/x-typescript', text: 'let x = 1;\n' } },
  { name: 'lib.rs', bytes: utf8('fn main() {}\n'), want: { mimeType: 'text/x-rust', text: 'fn main() {}\n' } },
  { name: 'App.jsx', bytes: utf8('<a/>'), want: { mimeType: 'text/jsx', text: '<a/>' } },
  { name: 'run.sh', bytes: utf8('echo hi\n'), want: { mimeType: 'text/x-shellscript', text: 'echo hi\n' } },
  { name: 'notes.md', bytes: utf8('# hi'), want: { mimeType: 'text/markdown', text: '# hi' } },
  { name: 'data.json', bytes: utf8('{}'), want: { mimeType: 'application/json', text: '{}' } },
  { name: 'icon.svg', bytes: utf8('<svg/>'), want: { mimeType: 'image/svg+xml', text: '<svg/>' } },
  { name: 'blob.qqq', bytes: binary, want: { mimeType: 'application/octet-stream', blob: true } },
  { name: 'cut.qqq', bytes: cutUtf8, want: { mimeType: 'application/octet-stream', blob: true } },
  { name: 'photo.png', bytes: utf8('not really a png'), want: { mimeType: 'image/png', blob: true } },
  { name: 'clip.mp4', bytes: binary, want: { mimeType: 'video/mp4', blob: true } },
  { name: 'font.woff2', bytes: binary, want: { mimeType: 'font/woff2', blob: true } },
  { name: 'App2.tsx', bytes: binary, want: { mimeType: 'application/octet-stream', blob: true } },
  {
    name: 'declared.tsx',
    bytes: utf8('x'),
    declared: 'application/octet-stream',
    want: { mimeType: 'application/octet-stream', blob: true }
  },
  { name: 'declared.bin', bytes: utf8('x'), declared: 'text/x-custom', want: { mimeType: 'text/x-custom', text: 'x' } }
];

describe('a directory resource file is served by its type, or by its bytes when no table knows its extension', () => {
  it.each(cases)('$name', async ({ name, bytes, declared, want }) => {
    writeFileSync(join(root, name), bytes);
    const services = { root } as unknown as Services;
    const read = fileKind.resourceTemplate!(
      { kind: 'file', root } as never,
      services,
      declared ? { name: 'files', mimeType: declared } : { name: 'files' }
    );
    const [got] = (await read(`files://${name}`, { path: name }))!;
    expect(got!.mimeType).toBe(want.mimeType);
    if (want.blob) expect(got).toEqual({ uri: `files://${name}`, mimeType: want.mimeType, blob: bytes.toString('base64') });
    else expect(got).toEqual({ uri: `files://${name}`, mimeType: want.mimeType, text: want.text });
  });
});

describe('a file read at build time is typed by its bytes when no table knows its extension', () => {
  it('a static resource and an embedded resource of a .tsx file are text/plain text', async () => {
    const dir = mkdtempSync(join(root, 'build-'));
    writeFileSync(join(dir, 'component.tsx'), 'export const C = () => <b>ü</b>;\n');
    writeFileSync(join(dir, 'blob.qqq'), binary);
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: mime, version: 1.0.0 }
tools:
  - name: show
    description: Shows the component.
    content:
      - { type: resource, uri: "src://component.tsx", file: ./component.tsx }
resources:
  - { name: component, uri: "src://component", file: ./component.tsx }
  - { name: blob, uri: "src://blob", file: ./blob.qqq }
`
    );
    const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), outDir: join(dir, '.mcp-gen') });
    expect(result.diagnostics).toEqual([]);
    const artifact = JSON.parse(result.files.get('artifact.json')!) as {
      resources: { name: string; mimeType: string }[];
      tools: { exec: unknown }[];
    };
    expect(Object.fromEntries(artifact.resources.map((r) => [r.name, r.mimeType]))).toEqual({
      component: 'text/plain',
      blob: 'application/octet-stream'
    });
    expect(artifact.tools[0]!.exec).toMatchObject({
      content: [{ type: 'resource', mimeType: 'text/plain', text: 'export const C = () => <b>ü</b>;\n' }]
    });
  });
});
