import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  collectDefs,
  convertComponents,
  convertSchema,
  defRef,
  inlineSchema,
  objectRoot,
  parseRef,
  refsIn,
  type Dialect,
  type JsonSchema,
  type JsonSchemaObject,
  type SchemaIssue
} from '../../generators/kinds/openapi/schema/index.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'openapi-schema');

/**
 * Compiles as 2020-12 (Ajv checks the meta-schema first). With `defs`, the schema is compiled among them;
 * otherwise it must stand alone.
 */
function compile(schema: JsonSchema, defs?: Record<string, JsonSchema>) {
  const ajv = new Ajv2020({ strict: false, logger: false });
  return ajv.compile(defs === undefined ? schema : { $defs: defs, allOf: [schema] });
}

/** A stand-in def for every ref of a schema (`{}`, nested along deep pointers), so a lone converted node can be compiled. */
function stubDefs(schema: JsonSchema): Record<string, JsonSchema> {
  const stubs: Record<string, JsonSchemaObject> = {};
  for (const target of refsIn(schema).map(parseRef)) {
    if (target.kind !== 'def') continue;
    let node = (stubs[target.name] ??= {});
    for (const segment of target.path) node = (node[segment] ??= {}) as JsonSchemaObject;
  }
  return stubs;
}

type IssueWant = [SchemaIssue['severity'], string];
interface Row {
  rule: string;
  given: unknown;
  want: JsonSchema;
  dialect?: Dialect;
  issues?: IssueWant[];
  direction?: 'request' | 'response';
}

const issuesLike = (wanted: IssueWant[] = []) =>
  wanted.map(([severity, text]) => expect.objectContaining({ severity, message: expect.stringContaining(text) }));
const pet = { $ref: '#/components/schemas/Pet' };
const petDef = { $ref: '#/$defs/Pet' };
const nullType = { type: 'null' };

function check(rows: Row[]) {
  it.each(rows)('$rule', ({ given, want, dialect = '3.0', issues, direction }) => {
    const before = structuredClone(given);
    const converted = convertSchema(given, dialect, { direction });
    expect(converted.schema).toEqual(want);
    expect(converted.issues).toEqual(issuesLike(issues));
    expect(given).toEqual(before);
    expect(() => compile(converted.schema, stubDefs(converted.schema))).not.toThrow();
  });
}

describe('convertSchema: 3.0 nullable, in each shape', () => {
  check([
    { rule: 'with a type: "null" joins the type', given: { type: 'string', nullable: true }, want: { type: ['string', 'null'] } },
    {
      rule: 'with type and enum: null joins both',
      given: { type: 'string', enum: ['a', 'b'], nullable: true },
      want: { type: ['string', 'null'], enum: ['a', 'b', null] }
    },
    {
      rule: 'enum that already lists null is not repeated',
      given: { type: 'string', enum: ['a', null], nullable: true },
      want: { type: ['string', 'null'], enum: ['a', null] }
    },
    { rule: 'enum without type: null joins the enum', given: { enum: [1, 2], nullable: true }, want: { enum: [1, 2, null] } },
    { rule: 'with $ref: anyOf [ref, null]', given: { ...pet, nullable: true }, want: { anyOf: [petDef, nullType] } },
    {
      rule: 'allOf-wrapped ref with a description: unwrapped, description stays outside',
      given: { allOf: [pet], nullable: true, description: 'Owner' },
      want: { description: 'Owner', anyOf: [petDef, nullType] }
    },
    {
      rule: 'type next to oneOf: wrapped, since the oneOf would still reject null',
      given: { type: 'object', oneOf: [pet, { $ref: '#/components/schemas/Cat' }], nullable: true, title: 'Animal' },
      want: { title: 'Animal', anyOf: [{ type: 'object', oneOf: [petDef, { $ref: '#/$defs/Cat' }] }, nullType] }
    },
    {
      rule: 'anyOf alone gains a null branch instead of nesting',
      given: { anyOf: [{ type: 'string' }, { type: 'integer' }], nullable: true },
      want: { anyOf: [{ type: 'string' }, { type: 'integer' }, nullType] }
    },
    {
      rule: 'without type, enum or applicators null is already allowed',
      given: { description: 'anything', nullable: true },
      want: { description: 'anything' }
    },
    { rule: 'nullable: false is dropped', given: { type: 'integer', nullable: false }, want: { type: 'integer' } },
    {
      rule: 'in nested properties and items',
      given: { type: 'object', properties: { tags: { type: 'array', nullable: true, items: { type: 'string', nullable: true } } } },
      want: { type: 'object', properties: { tags: { type: ['array', 'null'], items: { type: ['string', 'null'] } } } }
    },
    {
      rule: 'anyOf that already has a null branch is left alone',
      given: { anyOf: [{ type: 'string' }, { type: 'null' }], nullable: true },
      want: { anyOf: [{ type: 'string' }, { type: 'null' }] }
    },
    {
      rule: 'type array (3.1-style) gains null once',
      given: { type: ['string', 'integer'], nullable: true },
      want: { type: ['string', 'integer', 'null'] },
      issues: [['warning', 'type array']]
    },
    { rule: 'type null stays null', given: { type: 'null', nullable: true }, want: { type: 'null' } },
    {
      rule: 'a non-boolean nullable is ignored with a warning',
      given: { type: 'string', nullable: 'yes' },
      want: { type: 'string' },
      issues: [['warning', 'nullable must be a boolean']]
    },
    {
      rule: 'in 3.1 it is not a keyword, applied with a warning',
      dialect: '3.1',
      given: { type: 'string', nullable: true },
      want: { type: ['string', 'null'] },
      issues: [['warning', 'nullable is OpenAPI 3.0']]
    }
  ]);
});

