/**
 * `format:` is validated by the running server too: the artifact's precompiled validators carry ajv-formats'
 * checks inside validators.mjs itself (the runtime imports no generator dependency).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { buildToTemp } from '../helpers/artifact.js';
import { cleanupTemp, tempDir } from '../helpers/e2e-server.js';
import { createCore } from '../../runtime/serve.js';

afterAll(() => cleanupTemp());

type Validate = ((data: unknown) => boolean) & { errors?: { message?: string }[] | null };

const manifest = `server: { name: s, version: "1" }
tools:
  - name: t
    description: d
    template: "booked {{day}}"
    input:
      properties:
        day: { type: string, format: date }
        mail: { type: string, format: email }
        id: { type: string, format: uuid }
        count: { type: integer, format: int32 }
`;

describe('format: in the artifact validators', async () => {
  const dir = tempDir('mcpgen-formats-');
  writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
  const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: { PATH: process.env.PATH } });
  const source = result.files.get('validators.mjs') ?? '';
  writeFileSync(join(dir, 'validators.mjs'), source);
  const validators = (await import(pathToFileURL(join(dir, 'validators.mjs')).href)) as Record<string, Validate>;
  const validate = validators[result.artifact!.tools[0]!.validator]!;

  it('builds without diagnostics', () => {
    expect(result.diagnostics).toEqual([]);
  });
  it('imports nothing: the format checks are bundled in', () => {
    expect(source).not.toMatch(/^\s*import\s|require\(["']/m);
  });
  it.each<[string, Record<string, unknown>, boolean]>([
    ['valid values', { day: '2026-02-28', mail: 'a@example.com', id: '0b7e5c1a-3f2d-4c8e-9a6b-1d2e3f4a5b6c', count: 7 }, true],
    ['an impossible date', { day: '2026-02-30' }, false],
    ['not a date', { day: 'tomorrow' }, false],
    ['not an email', { mail: 'nobody' }, false],
    ['not a uuid', { id: '1234' }, false],
    ['an integer beyond int32', { count: 2 ** 31 }, false]
  ])('%s', (_name, args, valid) => {
    expect(validate(args), JSON.stringify(validate.errors)).toBe(valid);
  });
});

describe('format: on a served tool', async () => {
  const dir = tempDir('mcpgen-formats-');
  writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
  const core = await createCore(await loadArtifact(await buildToTemp(join(dir, 'mcp-gen.yaml'))), { log: createLogger('error', () => {}) });
  const legacy: Channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };
  const call = async (args: Record<string, unknown>) =>
    JSON.parse(String((await core.request(1, 'tools/call', { name: 't', arguments: args }, legacy, new AbortController().signal)).body))
      .result as { isError?: boolean; content: { text: string }[] };

  it('answers a valid date', async () => {
    expect(await call({ day: '2026-03-01' })).toMatchObject({ content: [{ text: 'booked 2026-03-01' }] });
  });
  it('refuses an impossible date with a tool error naming the format', async () => {
    const result = await call({ day: '2026-02-30' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain('must match format "date"');
  });
});
