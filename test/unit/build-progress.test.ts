/**
 * A build that takes more than a second shows its phases on one stderr line, on a terminal only, and not with
 * --quiet; the build reports its phases through `onPhase`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { build } from '../../generators/build.js';
import { buildCommand } from '../../generators/cli/commands/build.js';
import { progressLine } from '../../generators/cli/progress.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function sink(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (s: string) => (written.push(s), true) } };
}

describe('build progress', () => {
  const given: [string, boolean, boolean, boolean][] = [
    ['a terminal', true, false, true],
    ['not a terminal', false, false, false],
    ['a terminal with --quiet', true, true, false]
  ];
  it.each(given)('after a second on %s', (_label, isTTY, quiet, shows) => {
    vi.useFakeTimers();
    const { written, stream } = sink(isTTY);
    const progress = progressLine(stream, { quiet });
    progress.phase('loading OpenAPI documents');
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1000);
    progress.phase('type-checking handlers');
    progress.done();
    if (shows) {
      // biome-ignore-start lint/suspicious/noControlCharactersInRegex: each line must start with the terminal's clear-line escape
      expect(written[0]).toMatch(/^\r\x1b\[Kbuilding: loading OpenAPI documents/);
      expect(written[1]).toMatch(/^\r\x1b\[Kbuilding: type-checking handlers/);
      // biome-ignore-end lint/suspicious/noControlCharactersInRegex: each line must start with the terminal's clear-line escape
      expect(written.at(-1)).toBe('\r\x1b[K');
    } else expect(written).toEqual([]);
  });

  it('a build under a second shows nothing', () => {
    vi.useFakeTimers();
    const { written, stream } = sink(true);
    const progress = progressLine(stream, { quiet: false });
    progress.phase('lowering');
    progress.done();
    vi.advanceTimersByTime(5000);
    expect(written).toEqual([]);
  });

  it('the build reports its phases in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-progress-'));
    writeFileSync(join(dir, 'mcp-gen.yaml'), 'server: { name: s, version: 1.0.0 }\ntools:\n  - { name: t, description: d, template: x }\n');
    const phases: string[] = [];
    await build({ manifest: join(dir, 'mcp-gen.yaml'), env: {}, onPhase: (p) => phases.push(p) });
    expect(phases).toEqual([
      'reading the manifest',
      'lowering the manifest',
      'checking SQL statements',
      'compiling handlers',
      'bundling the artifact'
    ]);
  });

  it('build --quiet prints only problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-quiet-'));
    writeFileSync(join(dir, 'mcp-gen.yaml'), 'server: { name: s, version: 1.0.0 }\ntools:\n  - { name: t, description: d, template: x }\n');
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    expect(await buildCommand(['-m', join(dir, 'mcp-gen.yaml'), '--quiet'])).toBe(0);
    expect(err).toEqual([]);
  });
});
