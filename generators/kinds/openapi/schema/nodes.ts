import { isSchemaObject, type ConvertOptions, type Dialect, type JsonSchemaObject, type SchemaIssue } from './types.js';
import { annotationKeywords } from './vocabulary.js';

export interface NodeContext {
  /** The OpenAPI node as written; `out` holds its keywords already converted one by one. */
  readonly source: JsonSchemaObject;
  readonly dialect: Dialect;
  readonly options: ConvertOptions;
  issue(severity: SchemaIssue['severity'], message: string): void;
}

/** A rewrite that needs the whole converted node rather than one keyword. */
export type NodePass = (out: JsonSchemaObject, ctx: NodeContext) => JsonSchemaObject;

/** JSON has no raw bytes: `format: binary` became contentMediaType, and the description says so for readers that skip it. */
const binaryHint: NodePass = (out, { source }) => {
  if (source.format !== 'binary' && source.type !== 'file') return out;
  const hint = 'Binary content.';
  return { ...out, description: typeof out.description === 'string' && out.description ? `${out.description} (${hint})` : hint };
};

/** Drops properties that never travel in this direction (see ConvertOptions.direction), with their `required` entries. */
const oneWayProperties: NodePass = (out, { options }) => {
  const flag = options.direction === 'request' ? 'readOnly' : options.direction === 'response' ? 'writeOnly' : undefined;
  if (!flag || !isSchemaObject(out.properties)) return out;
  const entries = Object.entries(out.properties);
  const kept = entries.filter(([, schema]) => !(isSchemaObject(schema) && schema[flag] === true));
  if (kept.length === entries.length) return out;
  const keptNames = new Set(kept.map(([name]) => name));
  const result: JsonSchemaObject = { ...out, properties: Object.fromEntries(kept) };
  const required = Array.isArray(out.required) ? out.required.filter((name) => keptNames.has(name)) : [];
  if (required.length > 0) result.required = required;
  else delete result.required;
  return result;
};

/** 3.0 authors wrap a ref in `allOf: [{$ref}]` to give it a description; 2020-12 allows `$ref` siblings, so unwrap. */
const loneAllOfRef: NodePass = (out) => {
  const [only, ...others] = Array.isArray(out.allOf) ? out.allOf : [];
  if (others.length > 0 || !isSchemaObject(only) || Object.keys(only).join() !== '$ref' || '$ref' in out) return out;
  return Object.fromEntries(Object.entries(out).map(([keyword, value]) => (keyword === 'allOf' ? ['$ref', only.$ref] : [keyword, value])));
};

const nullable: NodePass = (out, ctx) => {
  const flag = ctx.source.nullable;
  if (flag === undefined) return out;
  if (typeof flag !== 'boolean') ctx.issue('warning', `nullable must be a boolean, got ${JSON.stringify(flag)}; ignored`);
  if (flag !== true) return out;
  if (ctx.dialect === '3.1') ctx.issue('warning', 'nullable is OpenAPI 3.0 (3.1 writes type: [..., "null"]); applied anyway');
  return allowNull(out);
};

/** Applicators decide for themselves whether null passes, so adding "null" to a sibling `type` would not be enough. */
const applicatorKeywords = ['$ref', 'allOf', 'anyOf', 'oneOf'];
/** Stay on the outer node when wrapping: annotations, extensions, and what pointers may reach by path. */
const staysOutside = (keyword: string) =>
  annotationKeywords.has(keyword) || keyword.startsWith('x-') || keyword === '$defs' || keyword === '$anchor';
const nullSchema = { type: 'null' };

/**
 * 3.0 `nullable: true` in each shape. Without applicators: add "null" to `type` and to `enum` (an enum would
 * otherwise still reject it); with neither, null is already allowed. With applicators: `anyOf: [node, {type: null}]`,
 * which follows what authors mean even though 3.0.3 says nullable only widens a `type` in the same object.
 */
function allowNull(schema: JsonSchemaObject): JsonSchemaObject {
  if (!applicatorKeywords.some((keyword) => keyword in schema)) {
    const result = { ...schema };
    if (schema.type !== undefined) result.type = typeWithNull(schema.type);
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) result.enum = [...schema.enum, null];
    return result;
  }
  const outer: JsonSchemaObject = {};
  const inner: JsonSchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) (staysOutside(keyword) ? outer : inner)[keyword] = value;
  // An anyOf alone just gains a branch: `anyOf: [A, B, {type: null}]` is flatter than nesting it.
  if (Object.keys(inner).join() === 'anyOf' && Array.isArray(inner.anyOf)) {
    const hasNull = inner.anyOf.some((branch) => isSchemaObject(branch) && Object.keys(branch).join() === 'type' && branch.type === 'null');
    return { ...schema, anyOf: hasNull ? inner.anyOf : [...inner.anyOf, nullSchema] };
  }
  return { ...outer, anyOf: [inner, nullSchema] };
}

function typeWithNull(type: unknown): unknown {
  if (Array.isArray(type)) return type.includes('null') ? type : [...type, 'null'];
  return type === 'null' ? type : [type, 'null'];
}

/** Run in order on every converted node. Direction filtering precedes nullable, which may move `properties` into an anyOf. */
export const nodePasses: readonly NodePass[] = [binaryHint, oneWayProperties, loneAllOfRef, nullable];
