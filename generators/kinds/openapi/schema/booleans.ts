import { isSchemaObject, type JsonSchema, type JsonSchemaObject } from './types.js';
import { shapeOf } from './vocabulary.js';

/**
 * Keywords whose boolean value is the common, well-understood spelling (`additionalProperties: false`): kept as
 * they are. Everywhere else the MCP Tool schema's types want objects (`properties: { [name]: object }`), and SDKs
 * that check them refused whole tools for a `true` there.
 */
const BOOLEAN_KEPT: ReadonlySet<string> = new Set(['additionalProperties', 'unevaluatedProperties', 'unevaluatedItems']);

/**
 * The schema with every boolean subschema written as an object: `true` → `{}`, `false` → `{ "not": {} }` (the same
 * instances validate). The walk is structural (vocabulary.ts): only values in schema positions are subschemas, so
 * a property *named* `properties`, `items` or `$ref` is a name, never a keyword.
 */
export function objectSubschemas(schema: JsonSchema): JsonSchemaObject {
  if (schema === true) return {};
  if (schema === false) return { not: {} };
  const out: JsonSchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    const shape = shapeOf(keyword);
    if (shape === 'schema') out[keyword] = typeof value === 'boolean' && BOOLEAN_KEPT.has(keyword) ? value : sub(value);
    else if (shape === 'schemaArray' && Array.isArray(value)) out[keyword] = value.map(sub);
    // fromEntries, not assignment: a property may well be called "__proto__".
    else if (shape === 'schemaMap' && isSchemaObject(value))
      out[keyword] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sub(v)]));
    else out[keyword] = value;
  }
  return out;
}

/** A subschema position holding something that is not a schema (a malformed document) is left as it is. */
function sub(value: unknown): JsonSchema {
  return typeof value === 'boolean' || isSchemaObject(value) ? objectSubschemas(value) : (value as JsonSchema);
}
