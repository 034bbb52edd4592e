/**
 * The stdio line splitter: bytes in, whole UTF-8 lines out, however the input is cut into chunks; a line longer
 * than the limit is reported once, as soon as it passes the limit, and its bytes are dropped, not kept.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../runtime/transports/lines.js';

const SEED = 20_251_010;

/** A splitter that records what it reports, in order. */
function recorder(maxBytes: number) {
  const events: string[] = [];
  const splitter = new LineSplitter(maxBytes, { line: (text) => events.push(text), tooLong: () => events.push('<too long>') });
  return { events, splitter };
}

/** `bytes` cut at the given offsets (sorted, deduplicated, inside the buffer). */
function cut(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const points = [...new Set(offsets)].filter((o) => o > 0 && o < bytes.length).sort((a, b) => a - b);
  return [0, ...points].map((start, i) => bytes.subarray(start, points[i] ?? bytes.length));
}

describe('LineSplitter', () => {
  it.each([
    { given: 'one line', chunks: ['{"a":1}\n'], want: ['{"a":1}'] },
    { given: 'two lines in one chunk', chunks: ['a\nb\n'], want: ['a', 'b'] },
    { given: 'a line across chunks', chunks: ['ab', 'c', 'd\ne'], want: ['abcd'] },
    { given: 'an empty line', chunks: ['\n\nx\n'], want: ['', '', 'x'] },
    { given: 'a carriage return kept (JSON.parse skips it)', chunks: ['x\r\n'], want: ['x\r'] },
    { given: 'string chunks (input with an encoding set)', chunks: ['é€', '😀\n'], want: ['é€😀'] }
  ])('$given', ({ chunks, want }) => {
    const { events, splitter } = recorder(100);
    for (const c of chunks) splitter.push(c);
    expect(events).toEqual(want);
  });

  it('end() delivers an unterminated last line, once', () => {
    const { events, splitter } = recorder(100);
    splitter.push('a\nlast');
    splitter.end();
    splitter.end();
    expect(events).toEqual(['a', 'last']);
  });

  it('decodes a multi-byte line exactly when cut at any single byte', () => {
    const line = '{"t":"é€😀 aé€😀"}';
    const bytes = Buffer.from(line + '\n');
    for (let at = 1; at < bytes.length; at++) {
      const { events, splitter } = recorder(1000);
      for (const c of cut(bytes, [at])) splitter.push(c);
      expect(events, `cut at byte ${at}`).toEqual([line]);
    }
  });

  it.each([
    { char: '€', width: 3 },
    { char: '😀', width: 4 },
    { char: 'é', width: 2 }
  ])('decodes 100 000 x $char exactly, cut inside characters wherever fast-check chooses', ({ char, width }) => {
    const line = `{"text":"${char.repeat(100_000)}"}`;
    const bytes = Buffer.from(line + '\n');
    const prefix = Buffer.byteLength('{"text":"');
    // Every cut falls inside a character: after its first byte, before its last.
    const inside = fc
      .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 1, max: width - 1 }))
      .map(([k, o]) => prefix + k * width + o);
    fc.assert(
      fc.property(fc.array(inside, { minLength: 1, maxLength: 40 }), (offsets) => {
        const { events, splitter } = recorder(4 * 1024 * 1024);
        for (const c of cut(bytes, offsets)) splitter.push(c);
        expect(events).toHaveLength(1);
        expect(events[0] === line).toBe(true);
      }),
      { seed: SEED, numRuns: 50 }
    );
  });

  it.each([
    { given: 'a line of exactly the limit', line: 'x'.repeat(16), want: ['x'.repeat(16), 'next'] },
    { given: 'a line one byte over the limit', line: 'x'.repeat(17), want: ['<too long>', 'next'] },
    { given: 'a limit counted in bytes, not characters', line: '€'.repeat(6), want: ['<too long>', 'next'] }
  ])('$given', ({ line, want }) => {
    const { events, splitter } = recorder(16);
    splitter.push(`${line}\nnext\n`);
    expect(events).toEqual(want);
  });

  it('reports an over-long line as soon as it passes the limit, keeps none of it, and reads the next line', () => {
    const { events, splitter } = recorder(1024);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    splitter.push('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"x":"');
    let peak = 0;
    let reportedAfter: number | undefined;
    for (let i = 1; i <= 100; i++) {
      splitter.push(chunk);
      peak = Math.max(peak, splitter.bufferedBytes);
      if (reportedAfter === undefined && events.length > 0) reportedAfter = i;
    }
    expect(reportedAfter).toBe(1);
    expect(events).toEqual(['<too long>']);
    expect(peak).toBe(0);
    splitter.push('"}}\n{"next":true}\n');
    expect(events).toEqual(['<too long>', '{"next":true}']);
    expect(splitter.bufferedBytes).toBe(0);
  });

  it('keeps no more than the limit of a line still being written', () => {
    const { splitter } = recorder(1000);
    for (let i = 0; i < 99; i++) splitter.push(Buffer.alloc(10, 'y'));
    expect(splitter.bufferedBytes).toBe(990);
    splitter.push(Buffer.alloc(20, 'y'));
    expect(splitter.bufferedBytes).toBe(0);
  });

  it('end() after an over-long unterminated line reports nothing more', () => {
    const { events, splitter } = recorder(4);
    splitter.push('xxxxxxxx');
    splitter.end();
    expect(events).toEqual(['<too long>']);
  });
});
