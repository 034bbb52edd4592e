/**
 * `mcp-gen bundle --mcpb` end to end: the CLI installs the bundle folder and packs it; the official MCPB tool
 * (@anthropic-ai/mcpb) unpacks the file and validates its manifest, and the unpacked server, started over stdio
 * as a desktop client starts it (its `mcp_config`), serves a template tool and a handler tool whose npm import
 * comes from the node_modules inside the .mcpb.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unpackExtension, validateManifest } from '@anthropic-ai/mcpb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectWith, removeProjects, templateAndHandler } from '../helpers/bundle-projects.js';
import { bundleMcpb, connectStdio } from '../helpers/bundle-served.js';
import type { Connected } from '../helpers/e2e-server.js';

let packed: { parent: string; remove(): void };
let unpacked: string;

beforeAll(async () => {
  packed = await bundleMcpb(join(projectWith(templateAndHandler), 'mcp-gen.yaml'));
  unpacked = join(packed.parent, 'unpacked');
  expect(await unpackExtension({ mcpbPath: join(packed.parent, 'bundle-demo-2.0.0.mcpb'), outputDir: unpacked, silent: true })).toBe(true);
}, 240_000);

afterAll(() => {
  packed?.remove();
  removeProjects();
});

const text = (r: { content: unknown }) => (r.content as { text?: string }[]).map((c) => c.text ?? '').join('');

describe('the .mcpb written by bundle --mcpb', () => {
  it('is named after the server and its version, next to the bundle folder', () => {
    expect(readdirSync(packed.parent).filter((f) => f.endsWith('.mcpb'))).toEqual(['bundle-demo-2.0.0.mcpb']);
  });

  it("holds a manifest the official validator accepts, and leaves the container's and registry's files out", () => {
    expect(validateManifest(join(unpacked, 'manifest.json'))).toBe(true);
    for (const name of ['server.mjs', '.mcp-gen/artifact.json', 'node_modules/mime/package.json'])
      expect(existsSync(join(unpacked, name)), name).toBe(true);
    for (const name of ['Dockerfile', 'server.json', 'package-lock.json']) expect(existsSync(join(unpacked, name)), name).toBe(false);
  });

  describe('served as a desktop client starts it', () => {
    let connected: Connected;
    beforeAll(async () => {
      const { server } = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as {
        server: { mcp_config: { args: string[] } };
      };
      expect(server.mcp_config.args).toEqual(['${__dirname}/server.mjs', '--stdio']);
      connected = await connectStdio(unpacked);
    });
    afterAll(() => connected?.close());

    it('calls the template tool and the handler tool (its npm import from the packed node_modules)', async () => {
      expect(text(await connected.client.callTool({ name: 'greet', arguments: { name: 'Ada' } }))).toBe('Hello, Ada!');
      expect(text(await connected.client.callTool({ name: 'mime_of', arguments: { file: 'photo.png' } }))).toBe('image/png');
    });
  });
});
