import type { JsonSchema, JsonSchemaObject } from './types.js';

export interface ObjectRootOptions {
  /** Omitted unless given: most APIs tolerate unknown fields, and `false` must be a deliberate choice. */
  readonly additionalProperties?: JsonSchema;
  /** Usually collectDefs(...).defs; left out when empty. */
  readonly defs?: Readonly<Record<string, JsonSchema>>;
}

/**
 * The root of a tool's inputSchema, which MCP requires to be `type: object`: one property per parameter or body
 * field. `required` keeps the caller's order, without duplicates, and is left out when empty (an empty array says
 * nothing and 3.0 forbids it).
 */
export function objectRoot(
  properties: Readonly<Record<string, JsonSchema>>,
  required: readonly string[] = [],
  options: ObjectRootOptions = {}
): JsonSchemaObject {
  const root: JsonSchemaObject = { type: 'object', properties: { ...properties } };
  if (required.length > 0) root.required = [...new Set(required)];
  if (options.additionalProperties !== undefined) root.additionalProperties = options.additionalProperties;
  if (options.defs && Object.keys(options.defs).length > 0) root.$defs = { ...options.defs };
  return root;
}