describe('convertSchema: exclusive bounds, example, formats', () => {
  check([
    {
      rule: 'exclusiveMinimum: true takes the minimum',
      given: { type: 'number', minimum: 0, exclusiveMinimum: true },
      want: { type: 'number', exclusiveMinimum: 0 }
    },
    { rule: 'key order does not matter', given: { exclusiveMaximum: true, maximum: 10 }, want: { exclusiveMaximum: 10 } },
    {
      rule: 'exclusive*: false leaves the inclusive bound',
      given: { minimum: 1, exclusiveMinimum: false, maximum: 9, exclusiveMaximum: false },
      want: { minimum: 1, maximum: 9 }
    },
    {
      rule: 'exclusiveMinimum: true alone bounds nothing',
      given: { type: 'integer', exclusiveMinimum: true },
      want: { type: 'integer' },
      issues: [['warning', 'without a numeric minimum']]
    },
    {
      rule: '3.1 numeric form passes through',
      dialect: '3.1',
      given: { exclusiveMinimum: 0, maximum: 5 },
      want: { exclusiveMinimum: 0, maximum: 5 }
    },
    {
      rule: '3.1 with a boolean form is converted, with a warning',
      dialect: '3.1',
      given: { minimum: 2, exclusiveMinimum: true },
      want: { exclusiveMinimum: 2 },
      issues: [['warning', 'boolean exclusiveMinimum']]
    },
    {
      rule: 'a bound that is not a number is an error',
      given: { minimum: '5' },
      want: {},
      issues: [['error', 'minimum must be a number']]
    },
    { rule: 'example becomes examples', given: { type: 'string', example: 'rex' }, want: { type: 'string', examples: ['rex'] } },
    {
      rule: 'example and examples merge, either order',
      dialect: '3.1',
      given: { example: 'b', examples: ['a'] },
      want: { examples: ['a', 'b'] }
    },
    {
      rule: 'example data is copied, never walked as a schema',
      given: { type: 'object', example: { $ref: '#/components/schemas/Pet', 'x-y': 1, nullable: true }, default: { $ref: 'x' } },
      want: { type: 'object', examples: [{ $ref: '#/components/schemas/Pet', 'x-y': 1, nullable: true }], default: { $ref: 'x' } }
    },
    {
      rule: 'format byte becomes contentEncoding base64',
      given: { type: 'string', format: 'byte' },
      want: { type: 'string', contentEncoding: 'base64' }
    },
    {
      rule: 'format binary becomes contentMediaType with a description hint',
      given: { type: 'string', format: 'binary', description: 'The image' },
      want: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The image (Binary content.)' }
    },
    {
      rule: 'other formats are kept (annotations in 2020-12)',
      given: { type: 'string', format: 'date-time' },
      want: { type: 'string', format: 'date-time' }
    },
    {
      rule: 'Swagger 2 type file reads as binary',
      given: { type: 'file' },
      want: { type: 'string', description: 'Binary content.' },
      issues: [['warning', 'type "file"']]
    }
  ]);
});

