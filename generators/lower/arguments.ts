// Undeclared arguments are refused (issue 11). The rule is published in the tool's inputSchema, so clients
// see it, and carried as the IR's `refuseUndeclared` flag, which the runtime checks before validation.

type Obj = Record<string, unknown>;

/** Keywords that declare properties beside `properties`: `additionalProperties: false` would not see them. */
const COMBINATORS = ['allOf', 'anyOf', 'oneOf', 'if', 'then', 'else', 'dependentSchemas', '$ref'];

/**
 * The input schema with undeclared arguments closed at its top level: `additionalProperties: false`, or
 * `unevaluatedProperties: false` when combinators declare some. A schema that says either already keeps its
 * word (`additionalProperties: true`, or a schema for the extra ones, opts out).
 */
export function closedInput(schema: Obj): { schema: Obj; refuseUndeclared: boolean } {
  for (const key of ['additionalProperties', 'unevaluatedProperties']) {
    if (key in schema) return { schema, refuseUndeclared: schema[key] === false };
  }
  const keyword = COMBINATORS.some((k) => k in schema) ? 'unevaluatedProperties' : 'additionalProperties';
  return { schema: { ...schema, [keyword]: false }, refuseUndeclared: true };
}
