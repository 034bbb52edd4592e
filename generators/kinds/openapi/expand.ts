import type { ToolIR } from '../../../runtime/artifact/ir.js';
import type {
  ForwardedHeaderIR,
  OpenApiSourceIR as SourceIR,
  OperationEntryIR,
  SecuritySchemeIR
} from '../../../runtime/kinds/openapi/ir.js';
import { metaTools } from './dynamic.js';
import { checkTool } from './tool-check.js';
import type { LowerContext } from '../../lower/context.js';
import type { Entry, SourceLowered } from '../kind.js';
import { operationsOf, serverUrl, type GeneratedOperation, type ToolShaping } from './operations.js';
import { selected, type Selector } from './select.js';
import { toolName, uniqueNames } from './names.js';
import { unknownFormats } from '../../validate/user-schema.js';
import { scopesOf, toolAccess } from '../../lower/access.js';
import type { LoadedSpec } from './load.js';
import { defaultOf } from '../../validate/defaults.js';
import { openapiSchema } from './manifest-schema.js';
import { obj, type Obj } from '../../plain.js';

const sourceSchema = openapiSchema.defs!.openapiSource!;

/** Override entries (`operation: source.operationId`) by their operation reference. */
function overridesOf(tools: unknown): Map<string, { entry: Entry; pointer: string }> {
  const out = new Map<string, { entry: Entry; pointer: string }>();
  if (Array.isArray(tools))
    tools.forEach(
      (e, i) => typeof obj(e).operation === 'string' && out.set(String(obj(e).operation), { entry: e as Entry, pointer: `/tools/${i}` })
    );
  return out;
}

/**
 * One OpenAPI source → its run-time settings and one tool per selected, non-deprecated operation
 * (`x-mcp: false` leaves one out, `x-mcp: true` brings a deprecated or unselected one in). Operations that
 * cannot become a correct tool are skipped with a warning naming them. `operation:` entries refine theirs.
 */