describe('convertSchema: refs, keywords, 3.1 passthrough', () => {
  const tree31 = {
    type: 'object',
    required: ['label'],
    properties: {
      label: { type: ['string', 'null'], maxLength: 20 },
      kind: { const: 'node' },
      children: { type: 'array', items: { $ref: '#/components/schemas/Node' }, maxItems: 3 },
      point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false },
      parent: { oneOf: [{ $ref: '#/components/schemas/Node' }, { type: 'null' }] }
    },
    patternProperties: { '^x_': { type: ['string', 'number'] } },
    dependentRequired: { children: ['label'] },
    if: { properties: { kind: { const: 'leaf' } } },
    then: { properties: { children: { maxItems: 0 } } },
    else: { not: { required: ['leaf'] } },
    unevaluatedProperties: false,
    examples: [{ label: 'root' }]
  };
  const tree31Converted = JSON.parse(JSON.stringify(tree31).replaceAll('#/components/schemas/', '#/$defs/')) as JsonSchemaObject;
  check([
    { rule: 'component ref rewritten', given: pet, want: petDef },
    {
      rule: 'deep component ref keeps its pointer tail',
      given: { $ref: '#/components/schemas/Pet/properties/id' },
      want: { $ref: '#/$defs/Pet/properties/id' }
    },
    {
      rule: 'refs rewritten in every applicator',
      given: { type: 'object', properties: { a: pet }, additionalProperties: pet, items: pet, not: pet, allOf: [{ type: 'object' }, pet] },
      want: {
        type: 'object',
        properties: { a: petDef },
        additionalProperties: petDef,
        items: petDef,
        not: petDef,
        allOf: [{ type: 'object' }, petDef]
      }
    },
    {
      rule: 'a lone allOf ref with a description unwraps',
      given: { allOf: [pet], description: 'The pet' },
      want: { ...petDef, description: 'The pet' }
    },
    {
      rule: 'OpenAPI-only keywords and x-* dropped, x-mcp-header and 2020-12 annotations kept',
      given: {
        type: 'string',
        discriminator: { propertyName: 'k' },
        xml: { name: 'x' },
        externalDocs: { url: 'https://x' },
        'x-internal': true,
        'x-mcp-header': 'Region',
        readOnly: true,
        writeOnly: false,
        deprecated: true
      },
      want: { type: 'string', 'x-mcp-header': 'Region', readOnly: true, deprecated: true }
    },
    {
      rule: '3.1: $schema, $id and $comment stripped',
      dialect: '3.1',
      given: { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://x/pet', $comment: 'c', type: 'object' },
      want: { type: 'object' }
    },
    { rule: '3.1 passthrough of a 2020-12 schema', dialect: '3.1', given: tree31, want: tree31Converted },
    {
      rule: '3.1 type array with null passes through',
      dialect: '3.1',
      given: { type: ['string', 'null'] },
      want: { type: ['string', 'null'] }
    },
    {
      rule: '3.0 type array: kept, with a warning',
      given: { type: ['string', 'integer'] },
      want: { type: ['string', 'integer'] },
      issues: [['warning', 'type array is OpenAPI 3.1']]
    },
    { rule: 'unknown type: error, dropped', given: { type: 'int' }, want: {}, issues: [['error', 'not a JSON Schema type']] },
    {
      rule: 'items as an array: reported, becomes prefixItems; additionalItems becomes items',
      given: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
      want: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false },
      issues: [['warning', 'items as an array']]
    },
    {
      rule: 'additionalItems next to an items schema never applied',
      given: { items: { type: 'string' }, additionalItems: false },
      want: { items: { type: 'string' } }
    },
    {
      rule: 'unknown keyword dropped with a warning',
      given: { type: 'string', maxlength: 3 },
      want: { type: 'string' },
      issues: [['warning', 'maxlength is not a keyword']]
    },
    {
      rule: 'required: true (a parameter flag) dropped',
      given: { type: 'string', required: true },
      want: { type: 'string' },
      issues: [['warning', 'required must be an array']]
    },
    {
      rule: 'empty required and allOf dropped',
      given: { type: 'object', required: [], allOf: [] },
      want: { type: 'object' },
      issues: [['warning', 'empty allOf']]
    },
    {
      rule: 'a pattern invalid with the u flag is dropped',
      given: { type: 'string', pattern: '[\\w-.]+' },
      want: { type: 'string' },
      issues: [['warning', 'not a valid Unicode regular expression']]
    },
    { rule: 'a $ref that is not a string is an error', given: { $ref: 5 }, want: {}, issues: [['error', '$ref must be a string']] },
    {
      rule: 'examples that is not an array is dropped',
      given: { examples: { a: { value: 1 } } },
      want: {},
      issues: [['warning', 'examples must be an array']]
    },
    {
      rule: 'a schema that is not an object is an error',
      given: 'string',
      want: {},
      issues: [['error', 'must be an object or a boolean']]
    },
    {
      rule: 'boolean schemas pass through',
      given: { additionalProperties: false, properties: { any: true } },
      want: { additionalProperties: false, properties: { any: true } }
    },
    {
      rule: 'a map of schemas that is an array is an error',
      given: { properties: [] },
      want: {},
      issues: [['error', 'properties must be a map of schemas']]
    },
    {
      rule: 'request direction drops readOnly properties and their required entries',
      direction: 'request',
      given: {
        type: 'object',
        required: ['id', 'name'],
        properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string' } }
      },
      want: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }
    },
    {
      rule: 'response direction drops writeOnly properties',
      direction: 'response',
      given: {
        type: 'object',
        required: ['password'],
        properties: { password: { type: 'string', writeOnly: true }, name: { type: 'string' } }
      },
      want: { type: 'object', properties: { name: { type: 'string' } } }
    }
  ]);

  it('points issues at the keyword in the document', () => {
    const { issues } = convertSchema({ properties: { 'a/b': { type: 'int' } } }, '3.0', { pointer: '#/components/schemas/X' });
    expect(issues).toEqual([
      {
        pointer: '#/components/schemas/X/properties/a~1b/type',
        severity: 'error',
        message: 'type "int" is not a JSON Schema type; dropped'
      }
    ]);
  });

  it('treats keys named like Object.prototype members as data', () => {
    const given = JSON.parse(
      '{"type":"object","constructor":1,"properties":{"__proto__":{"type":"string"},"toString":{"type":"integer"}}}'
    ) as unknown;
    const { schema, issues } = convertSchema(given, '3.0');
    expect(Object.keys((schema as { properties: object }).properties)).toEqual(['__proto__', 'toString']);
    expect(issues).toEqual(issuesLike([['warning', 'constructor is not a keyword']]));
    expect(compile(schema)({ __proto__: 'x', toString: 1 })).toBe(true);
  });

  it('converts components by name, with pointers into components.schemas', () => {
    const { schema, issues } = convertComponents({ A: { type: 'string', nullable: true }, B: { type: 'nope' } }, '3.0');
    expect(schema).toEqual({ A: { type: ['string', 'null'] }, B: {} });
    expect(issues.map((i) => i.pointer)).toEqual(['#/components/schemas/B/type']);
    expect(convertComponents(undefined, '3.0')).toEqual({ schema: {}, issues: [] });
    expect(convertComponents([], '3.0').issues).toEqual(issuesLike([['error', 'components.schemas must be a map']]));
  });
});

