/**
 * serveStdio over a PassThrough pair, with the echo handler fixture: multi-byte text reaches the handler exactly
 * however the input is cut into chunks, and a line over `transport.limits.maxLineBytes` is refused while it is
 * still arriving, after which the next line is served.
 */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import { createLogger } from '../../runtime/log.js';
import type { TransportLimits } from '../../runtime/artifact/ir.js';
import { serveStdio, type StdioServer } from '../../runtime/transports/stdio.js';
import { buildToTemp } from '../helpers/artifact.js';
import { createCore } from '../../runtime/serve.js';

const SEED = 20_251_010;
const modern = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const echo = (id: number, text: string) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'echo', arguments: { text }, _meta: modern }
});
let core: McpCore;

beforeAll(async () => {
  const loaded = await loadArtifact(await buildToTemp(join(import.meta.dirname, '..', 'fixtures', 'echo', 'mcp-gen.yaml')));
  core = await createCore(loaded, { log: createLogger('error', () => {}) });
});
afterAll(() => core.close());

/** A server over a fresh PassThrough pair; replies are split on the newline byte and decoded whole. */
function serve(limits: Partial<TransportLimits> = {}): { input: PassThrough; replies: any[]; stdio: StdioServer; next(): Promise<any> } {
  const input = new PassThrough();
  const output = new PassThrough();
  const replies: any[] = [];
  const waiting: ((reply: any) => void)[] = [];
  let pending = Buffer.alloc(0);
  output.on('data', (d: Buffer) => {
    pending = Buffer.concat([pending, d]);
    for (let nl = pending.indexOf(0x0a); nl !== -1; nl = pending.indexOf(0x0a)) {
      const reply = JSON.parse(pending.subarray(0, nl).toString('utf8'));
      pending = pending.subarray(nl + 1);
      replies.push(reply);
      waiting.shift()?.(reply);
    }
  });
  const stdio = serveStdio(core, input, output, {}, limits);
  const next = () =>
    replies.length > 0 ? Promise.resolve(replies.shift()) : new Promise<any>((resolve) => waiting.push(() => resolve(replies.shift())));
  return { input, replies, stdio, next };
}

describe('stdio input decoding', () => {
  it.each([
    { char: '€', width: 3 },
    { char: '😀', width: 4 },
    { char: 'é', width: 2 }
  ])('the handler gets 100 000 x $char exactly, the input cut inside characters', async ({ char, width }) => {
    const text = char.repeat(100_000);
    const bytes = Buffer.from(JSON.stringify(echo(1, text)) + '\n');
    const start = bytes.indexOf(Buffer.from(char));
    const inside = fc
      .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 1, max: width - 1 }))
      .map(([k, o]) => start + k * width + o);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(inside, { minLength: 1, maxLength: 20 }), async (offsets) => {
        const points = [...offsets].sort((a, b) => a - b);
        const { input, next, stdio } = serve();
        for (const [i, from] of [0, ...points].entries()) input.write(bytes.subarray(from, points[i] ?? bytes.length));
        const reply = await next();
        input.end();
        await stdio.closed;
        expect(reply.error).toBeUndefined();
        const got: string = reply.result.content[0].text;
        expect(got.length).toBe(text.length);
        expect(got === text, `U+FFFD found ${got.split('\ufffd').length - 1} times`).toBe(true);
      }),
      { seed: SEED, numRuns: 8 }
    );
  });
});

describe('stdio line limit', () => {
  it('refuses a line over maxLineBytes before it ends, with id null, then serves the next line', async () => {
    const { input, next, replies, stdio } = serve({ maxLineBytes: 1024 });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const chunks = 160; // 10 MiB
    input.write('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"');
    let written = 0;
    let writtenWhenRefused: number | undefined;
    const refused = next().then((reply) => {
      writtenWhenRefused = written;
      return reply;
    });
    for (let i = 0; i < chunks && writtenWhenRefused === undefined; i++) {
      await new Promise<void>((resolve) => input.write(chunk, () => resolve()));
      written++;
    }
    expect(writtenWhenRefused, 'no error while the line was being written').toBeDefined();
    expect(writtenWhenRefused!).toBeLessThan(chunks);
    expect(await refused).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: 'Invalid request: line longer than 1024 bytes (transport.limits.maxLineBytes); it was skipped' }
    });
    input.write(Buffer.alloc(1024 * 1024, 'x'));
    input.write('"}}}\n' + JSON.stringify(echo(2, 'after')) + '\n');
    const after = await next();
    input.end();
    await stdio.closed;
    expect(after).toMatchObject({ id: 2, result: { content: [{ type: 'text', text: 'after' }] } });
    expect(replies).toEqual([]);
  });
});
