import type { OpenApiParamIR, OpenApiToolExec } from '../../../runtime/kinds/openapi/ir.js';
import {
  collectDefs,
  compactDescriptions,
  compactText,
  convertComponents,
  convertSchema,
  inlineSchema,
  objectRoot,
  type JsonSchema,
  type SchemaIssue
} from './schema/index.js';
import type { LoadedSpec } from './load.js';
import { toolDescription, toolName } from './names.js';
import { outputSchemaOf, type OutputSchemaMode } from './output.js';
import { objectSubschemas } from './schema/booleans.js';
import { obj, type Obj } from '../../plain.js';
import { defaultOf } from '../../validate/defaults.js';
import { openapiSchema } from './manifest-schema.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface GeneratedOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly tags: readonly string[];
  readonly pointer: string;
  readonly deprecated: boolean;
  readonly xMcp: unknown;
  /** The tool, or why the operation cannot become one. */
  readonly tool:
    | { readonly descriptor: Obj; readonly inputSchema: Obj; readonly outputSchema?: Obj; readonly exec: OpenApiToolExec }
    | { readonly skipped: string };
}

/**
 * How much of the document a tool carries, per source (what a client pays for in tokens on every tools/list).
 * `compact` descriptions: the first paragraph, links as text, capped (tools 300 characters, parameters 200);
 * `none`: the summary only. `inline` schemas: no `$ref`s, for clients that cannot follow them.
 */
export interface ToolShaping {
  readonly descriptions: 'compact' | 'full' | 'none';
  readonly outputSchema: OutputSchemaMode | 'none';
  readonly schemas: 'refs' | 'inline';
  /** Request body media types chosen by overrides (`bodyMediaType:`), by operationId. */
  readonly bodyMediaTypes?: ReadonlyMap<string, string>;
}

const sourceSchema = openapiSchema.defs!.openapiSource!;
/** The manifest schema's defaults; its `outputSchema: true` means the shape. */
export const defaultShaping: ToolShaping = {
  descriptions: defaultOf<ToolShaping['descriptions']>(sourceSchema, 'descriptions'),
  outputSchema: 'shape',
  schemas: defaultOf<ToolShaping['schemas']>(sourceSchema, 'schemas')
};
const TOOL_CAP = 300;
const PARAMETER_CAP = 200;

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Local `$ref` to a component (parameters, requestBodies); the loader has bundled external files already. */
function deref(doc: Obj, value: unknown): Obj | undefined {
  const ref = obj(value).$ref;
  if (typeof ref !== 'string') return obj(value);
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) node = obj(node)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node === undefined ? undefined : obj(node);
}

export function operationsOf(spec: LoadedSpec, shaping: ToolShaping = defaultShaping): GeneratedOperation[] {
  const doc = spec.doc;
  const components = convertComponents(obj(obj(doc.components).schemas), spec.dialect, { direction: 'request' });
  const responseComponents = convertComponents(obj(obj(doc.components).schemas), spec.dialect, { direction: 'response' });
  const out: GeneratedOperation[] = [];
  for (const [path, itemValue] of Object.entries(obj(doc.paths))) {
    const item = deref(doc, itemValue) ?? {};
    for (const method of METHODS) {
      const op = item[method];
      if (!op || typeof op !== 'object') continue;
      const o = op as Obj;
      const pointer = `#/paths/${esc(path)}/${method}`;
      const operationId = typeof o.operationId === 'string' ? o.operationId : toolName(undefined, method, path);
      const tags = Array.isArray(o.tags) ? o.tags.map(String) : [];
      const broken = spec.broken?.get(pointer);
      const tool =
        broken !== undefined
          ? { skipped: broken }
          : buildTool(spec, components.schema, path, method, item, o, operationId, pointer, shaping);
      if (!('skipped' in tool) && shaping.outputSchema !== 'none') {
        const outputSchema = outputSchemaOf(spec, o, responseComponents.schema, shaping.outputSchema);
        if (outputSchema)
          Object.assign(tool, {
            outputSchema: objectSubschemas(shaping.schemas === 'inline' ? inlineSchema(outputSchema) : outputSchema) as Obj
          });
      }
      out.push({ operationId, method, path, tags, pointer, deprecated: o.deprecated === true, xMcp: o['x-mcp'], tool });
    }
  }
  return out;
}