/** A → B → C → A through different applicators, Self → Self, and D used by nobody. */
const cyclic: Record<string, JsonSchema> = {
  A: { type: 'object', properties: { b: { $ref: '#/$defs/B' } } },
  B: { type: 'array', items: { $ref: '#/$defs/C' } },
  C: { anyOf: [{ $ref: '#/$defs/A' }, { type: 'null' }] },
  Self: { type: 'object', additionalProperties: { $ref: '#/$defs/Self' } },
  D: { type: 'string' }
};

describe('collectDefs', () => {
  it('follows a 3-cycle once and keeps it as $ref', () => {
    const { defs, missing, unsupported } = collectDefs({ $ref: '#/$defs/A' }, cyclic);
    expect(Object.keys(defs)).toEqual(['A', 'B', 'C']);
    expect(defs.A).toBe(cyclic.A);
    expect([missing, unsupported]).toEqual([[], []]);
    const validate = compile(objectRoot({ a: { $ref: '#/$defs/A' } }, ['a'], { defs }));
    expect(validate({ a: { b: [{ b: [null] }] } })).toBe(true);
    expect(validate({ a: { b: [{ b: [7] }] } })).toBe(false);
  });

  it('follows refs in every keyword that holds subschemas, and none that hold data', () => {
    const keywords = [
      'allOf',
      'anyOf',
      'oneOf',
      'prefixItems',
      'not',
      'items',
      'contains',
      'additionalProperties',
      'propertyNames',
      'if',
      'then',
      'else',
      'unevaluatedItems',
      'unevaluatedProperties',
      'contentSchema',
      'properties',
      'patternProperties',
      'dependentSchemas'
    ];
    const shapes: Record<string, (s: JsonSchema) => unknown> = {
      allOf: (s) => [s],
      anyOf: (s) => [s],
      oneOf: (s) => [s],
      prefixItems: (s) => [s],
      properties: (s) => ({ p: s }),
      patternProperties: (s) => ({ '^p': s }),
      dependentSchemas: (s) => ({ p: s })
    };
    const components: Record<string, JsonSchema> = Object.fromEntries(keywords.map((k) => [`T_${k}`, { title: k }]));
    components.Hub = Object.fromEntries(keywords.map((k) => [k, (shapes[k] ?? ((s: JsonSchema) => s))({ $ref: defRef(`T_${k}`) })]));
    components.Data = {
      default: { $ref: '#/$defs/Nope' },
      examples: [{ $ref: '#/$defs/Nope' }],
      enum: [{ $ref: '#/$defs/Nope' }],
      const: { $ref: '#/$defs/Nope' }
    };
    const { defs, missing } = collectDefs({ allOf: [{ $ref: '#/$defs/Hub' }, { $ref: '#/$defs/Data' }] }, components);
    expect(Object.keys(defs)).toEqual(['Data', 'Hub', ...keywords.map((k) => `T_${k}`)].sort());
    expect(missing).toEqual([]);
    expect(() => compile(objectRoot({ hub: { $ref: '#/$defs/Hub' } }, [], { defs }))).not.toThrow();
  });

  it('reports dangling refs, also behind other defs and deep pointers', () => {
    const components = { A: { properties: { x: { type: 'string' }, gone: { $ref: '#/$defs/Gone' } } } };
    const root = {
      properties: {
        a: { $ref: '#/$defs/A' },
        x: { $ref: '#/$defs/A/properties/x' },
        y: { $ref: '#/$defs/A/properties/y' },
        m: { $ref: '#/$defs/Missing' }
      }
    };
    expect(collectDefs(root, components)).toEqual({ defs: components, missing: ['A/properties/y', 'Gone', 'Missing'], unsupported: [] });
  });

  it('reports external and non-component refs as unsupported', () => {
    const root = {
      anyOf: [
        { $ref: 'other.yaml#/Pet' },
        { $ref: 'https://example.com/pet.json' },
        { $ref: '#/paths/~1pets' },
        { $ref: '#anchor' },
        { $ref: '#/$defs/' }
      ]
    };
    expect(collectDefs(root, {})).toEqual({
      defs: {},
      missing: [],
      unsupported: ['#/$defs/', '#/paths/~1pets', '#anchor', 'https://example.com/pet.json', 'other.yaml#/Pet']
    });
  });

  it('decodes escaped component names, which Ajv then resolves', () => {
    const components = convertComponents({ 'Foo Bar': { type: 'string' }, 'a/b': { type: 'integer' } }, '3.0').schema;
    const root = convertSchema(
      { properties: { f: { $ref: '#/components/schemas/Foo%20Bar' }, g: { $ref: '#/components/schemas/a~1b' } } },
      '3.0'
    ).schema;
    const { defs, missing } = collectDefs(root, components);
    expect([Object.keys(defs), missing]).toEqual([['Foo Bar', 'a/b'], []]);
    expect(collectDefs({ $ref: '#/$defs/100%' }, { '100%': {} }).defs).toEqual({ '100%': {} });
    expect([defRef('Foo Bar'), defRef('a/b')]).toEqual(['#/$defs/Foo%20Bar', '#/$defs/a~1b']);
    const validate = compile({ ...(root as JsonSchemaObject), $defs: defs });
    expect([validate({ f: 's', g: 1 }), validate({ f: 1 })]).toEqual([true, false]);
  });
});

