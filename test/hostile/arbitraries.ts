/** fast-check generators shared by the hostile suites: header values, credentials, and MCP requests with hostile text. */
import fc from 'fast-check';
import { KEYS } from './full-server.js';

/** Header values a client can put on the wire: printable ASCII and Latin-1, with the separators parsers trip on. */
export const headerValue = fc.string({ unit: fc.constantFrom(...'aZ09.:[]-_@%/?#=, ;"\'\\*xyz\u00e9\u00ff'.split('')), maxLength: 80 });
export const hosts = fc.oneof(
  headerValue,
  fc
    .tuple(
      fc.constantFrom('127.0.0.1', 'localhost', '[::1]', 'evil.example'),
      fc.string({ unit: fc.constantFrom(...'0123456789:x- '.split('')), maxLength: 12 })
    )
    .map(([h, p]) => `${h}:${p}`)
);
export const credentials = fc.oneof(
  { arbitrary: fc.constantFrom(`Bearer ${KEYS.READER_KEY}`, `Bearer ${KEYS.ADMIN_KEY}`), weight: 4 },
  { arbitrary: fc.constantFrom(undefined, 'Bearer wrong', 'Basic x', 'Bearer', ''), weight: 1 }
);
/** Long unspaced text (what made the audit digest quadratic), unicode, and JSON of every shape. */
export const unspaced = fc
  .tuple(
    fc.string({ unit: fc.constantFrom('a', 'A', '1', ':', '/', '@', '?', '&', '=', 'k', '.', '-'), minLength: 1, maxLength: 16 }),
    fc.integer({ min: 1_000, max: 70_000 })
  )
  .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));
export const text = fc.oneof(fc.string({ maxLength: 64 }), unspaced, fc.string({ unit: 'grapheme', maxLength: 200 }));
const argument = fc.oneof(text, fc.jsonValue({ maxDepth: 4 }));
const name = fc.oneof(fc.constantFrom('echo', 'shout', 'find_item', 'purge', 'review', 'nope'), text);
const uri = fc.oneof(
  fc.constantFrom('docs://secret', 'docs://pages/guide.md', 'db://items/1'),
  text.map((t) => `docs://pages/${t}`),
  text.map((t) => `db://items/${t}?token=${t}`),
  text
);
export const rpc = fc.oneof(
  fc.record({
    method: fc.constant('tools/call'),
    params: fc.record({
      name,
      arguments: fc.dictionary(fc.oneof(fc.constantFrom('text', 'what'), fc.string({ maxLength: 20 })), argument, { maxKeys: 3 })
    })
  }),
  fc.record({
    method: fc.constant('prompts/get'),
    params: fc.record({ name, arguments: fc.dictionary(fc.constantFrom('text', 'x'), argument, { maxKeys: 2 }) })
  }),
  fc.record({ method: fc.constant('resources/read'), params: fc.record({ uri }) }),
  fc.record({
    method: fc.constant('completion/complete'),
    params: fc.record({
      ref: fc.record({ type: fc.constant('ref/prompt'), name }),
      argument: fc.record({ name: fc.constant('text'), value: text })
    })
  })
);
