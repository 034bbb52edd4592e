import { rewriteComponentRef } from './refs.js';
import { isSchemaObject, type Dialect, type JsonSchema, type JsonSchemaObject, type SchemaIssue } from './types.js';
import { subschemaKeywords, type SubschemaShape } from './vocabulary.js';

export interface KeywordContext {
  /** The whole source node: some keywords only make sense next to a sibling (`exclusiveMinimum: true` + `minimum`). */
  readonly source: JsonSchemaObject;
  /** The node being built; transforms write their keyword(s) here. */
  readonly out: JsonSchemaObject;
  readonly dialect: Dialect;
  /** Converts a subschema found under this keyword; `path` continues the issue pointer below the keyword. */
  sub(value: unknown, ...path: string[]): JsonSchema;
  issue(severity: SchemaIssue['severity'], message: string): void;
}

/** Converts one keyword of a Schema Object. Transforms must not depend on key order, so siblings are read from `source`. */
export type KeywordTransform = (value: unknown, ctx: KeywordContext, keyword: string) => void;

const keep: KeywordTransform = (value, ctx, keyword) => {
  ctx.out[keyword] = value;
};

const drop: KeywordTransform = () => {};

/** `readOnly: false` and friends restate the default: dropping them keeps the schema compact. */
const keepUnlessFalse: KeywordTransform = (value, ctx, keyword) => {
  if (value !== false) ctx.out[keyword] = value;
};

/** Ajv rejects a schema whose bounds are not numbers at compile time, which would take the whole tool down. */
const numeric: KeywordTransform = (value, ctx, keyword) => {
  if (typeof value === 'number' && Number.isFinite(value)) ctx.out[keyword] = value;
  else ctx.issue('error', `${keyword} must be a number, got ${JSON.stringify(value)}; dropped`);
};

const applicator =
  (shape: SubschemaShape): KeywordTransform =>
  (value, ctx, keyword) => {
    if (shape === 'schema') ctx.out[keyword] = ctx.sub(value);
    // An empty allOf/anyOf/oneOf/prefixItems fails the 2020-12 meta-schema (Ajv would refuse the whole tool).
    else if (shape === 'schemaArray' && Array.isArray(value) && value.length === 0)
      ctx.issue('warning', `an empty ${keyword} is not valid JSON Schema; dropped`);
    else if (shape === 'schemaArray' && Array.isArray(value)) ctx.out[keyword] = value.map((sub, i) => ctx.sub(sub, String(i)));
    else if (shape === 'schemaMap' && isSchemaObject(value))
      ctx.out[keyword] = Object.fromEntries(Object.entries(value).map(([key, sub]) => [key, ctx.sub(sub, key)]));
    else ctx.issue('error', `${keyword} must be ${shape === 'schemaArray' ? 'an array of schemas' : 'a map of schemas'}; dropped`);
  };

const jsonTypes = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

const type: KeywordTransform = (value, ctx) => {
  if (Array.isArray(value) && ctx.dialect === '3.0') ctx.issue('warning', 'a type array is OpenAPI 3.1, not 3.0; kept as written');
  const types: string[] = [];
  for (const name of Array.isArray(value) ? value : [value]) {
    if (name === 'file') {
      ctx.issue('warning', 'type "file" is Swagger 2.0; read as a binary string');
      types.push('string');
    } else if (typeof name === 'string' && jsonTypes.has(name)) types.push(name);
    else ctx.issue('error', `type ${JSON.stringify(name)} is not a JSON Schema type; dropped`);
  }
  const unique = [...new Set(types)];
  if (unique.length > 0) ctx.out.type = unique.length === 1 ? unique[0] : unique;
};

/** OpenAPI's `byte` and `binary` are not JSON Schema formats; 2020-12 says the same thing with content keywords. */
const format: KeywordTransform = (value, ctx) => {
  if (value === 'byte') ctx.out.contentEncoding = 'base64';
  else if (value === 'binary') ctx.out.contentMediaType = 'application/octet-stream';
  else ctx.out.format = value;
};

/** 3.0 writes `minimum: 5, exclusiveMinimum: true`; 2020-12 writes `exclusiveMinimum: 5`. The inclusive bound then goes. */
const inclusiveBound =
  (exclusiveKeyword: string): KeywordTransform =>
  (value, ctx, keyword) => {
    if (ctx.source[exclusiveKeyword] !== true) numeric(value, ctx, keyword);
  };

const exclusiveBound =
  (inclusiveKeyword: string): KeywordTransform =>
  (value, ctx, keyword) => {
    if (typeof value !== 'boolean') return numeric(value, ctx, keyword);
    if (ctx.dialect === '3.1' && value) ctx.issue('warning', `a boolean ${keyword} is OpenAPI 3.0; converted to the numeric form`);
    if (!value) return;
    const bound = ctx.source[inclusiveKeyword];
    if (typeof bound === 'number') ctx.out[keyword] = bound;
    else ctx.issue('warning', `${keyword}: true without a numeric ${inclusiveKeyword} bounds nothing; dropped`);
  };