describe('inlineSchema', () => {
  const cutA = { type: 'object', description: 'Recursive A (cut)' };
  const fromA = { type: 'object', properties: { b: { type: 'array', items: { anyOf: [cutA, { type: 'null' }] } } } };

  it('cuts a 3-cycle at the second visit of a def on the path', () => {
    expect(inlineSchema({ $ref: '#/$defs/A' }, cyclic)).toEqual(fromA);
    expect(inlineSchema({ $ref: '#/$defs/C' }, cyclic)).toEqual({
      anyOf: [{ type: 'object', properties: { b: { type: 'array', items: { description: 'Recursive C (cut)' } } } }, { type: 'null' }]
    });
    expect(inlineSchema({ $ref: '#/$defs/Self' }, cyclic)).toEqual({
      type: 'object',
      additionalProperties: { type: 'object', description: 'Recursive Self (cut)' }
    });
  });

  it('is deterministic across runs and def orders, and does not touch its input', () => {
    const root = objectRoot({ a: { $ref: '#/$defs/A' }, c: { $ref: '#/$defs/C' }, s: { $ref: '#/$defs/Self' } }, ['a'], { defs: cyclic });
    const before = JSON.stringify(root);
    const reversed = Object.fromEntries(Object.entries(cyclic).reverse());
    const runs = [inlineSchema(root), inlineSchema(root), inlineSchema(root, reversed), inlineSchema(structuredClone(root))].map((s) =>
      JSON.stringify(s)
    );
    expect(new Set(runs).size).toBe(1);
    expect(JSON.stringify(root)).toBe(before);
    expect(runs[0]).not.toContain('$ref');
    expect(runs[0]).not.toContain('$defs');
    expect(compile(JSON.parse(runs[0]!) as JsonSchema)({ a: { b: [{ b: [{ anything: true }] }] } })).toBe(true);
  });

  it('merges annotation siblings, keeps assertion siblings through allOf', () => {
    const defs = { Name: { type: 'string', description: 'A name', minLength: 1 } };
    expect(inlineSchema({ $ref: '#/$defs/Name', description: 'The owner' }, defs)).toEqual({
      type: 'string',
      description: 'The owner',
      minLength: 1
    });
    expect(inlineSchema({ $ref: '#/$defs/Name', maxLength: 5, allOf: [{ pattern: '^a' }] }, defs)).toEqual({
      maxLength: 5,
      allOf: [defs.Name, { pattern: '^a' }]
    });
    expect(inlineSchema({ $ref: '#/$defs/Name/minLength' }, defs)).toBe(1);
    expect(inlineSchema({ properties: { t: { $ref: '#/$defs/T', title: 'x' }, f: { $ref: '#/$defs/F' } } }, { T: true, F: false })).toEqual(
      { properties: { t: { title: 'x' }, f: false } }
    );
  });

  it('a deep ref into the def being inlined is not a cycle; a deep self-ref is', () => {
    const defs = {
      Money: { type: 'object', properties: { currency: { $ref: '#/$defs/Money/$defs/Currency' } }, $defs: { Currency: { enum: ['EUR'] } } },
      List: { type: 'object', properties: { next: { $ref: '#/$defs/List/properties/next' }, head: { $ref: '#/$defs/List' } } }
    };
    expect(inlineSchema({ $ref: '#/$defs/Money' }, defs)).toEqual({ type: 'object', properties: { currency: { enum: ['EUR'] } } });
    expect(inlineSchema({ $ref: '#/$defs/List' }, defs)).toEqual({
      type: 'object',
      properties: {
        next: { description: 'Recursive List/properties/next (cut)' },
        head: { type: 'object', description: 'Recursive List (cut)' }
      }
    });
  });

  it('throws on refs collectDefs would have reported', () => {
    expect(() => inlineSchema({ $ref: '#/$defs/Gone' }, {})).toThrow(/does not resolve/);
    expect(() => inlineSchema({ $ref: 'other.yaml#/X' }, {})).toThrow(/cannot inline/);
  });
});

