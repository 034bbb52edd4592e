import { collectDefs, convertSchema, shapeSchema, type JsonSchema } from './schema/index.js';
import type { LoadedSpec } from './load.js';
import { obj, type Obj } from '../../plain.js';

/** The success response's JSON schema: 200, then 201, 2XX, the lowest other 2xx. */
function successResponse(responses: Obj): Obj | undefined {
  const codes = Object.keys(responses).filter((c) => /^2(\d\d|XX)$/i.test(c));
  const pick = ['200', '201', '2XX', '2xx'].find((c) => codes.includes(c)) ?? codes.sort()[0];
  return pick === undefined ? undefined : obj(responses[pick]);
}

function resolveRef(doc: Obj, value: Obj): Obj {
  const ref = value.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return value;
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) node = obj(node)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return obj(node);
}

/** `shape`: property names and types to SHAPE_DEPTH levels (see shapeSchema); `full`: the whole converted schema. */
export type OutputSchemaMode = 'shape' | 'full';
const SHAPE_DEPTH = 1;

/**
 * outputSchema from the 2xx JSON response, when its root is an object (2025 clients require that; other
 * shapes are returned as text only). Undefined when there is none or it cannot be made exact.
 */
export function outputSchemaOf(
  spec: LoadedSpec,
  op: Obj,
  components: Readonly<Record<string, JsonSchema>>,
  mode: OutputSchemaMode = 'full'
): Obj | undefined {
  const response = successResponse(obj(op.responses));
  if (!response) return undefined;
  const content = obj(resolveRef(spec.doc, response).content);
  const type = Object.keys(content).find((t) => /^application\/([\w.-]+\+)?json$/i.test(t));
  if (!type) return undefined;
  const converted = convertSchema(obj(content[type]).schema ?? {}, spec.dialect, { direction: 'response' });
  if (converted.issues.some((i) => i.severity === 'error') || typeof converted.schema !== 'object') return undefined;
  const { defs, missing, unsupported } = collectDefs(converted.schema, components);
  if (missing.length > 0 || unsupported.length > 0) return undefined;
  const root = converted.schema;
  const target = typeof root.$ref === 'string' ? defs[String(root.$ref).replace('#/$defs/', '')] : root;
  if (typeof target !== 'object' || target.type !== 'object') return undefined;
  if (mode === 'shape') return shapeSchema(root, SHAPE_DEPTH, defs) as Obj;
  const schema: Obj = typeof root.$ref === 'string' ? { type: 'object', allOf: [root] } : { ...root };
  return Object.keys(defs).length > 0 ? { ...schema, $defs: defs } : schema;
}