function buildTool(
  spec: LoadedSpec,
  components: Readonly<Record<string, JsonSchema>>,
  path: string,
  method: string,
  item: Obj,
  op: Obj,
  operationId: string,
  pointer: string,
  shaping: ToolShaping
): GeneratedOperation['tool'] {
  const doc = spec.doc;
  const byKey = new Map<string, Obj>();
  for (const raw of [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
    const p = deref(doc, raw);
    if (!p) return { skipped: `parameter ${JSON.stringify(obj(raw).$ref)} cannot be resolved` };
    byKey.set(`${String(p.in)}:${String(p.name)}`, p);
  }
  const params = [...byKey.values()].filter((p) => ['path', 'query', 'header', 'cookie'].includes(String(p.in)));
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const issues: SchemaIssue[] = [];
  const ir: OpenApiParamIR[] = [];
  // Path parameters keep their names; a name used again in another location gets the location as a prefix.
  const order = ['path', 'query', 'header', 'cookie'];
  params.sort((a, b) => order.indexOf(String(a.in)) - order.indexOf(String(b.in)));
  for (const p of params) {
    const name = String(p.name);
    const location = String(p.in) as OpenApiParamIR['in'];
    if (location === 'header' && ['accept', 'content-type', 'authorization'].includes(name.toLowerCase())) continue;
    const argument = name in properties ? `${location}_${name}` : name;
    const media = Object.entries(obj(p.content))[0];
    const converted = convertSchema(media ? (obj(media[1]).schema ?? {}) : (p.schema ?? {}), spec.dialect, {
      pointer: `${pointer}/parameters/${name}`,
      direction: 'request'
    });
    issues.push(...converted.issues);
    const schema = typeof converted.schema === 'object' ? { ...converted.schema } : converted.schema;
    if (typeof schema === 'object' && typeof p.description === 'string' && schema.description === undefined)
      schema.description = p.description;
    properties[argument] = schema;
    if (p.required === true || location === 'path') required.push(argument);
    ir.push({
      name,
      in: location,
      argument,
      ...(typeof p.style === 'string' ? { style: p.style as OpenApiParamIR['style'] } : {}),
      ...(typeof p.explode === 'boolean' ? { explode: p.explode } : {}),
      ...(p.allowReserved === true ? { allowReserved: true } : {}),
      ...(media ? { contentType: media[0] } : {})
    });
  }
  let body: OpenApiToolExec['body'];
  if (op.requestBody !== undefined) {
    const rb = deref(doc, op.requestBody);
    if (!rb) return { skipped: 'requestBody cannot be resolved' };
    const types = Object.keys(obj(rb.content));
    const wanted = shaping.bodyMediaTypes?.get(operationId);
    const mediaType = wanted !== undefined ? types.find((t) => t.toLowerCase() === wanted.toLowerCase()) : preferredMediaType(types);
    if (wanted !== undefined && !mediaType) return { skipped: `bodyMediaType ${wanted} is not one it accepts (${types.join(', ')})` };
    if (!mediaType) return { skipped: `request body media types ${types.join(', ')} are not supported` };
    const argument = 'body' in properties ? 'requestBody' : 'body';
    const converted = convertSchema(bodySchema(mediaType, obj(obj(rb.content)[mediaType]).schema), spec.dialect, {
      pointer: `${pointer}/requestBody`,
      direction: 'request'
    });
    issues.push(...converted.issues);
    properties[argument] = converted.schema;
    if (rb.required === true) required.push(argument);
    const files = /^multipart\//i.test(mediaType) ? binaryFields(converted.schema) : [];
    if (files.length > 0) properties[argument] = describeFileFields(converted.schema, files);
    body = { argument, mediaType, ...(files.length > 0 ? { files } : {}) };
  }
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) return { skipped: `${errors[0]!.message} (${errors[0]!.pointer})` };
  const probe = objectRoot(properties, required);
  const { defs, missing, unsupported } = collectDefs(probe, components);
  if (missing.length > 0) return { skipped: `dangling $ref to ${missing.join(', ')}` };
  if (unsupported.length > 0) return { skipped: `unsupported $ref ${unsupported.join(', ')}` };
  // Every argument is a parameter or the body: anything else the model sends is a mistake, refused (issue 11).
  const full = objectRoot(properties, required, { additionalProperties: false, ...(Object.keys(defs).length > 0 ? { defs } : {}) });
  const described = shaping.descriptions === 'full' ? full : compactDescriptions(full, shaping.descriptions === 'none' ? 0 : PARAMETER_CAP);
  const inputSchema = objectSubschemas(shaping.schemas === 'inline' ? inlineSchema(described) : described) as Obj;
  const security = ((op.security ?? doc.security ?? []) as Obj[]).map((req) => Object.keys(req));
  const m = method.toUpperCase();
  const annotations = {
    ...(m === 'GET' || m === 'HEAD' ? { readOnlyHint: true } : {}),
    ...(m === 'DELETE' ? { destructiveHint: true } : {}),
    ...(m === 'PUT' || m === 'DELETE' ? { idempotentHint: true } : {})
    // openWorldHint is left at its default, true: every operation reaches an outside system.
  };
  const description = describe(op, shaping.descriptions) || `${m} ${path}`;
  // Compact tools fold the summary into the description instead of repeating it as a title.
  const title =
    typeof op.summary === 'string' && op.summary.trim() !== '' && shaping.descriptions === 'full'
      ? { title: op.summary.trim().slice(0, 120) }
      : {};
  const descriptor: Obj = { description, inputSchema, ...(Object.keys(annotations).length > 0 ? { annotations } : {}), ...title };
  // Servers declared on the operation or its path win over the document's (and over the source's baseUrl).
  const servers = Array.isArray(op.servers) ? op.servers : Array.isArray(item.servers) ? item.servers : undefined;
  const server = servers && servers.length > 0 ? { server: serverUrl(obj(servers[0]), spec.serverVariables) } : {};
  return {
    descriptor,
    inputSchema,
    exec: { source: spec.source, operationId, method: m, path, params: ir, ...(body ? { body } : {}), security, ...server }
  };
}

