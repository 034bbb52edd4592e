/**
 * The sandbox's heapMb bounds a worker's memory outside its V8 heap too (docs/security.md#handlers): worker
 * resourceLimits count only the heap, so Buffers and typed arrays went unbounded and grew the server's RSS.
 * The server here is this test process (McpCore in-process, sandboxes are its worker threads), so its RSS is
 * what a handler would grow. Runs the compiled sandbox entry from dist/ (`npx tsc -p .` first).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { buildToTemp } from '../helpers/artifact.js';
import { requireDist } from '../helpers/e2e-server.js';
import { createCore } from '../../runtime/serve.js';

const MB = 1024 * 1024;
const project = mkdtempSync(join(tmpdir(), 'mcpgen-sandbox-memory-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/**
 * Holds `mb` MB of written Buffers at once (`yield`: awaiting between allocations, otherwise never yielding),
 * then drops `churnMb` MB of small ones: garbage V8 collects late must not count against the handler.
 */
const buffers = `declare const Buffer: { alloc(size: number, fill: number): Uint8Array };
export default async (a: { mb: number; yield?: boolean; churnMb?: number }) => {
  const kept: Uint8Array[] = [];
  for (let i = 0; i < a.mb; i++) {
    kept.push(Buffer.alloc(1024 * 1024, i & 0xff));
    if (a.yield) await new Promise((r) => setTimeout(r, 0));
  }
  let sum = 0;
  for (let i = 0; i < (a.churnMb ?? 0) * 256; i++) sum += Buffer.alloc(4096, i & 0xff)[0]!;
  return { heldMb: kept.length, sum: sum > 0 };
};`;

const manifest = `server: { name: buffers, version: "1" }
sandbox: { heapMb: 64, workers: 1 }
tools:
  - name: buffers
    description: Holds Buffers.
    input: { properties: { mb: { type: integer }, yield: { type: boolean }, churnMb: { type: integer } }, required: [mb] }
    handler: ./buffers.ts
`;

let core: McpCore;
const channel: Channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };

async function call(args: Record<string, unknown>) {
  const r = await core.request(1, 'tools/call', { name: 'buffers', arguments: args }, channel, new AbortController().signal);
  return JSON.parse(String(r.body)).result as {
    content: { text: string }[];
    isError?: boolean;
    structuredContent?: { heldMb: number; sum: boolean };
  };
}

beforeAll(async () => {
  requireDist();
  writeFileSync(join(project, 'buffers.ts'), buffers);
  writeFileSync(join(project, 'mcp-gen.yaml'), manifest);
  core = await createCore(await loadArtifact(await buildToTemp(join(project, 'mcp-gen.yaml'))), { log: createLogger('error', () => {}) });
});

describe('heapMb bounds Buffers and typed arrays, not only the V8 heap', () => {
  it.each([
    ['Buffers allocated in a synchronous loop (the handler never yields)', { mb: 256 }],
    ['Buffers allocated across awaits', { mb: 256, yield: true }]
  ])('%s: 256 MB against heapMb 64 is a tool error, the memory is released, the next call works', async (_case, args) => {
    expect((await call({ mb: 1 })).structuredContent).toMatchObject({ heldMb: 1 });
    const before = process.memoryUsage.rss();
    for (let i = 0; i < 3; i++) {
      const r = await call(args);
      expect(r.isError).toBe(true);
      expect(r.content[0]?.text).toMatch(
        /^Tool buffers failed: it used \d+ MB outside its heap \(Buffers, typed arrays, large strings; limit 64 MB, sandbox heapMb\) and was stopped$/
      );
    }
    // The call's error comes after its worker has exited: the Buffers went with it (768 MB tried, over 256 MB
    // kept without the limit). What remains is the C allocator keeping freed thread memory for reuse.
    expect((process.memoryUsage.rss() - before) / MB).toBeLessThan(128);
    expect((await call({ mb: 1 })).structuredContent).toMatchObject({ heldMb: 1 });
  });

  it.each([
    ['holding 40 MB', { mb: 40 }],
    ['holding 40 MB across awaits', { mb: 40, yield: true }],
    ['holding 40 MB while dropping 1600 MB of small Buffers in a synchronous loop', { mb: 40, churnMb: 1600 }]
  ])('a handler under its budget gets its result: %s', async (_case, args) => {
    expect((await call(args)).structuredContent).toEqual({ heldMb: 40, sum: args.churnMb !== undefined });
  });
});