/** `example` (OpenAPI) and `examples` (JSON Schema) merge into one `examples` array; whichever comes first writes it. */
const examples: KeywordTransform = (value, ctx, keyword) => {
  if (keyword === 'examples' && !Array.isArray(value)) ctx.issue('warning', 'examples must be an array in JSON Schema; dropped');
  if ('examples' in ctx.out) return;
  const listed = Array.isArray(ctx.source.examples) ? ctx.source.examples : [];
  const all = Object.hasOwn(ctx.source, 'example') ? [...listed, ctx.source.example] : listed;
  if (all.length > 0) ctx.out.examples = all;
};

const ref: KeywordTransform = (value, ctx) => {
  if (typeof value === 'string') ctx.out.$ref = rewriteComponentRef(value);
  else ctx.issue('error', `$ref must be a string, got ${JSON.stringify(value)}; dropped`);
};

/** A tuple written as an `items` array (draft-07) is `prefixItems` in 2020-12; valid in neither OpenAPI version. */
const items: KeywordTransform = (value, ctx, keyword) => {
  if (!Array.isArray(value)) return applicator('schema')(value, ctx, keyword);
  ctx.issue('warning', 'items as an array is valid in neither OpenAPI 3.0 nor 3.1; converted to prefixItems');
  applicator('schemaArray')(value, ctx, 'prefixItems');
};

/**
 * draft-07 `additionalItems` constrains items past a tuple, which 2020-12 calls `items`; next to a single items schema
 * it never applied.
 */
const additionalItems: KeywordTransform = (value, ctx) => {
  if (Array.isArray(ctx.source.items)) ctx.out.items = ctx.sub(value);
};

/** `required: true` on a schema (a parameter's flag, misplaced) means nothing in any JSON Schema: a warning, not an error. */
const required: KeywordTransform = (value, ctx) => {
  if (!Array.isArray(value)) ctx.issue('warning', `required must be an array of property names, got ${JSON.stringify(value)}; dropped`);
  else if (!value.every((name) => typeof name === 'string'))
    ctx.issue('error', `required must list property names, got ${JSON.stringify(value)}; dropped`);
  else if (value.length > 0) ctx.out.required = [...new Set(value)];
};

/** Clients validate with the `u` flag (Ajv does by default); a pattern that does not compile so would break the whole tool. */
const pattern: KeywordTransform = (value, ctx) => {
  try {
    new RegExp(String(value), 'u');
    ctx.out.pattern = value;
  } catch {
    ctx.issue('warning', `pattern ${JSON.stringify(value)} is not a valid Unicode regular expression; dropped`);
  }
};

const applicators = Object.fromEntries(Object.entries(subschemaKeywords).map(([keyword, shape]) => [keyword, applicator(shape)]));

/** Every keyword a Schema Object may carry, 3.0 or 3.1, and what becomes of it. Anything else is dropped with a warning. */
export const keywordTransforms: Readonly<Record<string, KeywordTransform>> = {
  ...applicators,
  items,
  additionalItems,
  $ref: ref,
  type,
  format,
  required,
  pattern,
  minimum: inclusiveBound('exclusiveMinimum'),
  maximum: inclusiveBound('exclusiveMaximum'),
  exclusiveMinimum: exclusiveBound('minimum'),
  exclusiveMaximum: exclusiveBound('maximum'),
  example: examples,
  examples,
  ...Object.fromEntries(
    ['multipleOf', 'maxLength', 'minLength', 'maxItems', 'minItems', 'maxContains', 'minContains', 'maxProperties', 'minProperties'].map(
      (k) => [k, numeric]
    )
  ),
  ...Object.fromEntries(['readOnly', 'writeOnly', 'deprecated', 'uniqueItems'].map((k) => [k, keepUnlessFalse])),
  ...Object.fromEntries(
    [
      'title',
      'description',
      'default',
      'enum',
      'const',
      'dependentRequired',
      'contentEncoding',
      'contentMediaType',
      '$anchor',
      '$dynamicAnchor',
      '$dynamicRef'
    ].map((k) => [k, keep])
  ),
  // Read by the node pass in nodes.ts, which needs the whole converted node.
  nullable: drop,
  // OpenAPI-only: discriminator is a hint for code generators (oneOf/anyOf already validate), xml and externalDocs
  // describe serialization and docs. A nested $id would re-base every `#/$defs/...` below it; $schema is the root's.
  discriminator: drop,
  xml: drop,
  externalDocs: drop,
  $id: drop,
  $schema: drop,
  $comment: drop
};