describe('objectRoot', () => {
  const rows: Array<{ rule: string; args: Parameters<typeof objectRoot>; want: JsonSchemaObject }> = [
    { rule: 'bare', args: [{}], want: { type: 'object', properties: {} } },
    {
      rule: 'required deduplicated, empty defs omitted',
      args: [{ a: { type: 'string' } }, ['a', 'a'], { defs: {} }],
      want: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }
    },
    {
      rule: 'additionalProperties and defs',
      args: [{ a: { $ref: '#/$defs/A' } }, [], { additionalProperties: false, defs: { A: { type: 'integer' } } }],
      want: { type: 'object', properties: { a: { $ref: '#/$defs/A' } }, additionalProperties: false, $defs: { A: { type: 'integer' } } }
    }
  ];
  it.each(rows)('$rule', ({ args, want }) => {
    const root = objectRoot(...args);
    expect(root).toEqual(want);
    expect(() => compile(root)).not.toThrow();
  });
});

// ---- Property-style: every schema of two real-world-shaped documents converts cleanly and compiles. ----

interface Spec {
  file: string;
  dialect: Dialect;
  doc: any;
}
const specs: Spec[] = [
  { file: 'petstore-3.0', dialect: '3.0', doc: parse(readFileSync(join(fixtures, 'petstore-3.0.yaml'), 'utf8')) },
  { file: 'sample-3.1', dialect: '3.1', doc: parse(readFileSync(join(fixtures, 'sample-3.1.yaml'), 'utf8')) }
];
const methods = ['get', 'put', 'post', 'delete', 'patch'];
const local = (doc: any, value: any) =>
  typeof value?.$ref === 'string' && value.$ref.startsWith('#/components/parameters/')
    ? doc.components.parameters[value.$ref.split('/').pop()]
    : value;

