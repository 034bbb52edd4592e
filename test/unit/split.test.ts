import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ToolResult } from '../../runtime/kinds/kind.js';
import { NOTE_BYTES, partsOf, sizeOf } from '../../runtime/core/split.js';

/** runtime/core/split.ts: where a result over maxResultBytes is cut (issue 18, point 2). */
const text = (t: string): ToolResult => ({ content: [{ type: 'text', text: t }] });
const structured = (v: Record<string, unknown>): ToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(v) }],
  structuredContent: v
});
const bytes = (s: string) => Buffer.byteLength(s);

/** Every part, each one starting after the one before. */
function parts(result: ToolResult, maxBytes: number) {
  const all = partsOf(result, maxBytes);
  if (!all) throw new Error('no parts');
  all.forEach((part, k) => expect(part.next === undefined ? k === all.length - 1 : part.next > (all[k - 1]?.next ?? 0)).toBe(true));
  return all;
}

const items = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `item ${i}`, note: 'x'.repeat(40) }));

describe('partsOf', () => {
  const cases: { given: string; result: ToolResult; maxBytes: number; want: string[] }[] = [
    {
      given: 'an object whose largest array is nested: cut at its items, the rest repeated',
      result: structured({ total: 100, data: { items } }),
      maxBytes: 2048,
      want: ['items 1-19 of 100 (of data.items)', 'items 20-38 of 100 (of data.items)']
    },
    { given: 'a top-level JSON array in text', result: text(JSON.stringify(items)), maxBytes: 4096, want: ['items 1-46 of 100'] },
    {
      given: 'lines of text',
      result: text(Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n')),
      maxBytes: 1024,
      want: ['lines 1-65 of 300', 'lines 66-125 of 300']
    },
    {
      given: 'one line longer than the bound: cut at a space',
      result: text('word '.repeat(1000)),
      maxBytes: 1024,
      want: ['lines 1-1 of 1 (line 1 goes on in the next part)']
    }
  ];
  it.each(cases)('$given', ({ result, maxBytes, want }) => {
    const all = parts(result, maxBytes);
    expect(all.slice(0, want.length).map((p) => p.shown)).toEqual(want);
  });

  it('keeps what is around the array in every part, and only the array items are shared out', () => {
    const all = parts(structured({ total: 100, data: { items } }), 2048);
    for (const p of all) expect((p.result.structuredContent as { total: number }).total).toBe(100);
    expect(all.flatMap((p) => (p.result.structuredContent as { data: { items: unknown[] } }).data.items)).toEqual(items);
  });

  it('refuses a structured result with no array: cutting its text would lose the structured content', () => {
    expect(partsOf(structured({ body: 'x'.repeat(5000) }), 1024)).toBeUndefined();
    expect(partsOf({ content: [{ type: 'text', text: 'Saved.' }], structuredContent: { blob: 'x'.repeat(5000) } }, 1024)).toBeUndefined();
  });

  it('does not cut a result whose text is a summary beside its structured content (the summary would be lost)', () => {
    expect(partsOf({ content: [{ type: 'text', text: 'Found 100 items.' }], structuredContent: { items } }, 1024)).toBeUndefined();
  });

  it('never rebuilds a text holding integers beyond 2^53 from its parsed value: it is cut at lines', () => {
    const list = Array.from({ length: 200 }, (_, i) => `{"id":${9007199254740993n + BigInt(2 * i)}}`);
    const raw = `[\n${list.join(',\n')}\n]`;
    const all = parts(text(raw), 1024);
    expect(all.length).toBeGreaterThan(1);
    expect(all.map((p) => p.result.content[0]!.text).join('')).toBe(raw);
    expect(all[0]!.shown).toMatch(/^lines 1-/);
  });

  it('counts no line after a final newline, and keeps a long array path short in the note', () => {
    const t = `${Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n')}\n`;
    expect(parts(text(t), 1024).at(-1)!.shown).toMatch(/ of 300$/);
    const key = 'k'.repeat(500);
    expect(partsOf(structured({ [key]: items }), 2048)![0]!.shown.length).toBeLessThan(140);
  });

  it('does not cut a small array beside a large text (the parts would not be smaller)', () => {
    const result = structured({ body: 'x '.repeat(3000), tags: ['a', 'b', 'c'] });
    expect(partsOf(result, 1024)).toBeUndefined();
  });

  it('has nothing to cut in an empty text', () => {
    expect(partsOf(text(''), 1024)).toBeUndefined();
  });

  it('gives images and other blocks with the first part only', () => {
    const result: ToolResult = {
      content: [
        { type: 'text', text: 'a\n'.repeat(2000) },
        { type: 'image', data: 'AAAA', mimeType: 'image/png' }
      ]
    };
    const all = parts(result, 1024);
    expect(all[0]!.result.content.some((c) => c.type === 'image')).toBe(true);
    expect(all.slice(1).some((p) => p.result.content.some((c) => c.type === 'image'))).toBe(false);
  });

  it('any text: the parts put back together are the text, each within the bound, never a character cut in two', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.integer({ min: 1024, max: 4096 }), (t, maxBytes) => {
        if (t === '') return;
        const all = parts(text(t), maxBytes);
        expect(all.map((p) => p.result.content[0]!.text).join('')).toBe(t);
        for (const p of all) {
          const piece = String(p.result.content[0]!.text);
          expect(bytes(piece)).toBeLessThanOrEqual(maxBytes - NOTE_BYTES);
          expect(Buffer.from(piece, 'utf8').toString('utf8')).toBe(piece);
        }
      }),
      { numRuns: 200 }
    );
  });

  it('any JSON array: the parts hold every item once, in order, each part within the bound unless one item alone is over it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 2, maxLength: 200 }),
        fc.integer({ min: 1024, max: 8192 }),
        (list, maxBytes) => {
          const result = structured({ list });
          const all = parts(result, maxBytes);
          const got = all.flatMap((p) => (p.result.structuredContent as { list: unknown[] }).list);
          expect(JSON.stringify(got)).toBe(JSON.stringify(list));
          for (const p of all) {
            const size = sizeOf(p.result);
            if ((p.result.structuredContent as { list: unknown[] }).list.length > 1)
              expect(size).toBeLessThanOrEqual(maxBytes - NOTE_BYTES);
          }
        }
      ),
      { numRuns: 200 }
    );
  });
});
