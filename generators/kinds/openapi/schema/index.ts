/**
 * OpenAPI Schema Objects → compact JSON Schema 2020-12 for MCP tool inputSchemas. Pure: no I/O, no dereferencing
 * of external files (the loader bundles those first).
 *
 *   const components = convertComponents(doc.components?.schemas, '3.0', { direction: 'request' });
 *   const body = convertSchema(bodySchema, '3.0', { pointer, direction: 'request' });
 *   const { defs, missing, unsupported } = collectDefs(body.schema, components.schema);
 *   const input = objectRoot({ body: body.schema }, ['body'], { defs });
 *   const forPlainClients = inlineSchema(input);
 */
export { convertSchema, convertComponents } from './convert.js';
export { collectDefs, refsIn, type CollectedDefs } from './defs.js';
export { inlineSchema } from './inline.js';
export { compactDescriptions, compactText, delink, shapeSchema } from './compact.js';
export { objectRoot, type ObjectRootOptions } from './root.js';
export { defRef, parseRef, rewriteComponentRef, type RefTarget } from './refs.js';
export type { ConvertOptions, Converted, Dialect, JsonSchema, JsonSchemaObject, SchemaIssue } from './types.js';
