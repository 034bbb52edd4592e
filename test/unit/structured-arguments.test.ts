/** structuredArguments: which arguments of a tool some clients send as JSON text, found through the input schema and its local refs. */
import { describe, expect, it } from 'vitest';
import { structuredArguments } from '../../runtime/core/arguments.js';

describe('structuredArguments (arguments some clients send as JSON text)', () => {
  const defs = { Filter: { type: 'object' }, Name: { type: 'string' }, List: { type: ['array', 'null'] } };
  it.each([
    ['no properties', { type: 'object' }, []],
    ['object and array types', { properties: { a: { type: 'object' }, b: { type: 'array' }, c: { type: 'string' } } }, ['a', 'b']],
    ['type lists with a structured member', { properties: { a: { type: ['object', 'null'] }, b: { type: ['string', 'null'] } } }, ['a']],
    [
      'local $defs refs are followed',
      { $defs: defs, properties: { f: { $ref: '#/$defs/Filter' }, n: { $ref: '#/$defs/Name' }, l: { $ref: '#/$defs/List' } } },
      ['f', 'l']
    ],
    [
      'a dangling or foreign ref is taken as is',
      { $defs: defs, properties: { x: { $ref: '#/$defs/Nope', type: 'object' }, y: { $ref: 'other.json#/A' } } },
      ['x']
    ],
    ['refs without $defs', { properties: { x: { $ref: '#/$defs/Filter' } } }, []],
    ['non-object property schemas are skipped', { properties: { t: true, n: null } }, []]
  ])('%s', (_label, inputSchema, want) => {
    expect(structuredArguments({ descriptor: { inputSchema } })).toEqual(want);
  });
});
