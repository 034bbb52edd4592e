import type { OpenApiSourceIR as SourceIR, OperationEntryIR, SecuritySchemeIR, ToolIR } from '../../../runtime/artifact/ir.js';
import { metaTools } from './dynamic.js';
import { checkTool } from './tool-check.js';
import type { LowerContext } from '../../lower/context.js';
import type { Entry } from '../kind.js';
import { operationsOf, serverUrl, type GeneratedOperation, type ToolShaping } from './operations.js';
import { selected, type Selector } from './select.js';
import { toolName, uniqueNames } from './names.js';
import { unknownFormats } from '../../validate/user-schema.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Override entries (`operation: source.operationId`) by their operation reference. */
export function overridesOf(tools: unknown): Map<string, { entry: Entry; pointer: string }> {
  const out = new Map<string, { entry: Entry; pointer: string }>();
  if (Array.isArray(tools)) tools.forEach((e, i) => typeof obj(e).operation === 'string' && out.set(String(obj(e).operation), { entry: e as Entry, pointer: `/tools/${i}` }));
  return out;
}

/**
 * Every OpenAPI source → its run-time settings and one tool per selected, non-deprecated operation
 * (`x-mcp: false` leaves one out, `x-mcp: true` brings a deprecated or unselected one in). Operations that
 * cannot become a correct tool are skipped with a warning naming them.
 */
