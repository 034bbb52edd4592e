/**
 * Boolean subschemas and keyword-named properties (issue 17, point 1): `true`/`false` become `{}` / `{ "not": {} }`
 * wherever the MCP Tool schema wants objects (the same instances validate), and a property named like a keyword
 * stays a property, through operationsOf to a valid MCP Tool, for every keyword of JSON Schema draft 4 to 2020-12
 * and OpenAPI's own.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedSpec } from '../../generators/kinds/openapi/load.js';
import { operationsOf } from '../../generators/kinds/openapi/operations.js';
import { objectSubschemas } from '../../generators/kinds/openapi/schema/booleans.js';
import type { JsonSchema } from '../../generators/kinds/openapi/schema/index.js';
import { checkTool, preloadToolCheck } from '../../generators/kinds/openapi/tool-check.js';

beforeAll(preloadToolCheck);

describe('objectSubschemas', () => {
  it.each([
    { given: true, want: {} },
    { given: false, want: { not: {} } },
    { given: { properties: { a: true, b: false } }, want: { properties: { a: {}, b: { not: {} } } } },
    { given: { items: true, prefixItems: [false] }, want: { items: {}, prefixItems: [{ not: {} }] } },
    {
      given: { additionalProperties: false, unevaluatedProperties: true },
      want: { additionalProperties: false, unevaluatedProperties: true }
    },
    { given: { additionalProperties: { properties: { x: false } } }, want: { additionalProperties: { properties: { x: { not: {} } } } } },
    { given: { allOf: [true, { not: false }] }, want: { allOf: [{}, { not: { not: {} } }] } },
    { given: { $defs: { A: false } }, want: { $defs: { A: { not: {} } } } },
    // Instance data is never walked: an example or enum value with schema-like keys stays as it is.
    {
      given: { enum: [{ properties: true }], default: { items: false } },
      want: { enum: [{ properties: true }], default: { items: false } }
    }
  ])('$given → $want', ({ given, want }) => {
    expect(objectSubschemas(given as JsonSchema)).toEqual(want);
  });

  const leaf = fc.oneof(fc.boolean(), fc.constantFrom<JsonSchema>({ type: 'string' }, { type: 'integer', minimum: 0 }, { const: 1 }));
  const schema = fc.letrec<{ s: JsonSchema }>((tie) => ({
    s: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ properties: fc.dictionary(fc.constantFrom('a', 'properties', 'items', '$ref', 'type'), tie('s'), { maxKeys: 3 }) }),
      fc.record({ items: tie('s') }),
      fc.record({ anyOf: fc.array(tie('s'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie('s') }),
      fc.record({ additionalProperties: tie('s') })
    )
  })).s;

  it('never changes which instances validate, and leaves booleans only where they are kept (generated schemas)', () => {
    const ajv = new Ajv2020({ strict: false, logger: false });
    fc.assert(
      fc.property(schema, fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 8 }), (s, instances) => {
        const out = objectSubschemas(s);
        const [before, after] = [ajv.compile(s as object), ajv.compile(out)];
        for (const v of instances) if (before(v) !== after(v)) return false;
        return hasOnlyKept(out);
      }),
      { numRuns: 300 }
    );
  });
});

/** True when every boolean schema left is the value of a kept keyword (additionalProperties and friends). */
function hasOnlyKept(value: unknown, key = ''): boolean {
  if (typeof value === 'boolean') return ['additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'const'].includes(key);
  if (Array.isArray(value)) return value.every((v) => hasOnlyKept(v, key === 'anyOf' ? '' : key));
  if (value && typeof value === 'object') return Object.entries(value).every(([k, v]) => hasOnlyKept(v, k));
  return true;
}

/** Every keyword of JSON Schema draft 4 to 2020-12, and OpenAPI's own. */
const KEYWORDS = [
  '$schema',
  '$id',
  'id',
  '$ref',
  '$dynamicRef',
  '$dynamicAnchor',
  '$anchor',
  '$defs',
  'definitions',
  '$comment',
  '$vocabulary',
  '$recursiveRef',
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'maxContains',
  'minContains',
  'maxItems',
  'minItems',
  'uniqueItems',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'maxProperties',
  'minProperties',
  'required',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'format',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  'nullable',
  'discriminator',
  'xml',
  'externalDocs',
  'example',
  '__proto__',
  'constructor'
];

describe('every keyword as a property name, through operationsOf to a valid MCP Tool', () => {
  const record = {
    type: 'object',
    properties: Object.fromEntries(KEYWORDS.map((k) => [k, { type: 'string' }])),
    required: ['type', 'properties']
  };
  const spec: LoadedSpec = {
    source: 's',
    file: '/x/api.json',
    dialect: '3.1',
    doc: {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/r': {
          post: {
            operationId: 'echoRecord',
            requestBody: { content: { 'application/json': { schema: record } } },
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { ...record, properties: { ...record.properties, flag: true } } } }
              }
            }
          }
        }
      }
    }
  };

  it('keeps every property, in the input and the output schema, and the tool is valid', () => {
    const [op] = operationsOf(spec, { outputSchema: 'full' } as never);
    const tool = op!.tool;
    if ('skipped' in tool) throw new Error(tool.skipped);
    const body = (tool.inputSchema.properties as Record<string, { properties: Record<string, unknown>; required: string[] }>).body!;
    expect(Object.keys(body.properties).sort()).toEqual([...KEYWORDS].sort());
    expect(body.required).toEqual(['type', 'properties']);
    const out = tool.outputSchema as { properties: Record<string, unknown> };
    expect(Object.keys(out.properties).sort()).toEqual([...KEYWORDS, 'flag'].sort());
    expect(out.properties.flag).toEqual({});
    expect(checkTool({ name: 'echoRecord', ...tool.descriptor, outputSchema: tool.outputSchema })).toBeUndefined();
  });
});
