import { escapePointerSegment } from '../schema/refs.js';
import { extensions, follow, isObj, obj, type Context, type Obj } from './context.js';
import { securitySchemesOf, serversOf } from './document.js';
import { convertParameter, requestBodyOf } from './parameters.js';
import { convertResponse, convertResponses } from './responses.js';
import { convertSchema } from './schema.js';
import { validateSwagger2 } from './validate.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export interface Swagger2Result {
  /** The OpenAPI 3.0 document, its `$ref`s kept (pointing into components). */
  readonly doc: Obj;
  /** Operations (by pointer) that have no faithful 3.0 form, with why. */
  readonly skipped: Map<string, string>;
}

/**
 * A bundled Swagger 2.0 document (every ref local) → OpenAPI 3.0.3, node by node: definitions, parameters and
 * responses move under components, body and formData parameters become requestBodies, response schemas get
 * content per `produces`, host/basePath/schemes become servers and securityDefinitions securitySchemes.
 */
export function convertSwagger2(source: Obj): Swagger2Result {
  const ctx: Context = { source, schemas: {}, hoisted: new Map() };
  const skipped = new Map<string, string>();
  for (const [name, schema] of Object.entries(obj(source.definitions))) ctx.schemas[name] = convertSchema(ctx, schema);

  const parameters: Obj = {};
  const badParameters = new Map<string, string>();
  for (const [name, p] of Object.entries(obj(source.parameters))) {
    if (['body', 'formData'].includes(String(obj(p).in))) continue; // moved into each requestBody that uses it
    const converted = convertParameter(ctx, obj(p));
    if ('skip' in converted) badParameters.set(`#/parameters/${escapePointerSegment(name)}`, converted.skip);
    else parameters[name] = converted.value;
  }
  const docProduces = list(source.produces);
  const responses = Object.fromEntries(
    Object.entries(obj(source.responses)).map(([name, r]) => [name, convertResponse(ctx, obj(r), docProduces)])
  );

  const paths: Obj = {};
  for (const [path, raw] of Object.entries(obj(source.paths))) {
    if (path.startsWith('x-')) {
      paths[path] = raw;
      continue;
    }
    const resolved = follow(ctx, raw);
    if ('missing' in resolved) {
      paths[path] = raw; // the loader skips nothing under it, and names the ref if anything reaches it
      continue;
    }
    const item = resolved.value;
    const outItem: Obj = { ...extensions(item) };
    for (const method of METHODS) {
      if (!isObj(item[method])) continue;
      const pointer = `#/paths/${escapePointerSegment(path)}/${method}`;
      const op = operation(ctx, item, item[method] as Obj, { parameters: badParameters, docProduces });
      if (op.skip !== undefined) skipped.set(pointer, op.skip);
      outItem[method] = op.value;
    }
    paths[path] = outItem;
  }

  const securitySchemes = securitySchemesOf(source.securityDefinitions);
  const components: Obj = {
    ...(Object.keys(ctx.schemas).length > 0 ? { schemas: ctx.schemas } : {}),
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    ...(Object.keys(responses).length > 0 ? { responses } : {}),
    ...(securitySchemes ? { securitySchemes } : {})
  };
  const servers = serversOf(source);
  const doc: Obj = {
    openapi: '3.0.3',
    info: source.info,
    ...(servers ? { servers } : {}),
    paths,
    ...(Object.keys(components).length > 0 ? { components } : {}),
    ...(source.security !== undefined ? { security: source.security } : {}),
    ...(source.tags !== undefined ? { tags: source.tags } : {}),
    ...(source.externalDocs !== undefined ? { externalDocs: source.externalDocs } : {}),
    ...extensions(source)
  };
  return { doc, skipped };
}

const COPIED = ['tags', 'summary', 'description', 'externalDocs', 'operationId', 'deprecated', 'security'];

/**
 * One operation. Path-level and operation-level parameters are merged here (the operation's win, by name and
 * location), since body and formData ones from either level end up in the operation's requestBody. The operation
 * is always returned (a later skip still needs its operationId); `skip` says why it cannot become a tool.
 */
function operation(
  ctx: Context,
  item: Obj,
  op: Obj,
  shared: { parameters: Map<string, string>; docProduces: string[] }
): { value: Obj; skip?: string } {
  const out: Obj = {};
  for (const key of COPIED) if (op[key] !== undefined) out[key] = op[key];
  Object.assign(out, extensions(op));
  let skip: string | undefined;
  const merged = new Map<string, { raw: unknown; p?: Obj }>();
  for (const raw of [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
    const target = follow(ctx, raw);
    if ('missing' in target) {
      merged.set(`?${merged.size}`, { raw });
      skip ??= `parameter $ref ${JSON.stringify(target.missing)} cannot be resolved`;
      continue;
    }
    const p = target.value;
    merged.set(p.in === 'body' ? 'body' : `${String(p.in)}:${String(p.name)}`, { raw, p });
  }
  const params: unknown[] = [];
  const form: Obj[] = [];
  let body: Obj | undefined;
  for (const { raw, p } of merged.values()) {
    if (!p)
      params.push(raw); // unresolved: kept as written, so the loader names the ref
    else if (p.in === 'body') body = p;
    else if (p.in === 'formData') form.push(p);
    else {
      const ref = obj(raw).$ref;
      const component = typeof ref === 'string' && /^#\/parameters\/[^/]+$/.test(ref) ? ref : undefined;
      const converted =
        component !== undefined && !shared.parameters.has(component)
          ? { value: { $ref: `#/components${component.slice(1)}` } }
          : convertParameter(ctx, p);
      if ('skip' in converted) skip ??= converted.skip;
      else params.push(converted.value);
    }
  }
  if (params.length > 0) out.parameters = params;
  const requestBody = requestBodyOf(ctx, body, form, list(op.consumes ?? ctx.source.consumes));
  if (requestBody && 'skip' in requestBody) skip ??= requestBody.skip;
  else if (requestBody) out.requestBody = requestBody.value;
  const produces = op.produces !== undefined ? list(op.produces) : shared.docProduces;
  out.responses = convertResponses(ctx, obj(op.responses), produces, shared.docProduces);
  return skip !== undefined ? { value: out, skip } : { value: out };
}

/**
 * The loader's step for a 2.0 document, bundled as written (external files hold 2.0 nodes too): checked against
 * the 2.0 meta-schema, then converted. Operations that fail either are listed in `skipped`, with why.
 */
export function fromSwagger2<T extends { doc: Obj }>(bundled: T): (T & { skipped: Map<string, string> }) | { error: string } {
  const invalid = validateSwagger2(bundled.doc);
  if ('error' in invalid) return invalid;
  const { doc, skipped } = convertSwagger2(bundled.doc);
  for (const [pointer, why] of invalid) skipped.set(pointer, why);
  return { ...bundled, doc, skipped };
}