export function expandSources(value: Obj, ctx: LowerContext): { sources: Record<string, SourceIR>; tools: ToolIR[] } {
  const sources: Record<string, SourceIR> = {};
  const tools: ToolIR[] = [];
  const overrides = overridesOf(value.tools);
  const raw = obj(obj(ctx.manifest.raw).sources);
  for (const [name, settings] of Object.entries(obj(value.sources))) {
    const spec = ctx.specs.get(name);
    if (!spec) continue;
    const s = obj(settings);
    const rawSource = obj(raw[name]);
    const pointer = `/sources/${name}`;
    sources[name] = {
      kind: 'openapi',
      baseUrl: typeof rawSource.baseUrl === 'string' ? rawSource.baseUrl : serverUrl(obj(Array.isArray(spec.doc.servers) ? spec.doc.servers[0] : undefined), spec.serverVariables),
      auth: Object.fromEntries(Object.entries(obj(rawSource.auth)).map(([k, v]) => [k, typeof v === 'string' ? v : (v as SourceIR['auth'][string])])),
      schemes: schemesOf(spec.doc),
      timeoutMs: typeof s.timeoutMs === 'number' ? s.timeoutMs : 30_000,
      maxResponseBytes: typeof s.maxResponseBytes === 'number' ? s.maxResponseBytes : 1_048_576,
      ...(Array.isArray(s.forwardHeaders) && s.forwardHeaders.length > 0 ? { forwardHeaders: [...new Set(s.forwardHeaders.map((h) => String(h).toLowerCase()))] } : {})
    };
    const effective = typeof s.baseUrl === 'string' ? s.baseUrl : sources[name]!.baseUrl;
    if (!/^https?:\/\//.test(effective)) {
      ctx.warn('MCPGEN_OPENAPI_OPERATION', `source "${name}" has no absolute server URL (${JSON.stringify(effective)}): set baseUrl, or every call fails`, `${pointer}/openapi`);
    }
    const picked: { op: GeneratedOperation; override?: { entry: Entry; pointer: string } }[] = [];
    const formats = new Map<string, string[]>();
    const bodyMediaTypes = new Map([...overrides].filter(([ref, o]) => ref.startsWith(`${name}.`) && typeof o.entry.bodyMediaType === 'string').map(([ref, o]) => [ref.slice(name.length + 1), String(o.entry.bodyMediaType)] as const));
    for (const op of operationsOf(spec, { ...shapingOf(s), bodyMediaTypes })) {
      const override = overrides.get(`${name}.${op.operationId}`);
      const wanted = op.xMcp === false ? false : override !== undefined || op.xMcp === true || (!op.deprecated && selected(op, s.include as Selector, s.exclude as Selector));
      if (!wanted) continue;
      if ('skipped' in op.tool) {
        const at = spec.place?.(op.pointer);
        ctx.warn('MCPGEN_OPENAPI_OPERATION', `operation ${op.operationId} (${op.method.toUpperCase()} ${op.path}${at ? `, ${at}` : ''}) skipped: ${op.tool.skipped}`, `${pointer}/openapi`);
        continue;
      }
      picked.push({ op, ...(override ? { override } : {}) });
    }
    const dynamic = s.mode === 'dynamic';
    const operations: OperationEntryIR[] = [];
    const names = uniqueNames(picked.map(({ op, override }) => override?.entry.name !== undefined ? String(override.entry.name) : toolName(typeof obj(op.xMcp).name === 'string' ? String(obj(op.xMcp).name) : op.operationId, op.method, op.path)));
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
        ctx.warn('MCPGEN_OPENAPI_OPERATION', `operation ${op.operationId} skipped: its input schema does not compile (${validator.error})`, `${pointer}/openapi`);
        return;
      }
      for (const { format } of [...unknownFormats(op.tool.inputSchema), ...unknownFormats(descriptor.outputSchema)]) formats.set(format, [...new Set([...(formats.get(format) ?? []), op.operationId])]);
      const invalid = checkTool(descriptor);
      if (invalid !== undefined) {
        ctx.warn('MCPGEN_OPENAPI_OPERATION', `operation ${op.operationId} skipped: it would not be a valid MCP Tool (${invalid})`, `${pointer}/openapi`);
        return;
      }
      const tool = { name: names[i]!, descriptor, validator: validator.name, ...(outputValidator ? { outputValidator } : {}), refuseUndeclared: true as const };
      if (dynamic) operations.push({ ...tool, exec: op.tool.exec, method: op.method.toUpperCase(), path: op.path, tags: op.tags });
      else tools.push({ ...tool, exec: { kind: 'openapi', ...op.tool.exec }, at: ctx.sourceRef(at) });
    });
    // Warned once per format and source: an operation with an unchecked format still works.
    for (const [format, ops] of formats) {
      ctx.warn('MCPGEN_SCHEMA_FORMAT', `source "${name}" uses format "${format}", which mcp-gen does not know: its values are not checked (${ops.length} operation(s): ${ops.slice(0, 3).join(', ')}${ops.length > 3 ? ', …' : ''})`, `${pointer}/openapi`);
    }
    if (dynamic) {
      sources[name] = { ...sources[name]!, operations };
      tools.push(...metaTools(name, spec.doc, operations, ctx, ctx.sourceRef(`${pointer}/mode`)));
    }
    for (const [ref, o] of overrides) {
      if (ref.startsWith(`${name}.`) && !picked.some((p) => p.override === o)) {
        ctx.error('MCPGEN_UNKNOWN_OPERATION', `source "${name}" has no usable operation "${ref.slice(name.length + 1)}"`, `${o.pointer}/operation`);
      }
    }
  }
  for (const [ref, o] of overrides) {
    if (!ctx.specs.has(ref.split('.')[0]!) && !(ref.split('.')[0]! in obj(value.sources))) {
      ctx.error('MCPGEN_UNKNOWN_OPERATION', `no source named "${ref.split('.')[0]}" (declare it under sources:)`, `${o.pointer}/operation`);
    }
  }
  return { sources, tools };
}

/** The source's `descriptions`, `outputSchema` and `schemas` settings (the schema has checked their values). */
export function shapingOf(s: Obj): ToolShaping {
  const output = s.outputSchema === false ? 'none' : s.outputSchema === 'full' ? 'full' : 'shape';
  return { descriptions: (s.descriptions as ToolShaping['descriptions'] | undefined) ?? 'compact', outputSchema: output, schemas: s.schemas === 'inline' ? 'inline' : 'refs' };
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
      ...(typeof obj(obj(o.flows).clientCredentials).tokenUrl === 'string' ? { tokenUrl: String(obj(obj(o.flows).clientCredentials).tokenUrl) } : {})
    };
  }
  return out;
}
