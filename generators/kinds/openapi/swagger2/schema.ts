import { componentRef, isObj, obj, resolveLocal, type Context, type Obj } from './context.js';

const SCHEMA_MAPS = ['properties'];
const SCHEMA_VALUES = ['additionalProperties', 'not'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];

/**
 * A 2.0 Schema Object as a 3.0 one: `#/definitions/X` refs → `#/components/schemas/X`, `x-nullable` → `nullable`,
 * `type: file` → binary string, a string `discriminator` → `{ propertyName }`, a list of types → `nullable` and
 * `anyOf`, tuple `items` → `anyOf`. Refs are kept, never expanded.
 */
export function convertSchema(ctx: Context, node: unknown): unknown {
  if (!isObj(node)) return node;
  if (typeof node.$ref === 'string') return { ...node, $ref: schemaRef(ctx, node.$ref) };
  const out: Obj = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'x-nullable') {
      if (value === true) out.nullable = true;
    } else if (SCHEMA_MAPS.includes(key) && isObj(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertSchema(ctx, v)]));
    } else if (SCHEMA_VALUES.includes(key) && isObj(value)) {
      out[key] = convertSchema(ctx, value);
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => convertSchema(ctx, v));
    } else if (key === 'items') {
      out.items = Array.isArray(value)
        ? value.length === 1
          ? convertSchema(ctx, value[0])
          : { anyOf: value.map((v) => convertSchema(ctx, v)) }
        : convertSchema(ctx, value);
    } else if (key === 'discriminator' && typeof value === 'string') {
      out.discriminator = { propertyName: value };
    } else if (key === 'type') {
      Object.assign(out, typeOf(value));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** `type` in 2.0 may be `file` or a list (draft 4); 3.0 has one type and `nullable`. */
function typeOf(value: unknown): Obj {
  if (value === 'file') return { type: 'string', format: 'binary' };
  if (!Array.isArray(value)) return { type: value };
  const types = value.filter((t) => t !== 'null').map((t) => (t === 'file' ? 'string' : t));
  const nullable = types.length < value.length ? { nullable: true } : {};
  if (types.length === 0) return nullable;
  if (types.length === 1) return { type: types[0], ...nullable };
  return { anyOf: [...new Set(types)].map((type) => ({ type })), ...nullable };
}

/**
 * Where a schema ref points after conversion. Definitions keep their names; a local ref anywhere else (bundling
 * leaves refs into `#/paths/…`) gets its target copied into components once; unresolved markers, external refs
 * and refs that lead nowhere stay as written, so the loader names them when it skips the operations using them.
 */
function schemaRef(ctx: Context, ref: string): string {
  if (ref.startsWith('#/definitions/')) return `#/components/schemas/${ref.slice('#/definitions/'.length)}`;
  if (!ref.startsWith('#/') || ref.startsWith('#/x-mcpgen-unresolved/')) return ref;
  const known = ctx.hoisted.get(ref);
  if (known !== undefined) return componentRef('schemas', known);
  const target = resolveLocal(ctx.source, ref);
  if (!isObj(target)) return ref;
  const base =
    ref
      .slice(2)
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'schema';
  let name = base;
  for (let i = 2; name in ctx.schemas || name in obj(ctx.source.definitions); i++) name = `${base}_${i}`;
  ctx.hoisted.set(ref, name);
  ctx.schemas[name] = {};
  ctx.schemas[name] = convertSchema(ctx, target);
  return componentRef('schemas', name);
}