export function expandSource(name: string, s: Obj, spec: LoadedSpec, ctx: LowerContext): SourceLowered {
  const tools: ToolIR[] = [];
  const overrides = overridesOf(obj(ctx.manifest.value).tools);
  const rawSource = obj(obj(obj(ctx.manifest.raw).sources)[name]);
  const pointer = `/sources/${name}`;
  const source: SourceIR = {
    kind: 'openapi',
    baseUrl:
      typeof rawSource.baseUrl === 'string'
        ? rawSource.baseUrl
        : serverUrl(obj(Array.isArray(spec.doc.servers) ? spec.doc.servers[0] : undefined), spec.serverVariables),
    auth: Object.fromEntries(
      Object.entries(obj(rawSource.auth)).map(([k, v]) => [k, typeof v === 'string' ? v : (v as SourceIR['auth'][string])])
    ),
    schemes: schemesOf(spec.doc),
    timeoutMs: typeof s.timeoutMs === 'number' ? s.timeoutMs : defaultOf<number>(sourceSchema, 'timeoutMs'),
    maxResponseBytes: typeof s.maxResponseBytes === 'number' ? s.maxResponseBytes : defaultOf<number>(sourceSchema, 'maxResponseBytes'),
    ...(Array.isArray(s.forwardHeaders) && s.forwardHeaders.length > 0 ? { forwardHeaders: forwardedHeaders(s.forwardHeaders) } : {})
  };
  // A token exchange trades the caller's OAuth access token: without auth.oauth no caller ever has one.
  for (const [scheme, value] of Object.entries(source.auth)) {
    if (typeof value === 'object' && 'tokenExchange' in value && obj(obj(ctx.manifest.value).auth).oauth === undefined)
      ctx.error(
        'MCPGEN_AUTH',
        `auth.${scheme} of source "${name}" exchanges the caller's OAuth access token, but the server has no auth.oauth: no caller would have one`,
        `${pointer}/auth/${scheme}/tokenExchange`
      );
  }
  const effective = typeof s.baseUrl === 'string' ? s.baseUrl : source.baseUrl;
  if (!/^https?:\/\//.test(effective)) {
    ctx.warn(
      'MCPGEN_OPENAPI_OPERATION',
      `source "${name}" has no absolute server URL (${JSON.stringify(effective)}): set baseUrl, or every call fails`,
      `${pointer}/openapi`
    );
  }
  const picked = pick(name, s, spec, overrides, ctx);
  const mode = (s.mode ?? defaultOf<string>(sourceSchema, 'mode')) as 'auto' | 'tools' | 'dynamic';
  // auto keeps both: generators/lower/fit.ts serves the tools, or the catalogue behind the three meta-tools.
  const catalogued = mode !== 'tools';
  const listed = mode !== 'dynamic';
  const operations: OperationEntryIR[] = [];
  const tags = new Map<string, readonly string[]>();
  const formats = new Map<string, string[]>();
  const names = uniqueNames(
    picked.map(({ op, override }) =>
      override?.entry.name !== undefined
        ? String(override.entry.name)
        : toolName(typeof obj(op.xMcp).name === 'string' ? String(obj(op.xMcp).name) : op.operationId, op.method, op.path)
    )
  );
  picked.forEach(({ op, override }, i) => {
    if ('skipped' in op.tool) return;
    const at = override?.pointer ?? pointer;
    const e = override?.entry ?? {};
    const xMcp = obj(op.xMcp);
    const descriptor: Obj = { name: names[i], ...op.tool.descriptor };
    for (const key of ['title', 'description'] as const) {
      const v = e[key] ?? xMcp[key];
      if (typeof v === 'string') descriptor[key] = v;
    }
    if (e.annotations) descriptor.annotations = { ...obj(descriptor.annotations), ...obj(e.annotations) };
    // outputSchema from the 2xx response, unless the source turns it off (specs often under-describe responses).
    let outputValidator: string | undefined;
    if (op.tool.outputSchema) {
      const out = ctx.validators.add(op.tool.outputSchema);
      if (!('error' in out)) {
        descriptor.outputSchema = op.tool.outputSchema;
        outputValidator = out.name;
      }
    }
    const validator = ctx.validators.add(op.tool.inputSchema);
    if ('error' in validator) {
      ctx.warn(
        'MCPGEN_OPENAPI_OPERATION',
        `operation ${op.operationId} skipped: its input schema does not compile (${validator.error})`,
        `${pointer}/openapi`
      );
      return;
    }
    for (const { format } of [...unknownFormats(op.tool.inputSchema), ...unknownFormats(descriptor.outputSchema)])
      formats.set(format, [...new Set([...(formats.get(format) ?? []), op.operationId])]);
    const invalid = checkTool(descriptor);
    if (invalid !== undefined) {
      ctx.warn(
        'MCPGEN_OPENAPI_OPERATION',
        `operation ${op.operationId} skipped: it would not be a valid MCP Tool (${invalid})`,
        `${pointer}/openapi`
      );
      return;
    }
    const tool = {
      name: names[i]!,
      descriptor,
      validator: validator.name,
      ...(outputValidator ? { outputValidator } : {}),
      refuseUndeclared: true as const
    };
    tags.set(names[i]!, op.tags);
    if (catalogued) operations.push({ ...tool, exec: op.tool.exec, method: op.method.toUpperCase(), path: op.path, tags: op.tags });
    if (!listed) return;
    const { inputSchema, ...access } = toolAccess(
      obj(descriptor.inputSchema),
      override?.entry,
      { name: names[i]!, pointer: at, source: name },
      ctx
    );
    tools.push({
      ...tool,
      descriptor: { ...descriptor, inputSchema },
      exec: { kind: 'openapi', ...op.tool.exec },
      at: ctx.sourceRef(at),
      ...access
    });
  });
  // Warned once per format and source: an operation with an unchecked format still works.
  for (const [format, ops] of formats) {
    ctx.warn(
      'MCPGEN_SCHEMA_FORMAT',
      `source "${name}" uses format "${format}", which mcp-gen does not know: its values are not ` +
        `checked (${ops.length} operation(s): ` +
        `${ops.slice(0, 3).join(', ')}${ops.length > 3 ? ', …' : ''})`,
      `${pointer}/openapi`
    );
  }
  const compact = catalogued ? compactForm(name, s, spec, operations, source, ctx, overrides) : undefined;
  for (const [ref, o] of overrides) {
    if (ref.startsWith(`${name}.`) && !picked.some((p) => p.override === o)) {
      ctx.error(
        'MCPGEN_UNKNOWN_OPERATION',
        `source "${name}" has no usable operation "${ref.slice(name.length + 1)}"`,
        `${o.pointer}/operation`
      );
    }
  }
  if (mode === 'dynamic' && compact && 'tools' in compact) return { source: compact.source, tools: [...compact.tools] };
  return { source, tools, tags, ...(mode === 'auto' && compact ? { compact } : {}) };
}

