/**
 * Hostile input (c): path traversal against `directory:` resource templates. Generated names (`..` in plain,
 * percent-encoded, double-encoded, overlong UTF-8 and backslash forms, 1-4 levels deep), absolute paths,
 * file URLs, NUL bytes, and symbolic links out of the root; read in both eras and completed. Nothing outside
 * the folder may be read or listed, and nothing may fail as an internal error.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { Channel } from '../../runtime/core/context.js';
import type { McpCore } from '../../runtime/core/server.js';
import { createLogger } from '../../runtime/log.js';
import { buildArtifact, cleanupTemp, modernMeta, tempDir } from '../helpers/e2e-server.js';
import { report, sample } from './hostile.js';
import { createCore } from '../../runtime/serve.js';

const SECRET = 'TOPSECRET-7f1c';
let core: McpCore;
let project: string;
const internal: string[] = [];
const legacy: Channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };
const modern: Channel = { notify: () => {} };

beforeAll(async () => {
  project = tempDir('mcpgen-traversal-');
  mkdirSync(join(project, 'root', 'sub'), { recursive: true });
  writeFileSync(join(project, 'root', 'a.txt'), 'inside');
  writeFileSync(join(project, 'root', 'sub', 'b.txt'), 'inside too');
  writeFileSync(join(project, 'secret.txt'), SECRET);
  mkdirSync(join(project, 'root-sibling'));
  writeFileSync(join(project, 'root-sibling', 'x.txt'), SECRET);
  symlinkSync(join(project, 'secret.txt'), join(project, 'root', 'link.txt'));
  symlinkSync(project, join(project, 'root', 'up'));
  symlinkSync('/etc', join(project, 'root', 'etc'));
  writeFileSync(
    join(project, 'mcp-gen.yaml'),
    `server: { name: traversal, version: 1.0.0 }
resources:
  - { name: files, uriTemplate: "files://{+path}", directory: ./root }
  - { name: flat, uriTemplate: "flat://{name}", directory: ./root }
`
  );
  const dir = await buildArtifact(join(project, 'mcp-gen.yaml'));
  core = await createCore(await loadArtifact(dir), { log: createLogger('error', (line) => internal.push(line)) });
});
afterAll(() => {
  core.close();
  cleanupTemp();
});

function names(): string[] {
  const ups = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%252e%252e', '%c0%ae%c0%ae', '....', '..;', '..\u0000'];
  const seps = ['/', '%2f', '%2F', '\\', '%5c', '%252f'];
  const targets = ['secret.txt', 'root-sibling/x.txt', 'etc/passwd', '', 'root/../secret.txt'];
  const out: string[] = [];
  for (const up of ups)
    for (const sep of seps)
      for (const depth of [1, 2, 4]) for (const target of targets) out.push(Array(depth).fill(up).join(sep) + sep + target);
  out.push(
    '/etc/passwd',
    join(project, 'secret.txt'),
    '//etc/passwd',
    'file:///etc/passwd',
    '%2fetc%2fpasswd',
    '%2Fetc%2Fpasswd',
    'C:\\Windows\\win.ini',
    '\\\\server\\share',
    'a.txt%00.md',
    'a.txt\u0000',
    'a.txt\u0000../../secret.txt',
    '%00',
    'link.txt',
    'up/secret.txt',
    'up/root-sibling/x.txt',
    'etc/passwd',
    'etc/hostname',
    'sub/../../secret.txt',
    'sub/%2e%2e/%2e%2e/secret.txt',
    './../secret.txt',
    '.',
    '..',
    '',
    '~/.ssh/id_rsa',
    '${HOME}/.ssh/id_rsa',
    'a.txt/../../secret.txt',
    'sub/..%2f..%2fsecret.txt',
    '\u2024\u2024/secret.txt',
    '．．/secret.txt'
  );
  return out;
}

async function read(uri: string, channel: Channel): Promise<string> {
  const params = channel === modern ? { uri, _meta: modernMeta } : { uri };
  return String((await core.request(1, 'resources/read', params, channel, new AbortController().signal)).body);
}

describe('path traversal', () => {
  it('reads nothing outside the directory, whatever the name', async () => {
    const failures: string[] = [];
    const all = names();
    let cases = 0;
    for (const name of all) {
      for (const scheme of ['files://', 'flat://']) {
        for (const channel of [legacy, modern]) {
          cases++;
          const body = await read(scheme + name, channel);
          if (body.includes(SECRET) || body.includes('root:x:0') || body.includes('"code":-32603'))
            failures.push(`${scheme}${JSON.stringify(name)}: ${body.slice(0, 160)}`);
        }
      }
    }
    for (const value of ['..', '../', '%2e%2e/', 'up/', 'up', 'etc/', '/', '/etc/', 'link', '../root-sibling/']) {
      for (const ref of ['files://{+path}', 'flat://{name}']) {
        cases++;
        const body = String(
          (
            await core.request(
              1,
              'completion/complete',
              { ref: { type: 'ref/resource', uri: ref }, argument: { name: ref.startsWith('files') ? 'path' : 'name', value } },
              legacy,
              new AbortController().signal
            )
          ).body
        );
        if (/secret\.txt|x\.txt|passwd|hostname|root-sibling/.test(body) || body.includes('"code":-32603'))
          failures.push(`complete ${ref} ${value}: ${body.slice(0, 160)}`);
      }
    }
    report('path-traversal', cases, failures);
    expect(failures, sample(failures)).toEqual([]);
    expect(internal, internal.join('\n')).toEqual([]);
  });

  it('control: files inside the folder are read', async () => {
    expect(await read('files://a.txt', legacy)).toContain('inside');
    expect(await read('files://sub/b.txt', modern)).toContain('inside too');
    expect(await read('flat://a.txt', legacy)).toContain('inside');
  });
});