/** The tool description: summary and description in full (capped), or the summary and the description's first paragraph. */
function describe(op: Obj, mode: ToolShaping['descriptions']): string {
  if (mode === 'full') return toolDescription(op.summary, op.description);
  const summary = typeof op.summary === 'string' ? compactText(op.summary, TOOL_CAP) : '';
  const more = mode === 'compact' && typeof op.description === 'string' ? compactText(op.description, TOOL_CAP) : '';
  if (more === '' || more.startsWith(summary.replace(/\.$/, ''))) return more || summary;
  return summary === '' ? more : compactText(`${/[.!?]$/.test(summary) ? summary : `${summary}.`} ${more}`, TOOL_CAP);
}

/** Preference order when an operation accepts several body media types: structured first, raw last. */
const bodyPreference: readonly RegExp[] = [
  /^application\/json$/,
  /^application\/[\w.-]+\+json$/,
  /^application\/x-www-form-urlencoded$/,
  /^multipart\/form-data$/,
  /^text\/plain$/,
  /^text\/[\w.+-]+$/,
  /^application\/octet-stream$/
];

function preferredMediaType(types: readonly string[]): string | undefined {
  for (const re of bodyPreference) {
    const found = types.find((t) => re.test(t.toLowerCase()));
    if (found) return found;
  }
  return undefined;
}

/** The body argument's schema: JSON and forms keep the document's schema; text and bytes are strings. */
function bodySchema(mediaType: string, schema: unknown): unknown {
  if (/^text\//i.test(mediaType)) return { type: 'string', description: `The request body (${mediaType}).` };
  if (/octet-stream/i.test(mediaType))
    return { type: 'string', contentEncoding: 'base64', description: 'The request body, base64-encoded.' };
  return schema ?? {};
}

/** Multipart parts that carry bytes: the model sends them base64-encoded. */
function binaryFields(schema: unknown): string[] {
  const props = obj(obj(schema).properties);
  return Object.entries(props)
    .filter(([, s]) => typeof obj(s).contentMediaType === 'string' || obj(s).contentEncoding === 'base64')
    .map(([name]) => name);
}

const FILE_NOTE = 'The file: base64-encoded bytes, or the URI of a resource this server serves.';

/** File fields say both forms they accept (the schema itself only says string). */
function describeFileFields(schema: unknown, files: readonly string[]): JsonSchema {
  const s = obj(schema);
  const props = obj(s.properties);
  const described = Object.fromEntries(
    Object.entries(props).map(([k, v]) => {
      if (!files.includes(k)) return [k, v];
      const text = typeof obj(v).description === 'string' ? `${FILE_NOTE} ${String(obj(v).description)}` : FILE_NOTE;
      return [k, { ...obj(v), description: text }];
    })
  );
  return { ...s, properties: described };
}

/** A server URL with its variables: the manifest's values first, then the document's defaults. */
export function serverUrl(server: Obj, values: Readonly<Record<string, string>> = {}): string {
  let url = typeof server.url === 'string' ? server.url : '';
  for (const [k, v] of Object.entries(obj(server.variables))) url = url.replaceAll(`{${k}}`, values[k] ?? String(obj(v).default ?? ''));
  return url;
}