/**
 * The source served as three meta-tools over its catalogue of operations (`mode: dynamic`, or `auto` over its
 * budget). Access rules set per operation (scopes:, fromAuth:) only a tool per operation enforces: in dynamic mode
 * they are an error, in auto mode they keep the source's tools.
 */
function compactForm(
  name: string,
  s: Obj,
  spec: LoadedSpec,
  operations: OperationEntryIR[],
  source: SourceIR,
  ctx: LowerContext,
  overrides: ReadonlyMap<string, Override>
): SourceLowered['compact'] {
  const pointer = `/sources/${name}`;
  const perOperation = [...overrides]
    .filter(([ref, o]) => ref.startsWith(`${name}.`) && accessKeys(o.entry).length > 0)
    .map(([, o]) => ({ pointer: o.pointer, keys: accessKeys(o.entry) }));
  const fromAuth = Object.keys(obj(s.fromAuth)).length > 0;
  const call = `${name}_call_operation`;
  if (s.mode === 'dynamic') {
    if (fromAuth)
      ctx.error(
        'MCPGEN_AUTH',
        `fromAuth: is not supported on a mode: dynamic source (its operations are called through ${call})`,
        `${pointer}/fromAuth`
      );
    for (const o of perOperation)
      ctx.error(
        'MCPGEN_AUTH',
        `${o.keys.map((k) => `${k}:`).join(' and ')} on one operation cannot be enforced on a mode: dynamic source (its ` +
          `operations are called through ${call}): set scopes: on the source, or mode: tools`,
        `${o.pointer}/${o.keys[0]}`
      );
  } else if (fromAuth || perOperation.length > 0) {
    const first = perOperation[0];
    const where = first ? `${first.keys.map((k) => `${k}:`).join(' and ')} on an operation (${first.pointer})` : 'fromAuth: on the source';
    return { unavailable: `${where} needs one tool per operation to be enforced` };
  }
  const at = ctx.sourceRef(s.mode === undefined ? pointer : `${pointer}/mode`);
  const scopes = scopesOf(undefined, name, ctx);
  return {
    source: { ...source, operations },
    tools: metaTools(name, spec.doc, operations, ctx, at).map((t) => ({ ...t, ...scopes })),
    reach: `every operation stays callable through ${call}`,
    pointer: s.mode === undefined ? pointer : `${pointer}/mode`,
    subset: (only, prefix) => ({
      tools: metaTools(name, spec.doc, operations, ctx, at, { prefix, only }).map((t) => ({ ...t, ...scopes })),
      reach: `each of its ${only.length} operations stays callable through ${prefix}${call}`
    })
  };
}

