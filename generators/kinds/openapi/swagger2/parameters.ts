import { convertSchema } from './schema.js';
import { extensions, isObj, obj, type Context, type Obj } from './context.js';

/** The keywords a 2.0 parameter (or its `items`) shares with a Schema Object. */
const SCHEMA_KEYWORDS = [
  'type',
  'format',
  'items',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'enum',
  'multipleOf',
  'x-nullable'
];

export type Converted<T> = { value: T } | { skip: string };

/**
 * A non-body parameter's `type`, `items` and constraints as a schema. Arrays of arrays are refused: a nested
 * `collectionFormat` has no 3.0 equivalent the runtime could send.
 */
export function parameterSchema(ctx: Context, p: Obj, name: string): Converted<Obj> {
  const fields = Object.fromEntries(SCHEMA_KEYWORDS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
  if (isObj(fields.items)) {
    const items = obj(fields.items);
    if (items.type === 'array') return { skip: `parameter ${name} is an array of arrays (nested collectionFormat), which cannot be sent` };
    fields.items = Object.fromEntries(SCHEMA_KEYWORDS.filter((k) => items[k] !== undefined && k !== 'items').map((k) => [k, items[k]]));
    if (typeof items.$ref === 'string') fields.items = { $ref: items.$ref };
  }
  return { value: convertSchema(ctx, fields) as Obj };
}

/** collectionFormat → style and explode, per location; tsv (and anything a location cannot express) has none. */
function styleOf(location: string, format: string): { style?: string; explode?: boolean } | undefined {
  if (location === 'query') {
    return (
      {
        csv: { style: 'form', explode: false },
        multi: { style: 'form', explode: true },
        ssv: { style: 'spaceDelimited', explode: false },
        pipes: { style: 'pipeDelimited', explode: false }
      } as Record<string, { style: string; explode: boolean }>
    )[format];
  }
  return format === 'csv' ? { style: 'simple', explode: false } : undefined;
}

/** A path, query or header parameter as 3.0 has it: `schema`, and `style`/`explode` for arrays. */
export function convertParameter(ctx: Context, p: Obj): Converted<Obj> {
  const name = `${String(p.name)} (in ${String(p.in)})`;
  if (!['path', 'query', 'header'].includes(String(p.in))) return { skip: `parameter ${name} has an unknown location` };
  if (p.type === 'file') return { skip: `parameter ${name} has type file outside formData` };
  const schema = parameterSchema(ctx, p, name);
  if ('skip' in schema) return schema;
  const { 'x-nullable': _nullable, ...rest } = extensions(p); // x-nullable moves into the schema
  const out: Obj = { name: p.name, in: p.in, ...rest };
  if (typeof p.description === 'string') out.description = p.description;
  if (p.required === true || p.in === 'path') out.required = true;
  if (p.allowEmptyValue === true && p.in === 'query') out.allowEmptyValue = true;
  if (p.type === 'array') {
    const format = typeof p.collectionFormat === 'string' ? p.collectionFormat : 'csv';
    const style = styleOf(String(p.in), format);
    if (!style) return { skip: `parameter ${name} uses collectionFormat ${format}, which OpenAPI 3 cannot express` };
    Object.assign(out, style);
  }
  out.schema = schema.value;
  return { value: out };
}

/**
 * The body parameter, or the formData ones, as a requestBody. Form fields become one object schema: a `type: file`
 * field makes it multipart/form-data (its value a binary string), otherwise the form types the operation consumes
 * (application/x-www-form-urlencoded by default). Form arrays must be `multi` (repeated fields, OpenAPI 3's form
 * encoding): the others would need an `encoding` the runtime does not send.
 */
export function requestBodyOf(
  ctx: Context,
  body: Obj | undefined,
  form: readonly Obj[],
  consumes: readonly string[]
): Converted<Obj> | undefined {
  if (body && form.length > 0) return { skip: 'it has both a body and formData parameters' };
  if (body) {
    const schema = convertSchema(ctx, body.schema ?? {});
    const types = consumes.length > 0 ? consumes : ['application/json'];
    return {
      value: {
        ...(typeof body.description === 'string' ? { description: body.description } : {}),
        content: Object.fromEntries(types.map((t) => [t, { schema }])),
        ...(body.required === true ? { required: true } : {})
      }
    };
  }
  if (form.length === 0) return undefined;
  const properties: Obj = {};
  const required: string[] = [];
  for (const p of form) {
    const name = String(p.name);
    const schema = parameterSchema(ctx, p, `${name} (in formData)`);
    if ('skip' in schema) return schema;
    if (p.type === 'array' && (p.collectionFormat ?? 'csv') !== 'multi') {
      return {
        skip:
          `formData parameter ${name} uses collectionFormat ${String(p.collectionFormat ?? 'csv')}: only ` +
          `multi (repeated fields) is supported`
      };
    }
    properties[name] = typeof p.description === 'string' ? { ...schema.value, description: p.description } : schema.value;
    if (p.required === true) required.push(name);
  }
  const hasFile = form.some((p) => p.type === 'file');
  const formTypes = consumes.filter((t) => /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(t));
  const types = hasFile ? ['multipart/form-data'] : formTypes.length > 0 ? formTypes : ['application/x-www-form-urlencoded'];
  const schema = { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
  return { value: { content: Object.fromEntries(types.map((t) => [t, { schema }])), ...(required.length > 0 ? { required: true } : {}) } };
}