/** Every Schema Object location of a document: components, parameters, request and response bodies. */
function schemaLocations({ doc }: Spec): Array<[pointer: string, schema: unknown]> {
  const found: Array<[string, unknown]> = Object.entries(doc.components?.schemas ?? {}).map(([name, s]) => [
    `#/components/schemas/${name}`,
    s
  ]);
  for (const [name, p] of Object.entries<any>(doc.components?.parameters ?? {}))
    found.push([`#/components/parameters/${name}/schema`, p.schema]);
  for (const [path, item] of Object.entries<any>(doc.paths))
    for (const method of methods.filter((m) => item[m])) {
      const op = item[method];
      const at = `#/paths/${path.replaceAll('/', '~1')}/${method}`;
      op.parameters?.forEach((p: any, i: number) => p.schema && found.push([`${at}/parameters/${i}/schema`, p.schema]));
      for (const [type, media] of Object.entries<any>(op.requestBody?.content ?? {}))
        found.push([`${at}/requestBody/content/${type}/schema`, media.schema]);
      for (const [code, r] of Object.entries<any>(op.responses ?? {}))
        for (const [type, media] of Object.entries<any>(r.content ?? {}))
          found.push([`${at}/responses/${code}/content/${type}/schema`, media.schema]);
    }
  return found;
}

/** What the OpenAPI kind will do per operation: parameters and the JSON body become the properties of one object. */
function toolInputs(spec: Spec) {
  const components = convertComponents(spec.doc.components?.schemas, spec.dialect, { direction: 'request' });
  expect(components.issues).toEqual([]);
  const tools: Record<string, { defs: JsonSchema; inline: JsonSchema }> = {};
  for (const item of Object.values<any>(spec.doc.paths))
    for (const op of methods.map((m) => item[m]).filter(Boolean)) {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      const add = (name: string, schema: unknown, isRequired: boolean) => {
        const converted = convertSchema(schema, spec.dialect, { direction: 'request' });
        expect(converted.issues).toEqual([]);
        properties[name] = converted.schema;
        if (isRequired) required.push(name);
      };
      for (const p of (op.parameters ?? []).map((p: any) => local(spec.doc, p))) add(p.name, p.schema, p.required === true);
      const media = Object.values<any>(op.requestBody?.content ?? {})[0];
      if (media) add('body', media.schema, op.requestBody.required === true);
      const { defs, missing, unsupported } = collectDefs(objectRoot(properties), components.schema);
      expect([missing, unsupported]).toEqual([[], []]);
      const root = objectRoot(properties, required, { defs });
      tools[op.operationId] = { defs: root, inline: inlineSchema(root) };
    }
  return tools;
}