/** Per-operation access settings of an override entry. */
function accessKeys(entry: Entry): string[] {
  const inputFromAuth = Object.values(obj(obj(entry.input).properties)).some((p) => obj(p).fromAuth !== undefined);
  return [...(entry.scopes !== undefined ? ['scopes'] : []), ...(entry.fromAuth !== undefined || inputFromAuth ? ['fromAuth'] : [])];
}

type Override = { entry: Entry; pointer: string };

/** The source's operations that become tools: selected, or named by an override or `x-mcp: true`. */
function pick(
  name: string,
  s: Obj,
  spec: LoadedSpec,
  overrides: ReadonlyMap<string, Override>,
  ctx: LowerContext
): { op: GeneratedOperation; override?: Override }[] {
  const picked: { op: GeneratedOperation; override?: Override }[] = [];
  const pointer = `/sources/${name}`;
  const bodyMediaTypes = new Map(
    [...overrides]
      .filter(([ref, o]) => ref.startsWith(`${name}.`) && typeof o.entry.bodyMediaType === 'string')
      .map(([ref, o]) => [ref.slice(name.length + 1), String(o.entry.bodyMediaType)] as const)
  );
  for (const op of operationsOf(spec, { ...shapingOf(s), bodyMediaTypes })) {
    const override = overrides.get(`${name}.${op.operationId}`);
    const wanted =
      op.xMcp === false
        ? false
        : override !== undefined || op.xMcp === true || (!op.deprecated && selected(op, s.include as Selector, s.exclude as Selector));
    if (!wanted) continue;
    if ('skipped' in op.tool) {
      const at = spec.place?.(op.pointer);
      ctx.warn(
        'MCPGEN_OPENAPI_OPERATION',
        `operation ${op.operationId} (${op.method.toUpperCase()} ${op.path}${at ? `, ${at}` : ''}) skipped: ${op.tool.skipped}`,
        `${pointer}/openapi`
      );
      continue;
    }
    picked.push({ op, ...(override ? { override } : {}) });
  }
  return picked;
}

/** The source's `descriptions`, `outputSchema` and `schemas` settings (the schema has checked their values). */
function shapingOf(s: Obj): ToolShaping {
  const output = s.outputSchema === false ? 'none' : s.outputSchema === 'full' ? 'full' : 'shape';
  return {
    descriptions: (s.descriptions as ToolShaping['descriptions'] | undefined) ?? 'compact',
    outputSchema: output,
    schemas: s.schemas === 'inline' ? 'inline' : 'refs'
  };
}

function schemesOf(doc: Obj): Record<string, SecuritySchemeIR> {
  const out: Record<string, SecuritySchemeIR> = {};
  for (const [name, s] of Object.entries(obj(obj(doc.components).securitySchemes))) {
    const o = obj(s);
    out[name] = {
      type: String(o.type) as SecuritySchemeIR['type'],
      ...(typeof o.in === 'string' ? { in: o.in as SecuritySchemeIR['in'] } : {}),
      ...(typeof o.name === 'string' ? { name: o.name } : {}),
      ...(typeof o.scheme === 'string' ? { scheme: o.scheme.toLowerCase() } : {}),
      ...(typeof obj(obj(o.flows).clientCredentials).tokenUrl === 'string'
        ? { tokenUrl: String(obj(obj(o.flows).clientCredentials).tokenUrl) }
        : {})
    };
  }
  return out;
}

/** `forwardHeaders:` with names in lower case (HTTP header names are case-insensitive), each once. */
function forwardedHeaders(list: readonly unknown[]): ForwardedHeaderIR[] {
  const seen = new Set<string>();
  const out: ForwardedHeaderIR[] = [];
  for (const h of list) {
    const entry =
      typeof h === 'string' ? h.toLowerCase() : { from: String(obj(h).from).toLowerCase(), to: String(obj(h).to).toLowerCase() };
    const key = JSON.stringify(entry);
    if (!seen.has(key)) out.push(entry);
    seen.add(key);
  }
  return out;
}
