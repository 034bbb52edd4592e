import { isSchemaObject, type JsonSchema, type JsonSchemaObject } from './types.js';

export type SubschemaShape = 'schema' | 'schemaArray' | 'schemaMap';

/**
 * Every 2020-12 keyword whose value holds subschemas, and in which shape. These are the only places a `$ref` can
 * live: `default`, `examples`, `const` and `enum` hold instance data, so an example object with a `$ref` key is
 * never mistaken for a reference.
 */
export const subschemaKeywords: Readonly<Record<string, SubschemaShape>> = {
  allOf: 'schemaArray',
  anyOf: 'schemaArray',
  oneOf: 'schemaArray',
  prefixItems: 'schemaArray',
  not: 'schema',
  if: 'schema',
  then: 'schema',
  else: 'schema',
  items: 'schema',
  contains: 'schema',
  additionalProperties: 'schema',
  propertyNames: 'schema',
  unevaluatedItems: 'schema',
  unevaluatedProperties: 'schema',
  contentSchema: 'schema',
  properties: 'schemaMap',
  patternProperties: 'schemaMap',
  dependentSchemas: 'schemaMap',
  $defs: 'schemaMap'
};

/** Keywords that only describe: they never change which instances validate, so they can move or merge freely. */
export const annotationKeywords: ReadonlySet<string> = new Set([
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment'
]);

/** Own keys only: "constructor" or "__proto__" must not find Object.prototype members. */
export function shapeOf(keyword: string): SubschemaShape | undefined {
  return Object.hasOwn(subschemaKeywords, keyword) ? subschemaKeywords[keyword] : undefined;
}

/** Each subschema of a node with its path below the node, e.g. `['properties', 'name']` or `['allOf', '0']`. */
export function subschemaEntries(schema: JsonSchemaObject): Array<[path: string[], sub: unknown]> {
  const entries: Array<[string[], unknown]> = [];
  for (const [keyword, value] of Object.entries(schema)) {
    const shape = shapeOf(keyword);
    if (shape === 'schema') entries.push([[keyword], value]);
    else if (shape === 'schemaArray' && Array.isArray(value)) value.forEach((sub, i) => entries.push([[keyword, String(i)], sub]));
    else if (shape === 'schemaMap' && isSchemaObject(value))
      for (const [key, sub] of Object.entries(value)) entries.push([[keyword, key], sub]);
  }
  return entries;
}

/** Rebuilds a node with every subschema replaced by `map(sub)`; all other keywords are copied untouched. */
export function mapSubschemas(schema: JsonSchemaObject, map: (sub: unknown) => JsonSchema): JsonSchemaObject {
  const out: JsonSchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    const shape = shapeOf(keyword);
    if (shape === 'schema') out[keyword] = map(value);
    else if (shape === 'schemaArray' && Array.isArray(value)) out[keyword] = value.map(map);
    // fromEntries, not assignment: a property may well be called "__proto__".
    else if (shape === 'schemaMap' && isSchemaObject(value))
      out[keyword] = Object.fromEntries(Object.entries(value).map(([key, sub]) => [key, map(sub)]));
    else out[keyword] = value;
  }
  return out;
}