describe.each(specs)('fixture $file', (spec) => {
  const components = convertComponents(spec.doc.components?.schemas, spec.dialect).schema;

  it.each(schemaLocations(spec))('%s converts without issues and compiles, with $defs and inlined', (pointer, schema) => {
    const { schema: converted, issues } = convertSchema(schema, spec.dialect, { pointer });
    expect(issues).toEqual([]);
    const { defs, missing, unsupported } = collectDefs(converted, components);
    expect([missing, unsupported]).toEqual([[], []]);
    expect(() => compile(converted, defs)).not.toThrow();
    const inlined = inlineSchema(converted, defs);
    expect(JSON.stringify(inlined)).not.toContain('"$ref"');
    expect(() => compile(inlined)).not.toThrow();
  });

  it('tool inputSchemas match the golden file and compile in both forms', async () => {
    const tools = toolInputs(spec);
    for (const { defs, inline } of Object.values(tools)) {
      expect(defs).toMatchObject({ type: 'object' });
      expect(() => [compile(defs), compile(inline)]).not.toThrow();
    }
    await expect(`${JSON.stringify(tools, null, 2)}\n`).toMatchFileSnapshot(join(fixtures, `${spec.file}.tools.json`));
  });
});

describe('fixture semantics', () => {
  const [petstore, sample] = specs.map(toolInputs) as [ReturnType<typeof toolInputs>, ReturnType<typeof toolInputs>];
  const forms = (tool: { defs: JsonSchema; inline: JsonSchema }) => [compile(tool.defs), compile(tool.inline)];

  it.each([
    [
      'addPet',
      {
        body: {
          name: 'Rex',
          photoUrls: [],
          owner: null,
          details: null,
          category: { name: 'Dogs', parent: { name: 'Animals', parent: null } },
          weightKg: 3
        }
      },
      true
    ],
    ['addPet', { body: { name: 'Rex', photoUrls: [], details: { breed: 'Pug' }, attributes: { color: null } } }, true],
    ['addPet', { body: { name: 'Rex', photoUrls: [], weightKg: 0 } }, false],
    ['addPet', { body: { name: 'Rex' } }, false],
    ['getPetById', { petId: 1 }, true],
    ['getPetById', { petId: 0 }, false],
    ['findPetsByStatus', { limit: 100 }, true],
    ['findPetsByStatus', { limit: 0 }, false],
    ['placeOrder', { body: { petId: 1, quantity: 999, status: null, shipDate: null } }, true],
    ['placeOrder', { body: { petId: 1, quantity: 1000 } }, false],
    ['createOwner', { body: { name: 'Ada', household: { address: { residents: [{ name: 'Bob' }] } } } }, true],
    ['createOwner', { body: { household: {} } }, false]
  ] as const)('petstore %s %j → %s', (tool, args, valid) => {
    for (const validate of forms(petstore[tool]!)) expect(validate(args)).toBe(valid);
  });

  it.each([
    [
      'createItem',
      { dryRun: null, body: { sku: 'ABC-1234', price: { amount: 1, currency: 'EUR' }, name: null, dimensions: [1, 2, 3] } },
      true
    ],
    ['createItem', { body: { sku: 'ABC-1234', price: { amount: 0, currency: 'EUR' } } }, false],
    ['createItem', { body: { sku: 'ABC-1234', price: { amount: 1, currency: 'EUR' }, extra: 1 } }, false],
    ['putTree', { id: 'x', body: { label: 'root', children: [{ label: 'leaf', parent: null }] } }, true],
    ['putTree', { id: 'x', body: { children: [] } }, false],
    ['createShipment', { body: { method: 'courier', courier: 'DHL' } }, true],
    ['createShipment', { body: { method: 'courier' } }, false]
  ] as const)('3.1 sample %s %j → %s', (tool, args, valid) => {
    for (const validate of forms(sample[tool]!)) expect(validate(args)).toBe(valid);
  });

  it('request direction removed readOnly ids; the Owner cycle is cut in the inline form', () => {
    const pet = (petstore.addPet!.defs as any).$defs.Pet;
    expect(pet.properties.id).toBeUndefined();
    expect(JSON.stringify(petstore.createOwner!.inline)).toContain('Recursive Owner (cut)');
    expect(Object.keys((petstore.createOwner!.defs as any).$defs)).toEqual(['Address', 'Household', 'Owner']);
    expect((sample.createItem!.inline as any).properties.body.properties.price.properties.currency).toEqual({
      type: 'string',
      enum: ['EUR', 'USD', 'GBP']
    });
  });
});
