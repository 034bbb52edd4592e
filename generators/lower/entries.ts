import { backendKeys, completionFor, kindFor, loweringFor, ownKeys } from '../kinds/registry.js';
import type { CompletionExec, Entry } from '../kinds/kind.js';
import type {
  PromptIR,
  PromptMessageIR,
  ResourceIR,
  ResourceTemplateIR,
  ToolIR,
  ToolExec,
  ResourceExec,
  ResourceTemplateExec
} from '../../runtime/artifact/ir.js';
import { parseUriTemplate } from '../../runtime/uri-template.js';
import { lowerContentItem } from './content.js';
import type { LowerContext } from './context.js';
import { closedInput } from './arguments.js';
import { scopesOf, toolAccess } from './access.js';
import { checkSchemaAt } from './user-schemas.js';
import { withoutUnquotedText } from '../validate/user-schema.js';

const pick = (entry: Entry, keys: readonly string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (entry[k] !== undefined) out[k] = entry[k];
  return out;
};

function lowerWith<E>(
  type: 'tool' | 'resource' | 'resourceTemplate',
  entry: Entry,
  name: string,
  pointer: string,
  declared: readonly string[],
  ctx: LowerContext
): E | undefined {
  const kind = kindFor(type, entry);
  const lowering = loweringFor(type, entry);
  if (!kind || !lowering) {
    const key = backendKeys().find((k) => k in entry);
    const what =
      type === 'resource' ? 'a static resource (uri)' : type === 'resourceTemplate' ? 'a resource template (uriTemplate)' : 'a tool';
    if (key) ctx.error('MCPGEN_TEMPLATE_VARIABLES', `a \`${key}:\` backend cannot serve ${what}`, `${pointer}/${key}`);
    return undefined;
  }
  const mine = new Set((lowering.own ?? []).flatMap((o) => o.keys));
  const foreign = ownKeys().flatMap((o) => o.keys.filter((k) => k in entry && !mine.has(k)).map((key) => ({ key, ...o })))[0];
  if (foreign) {
    const hint = foreign.hint ? { hint: foreign.hint } : {};
    ctx.error('MCPGEN_INVALID_VALUE', `\`${foreign.key}:\` is for ${foreign.for}`, `${pointer}/${foreign.key}`, { key: true, ...hint });
    return undefined;
  }
  const exec = lowering.lower(entry, { name, pointer, declared }, ctx);
  return exec === undefined ? undefined : ({ kind, ...exec } as E);
}

export function lowerTool(entry: Entry, pointer: string, ctx: LowerContext): ToolIR | undefined {
  const name = String(entry.name);
  const input =
    entry.input === undefined
      ? { properties: {}, additionalProperties: false }
      : withoutUnquotedText(entry.input as Record<string, unknown>);
  const checked = [
    checkSchemaAt(ctx, entry.input, `${pointer}/input`, `the input schema of tool "${name}"`),
    checkSchemaAt(ctx, entry.output, `${pointer}/output`, `the output schema of tool "${name}"`)
  ];
  const given: Record<string, unknown> = { type: 'object', ...input };
  const properties = Object.keys((given.properties as object | undefined) ?? {});
  const kindInput = loweringFor('tool', entry)?.input;
  if (kindInput) given.properties = { ...((given.properties as object | undefined) ?? {}), ...kindInput };
  const { schema: inputSchema, refuseUndeclared } = closedInput(given);
  const validator = ctx.validators.add(inputSchema);
  if ('error' in validator) schemaError(ctx, `input schema of tool "${name}"`, validator.error, `${pointer}/input`);
  let outputValidator: string | undefined;
  if (entry.output !== undefined) {
    const out = ctx.validators.add(withoutUnquotedText(entry.output as Record<string, unknown>));
    if ('error' in out) schemaError(ctx, `output schema of tool "${name}"`, out.error, `${pointer}/output`);
    else outputValidator = out.name;
    if (!loweringFor('tool', entry)?.structured) {
      ctx.error('MCPGEN_INVALID_SCHEMA', '`output:` describes structured results, which only a handler returns', `${pointer}/output`, {
        hint: 'Remove output:, or use a handler that returns an object matching it.'
      });
    }
  }
  const exec = lowerWith<ToolExec>('tool', entry, name, pointer, properties, ctx);
  if (!exec || 'error' in validator || checked.includes(false)) return undefined;
  const { inputSchema: publicInput, scopes, fromAuth } = toolAccess(inputSchema, entry, { name, pointer, ...sourceOf(exec) }, ctx);
  const outputSchema = entry.output ? { outputSchema: withoutUnquotedText(entry.output as Record<string, unknown>) } : {};
  const about = pick(entry, ['name', 'title', 'description']);
  const descriptor = { ...about, inputSchema: publicInput, ...outputSchema, ...pick(entry, ['annotations', 'icons']) };
  const confirm = typeof entry.confirm === 'string' ? { confirm: entry.confirm } : {};
  // Claim-filled arguments are not the caller's to send, as headers neither.
  const paramHeaders = headerParams(inputSchema, `${pointer}/input`, ctx).filter((h) => !fromAuth || !(h.argument in fromAuth));
  const access = { ...(scopes ? { scopes } : {}), ...(fromAuth ? { fromAuth } : {}) };
  return {
    name,
    descriptor,
    validator: validator.name,
    ...(outputValidator ? { outputValidator } : {}),
    exec,
    ...(entry.isError === true ? { isError: true } : {}),
    ...confirm,
    ...(paramHeaders.length > 0 ? { paramHeaders } : {}),
    ...(refuseUndeclared ? { refuseUndeclared: true as const } : {}),
    at: ctx.sourceRef(pointer),
    ...access
  };
}

/** The source an entry's backend reads from, whose access rules apply to it. */
function sourceOf(exec: object): { source?: string } {
  return 'source' in exec && typeof exec.source === 'string' ? { source: exec.source } : {};
}

export function lowerResource(entry: Entry, pointer: string, ctx: LowerContext): ResourceIR | undefined {
  const name = String(entry.name);
  const uri = String(entry.uri);
  const validUri = isAbsoluteUri(uri);
  if (!validUri) ctx.error('MCPGEN_INVALID_URI', `resource URI ${JSON.stringify(uri)} is not a valid absolute URI`, `${pointer}/uri`);
  if ('directory' in entry) {
    ctx.error('MCPGEN_TEMPLATE_VARIABLES', 'a `directory:` backend needs a uriTemplate, not a uri', `${pointer}/directory`);
    return undefined;
  }
  const exec = lowerWith<ResourceExec>('resource', entry, name, pointer, [], ctx);
  if (!exec || !validUri) return undefined;
  const byKind = () => loweringFor('resource', entry)?.mimeType?.(exec, ctx) ?? 'text/plain';
  const mimeType = typeof entry.mimeType === 'string' ? entry.mimeType : byKind();
  const descriptor = { uri, ...pick(entry, ['name', 'title', 'description']), mimeType, ...pick(entry, ['icons']) };
  return { uri, name, mimeType, descriptor, exec, at: ctx.sourceRef(pointer), ...scopesOf(entry, sourceOf(exec).source, ctx) };
}

export function lowerResourceTemplate(entry: Entry, pointer: string, ctx: LowerContext): ResourceTemplateIR | undefined {
  const name = String(entry.name);
  const uriTemplate = String(entry.uriTemplate);
  const parsed = parseUriTemplate(uriTemplate);
  if ('error' in parsed) {
    ctx.error('MCPGEN_INVALID_URI_TEMPLATE', `URI template ${JSON.stringify(uriTemplate)}: ${parsed.error}`, `${pointer}/uriTemplate`);
    if ('directory' in entry) ctx.existingPath(String(entry.directory), `${pointer}/directory`, 'directory');
    return undefined;
  }
  if (!isAbsoluteUri(uriTemplate.replace(/\{[^}]*\}/g, 'x'))) {
    ctx.error(
      'MCPGEN_INVALID_URI_TEMPLATE',
      `URI template ${JSON.stringify(uriTemplate)} does not expand to an absolute URI`,
      `${pointer}/uriTemplate`
    );
    return undefined;
  }
  if (parsed.variables.length === 0) {
    ctx.error(
      'MCPGEN_TEMPLATE_VARIABLES',
      'a uriTemplate without variables is a static resource: use uri instead',
      `${pointer}/uriTemplate`
    );
    return undefined;
  }
  const variables = parsed.variables.map((v) => v.name);
  const exec = lowerWith<ResourceTemplateExec>('resourceTemplate', entry, name, pointer, variables, ctx);
  if (!exec) return undefined;
  const mimeType = typeof entry.mimeType === 'string' ? entry.mimeType : undefined;
  const descriptor = { uriTemplate, ...pick(entry, ['name', 'title', 'description', 'mimeType', 'icons']) };
  const scopes = scopesOf(entry, sourceOf(exec).source, ctx);
  const { pattern, variables: vars } = parsed;
  const at = ctx.sourceRef(pointer);
  return { uriTemplate, name, ...(mimeType ? { mimeType } : {}), pattern, variables: vars, descriptor, exec, at, ...scopes };
}

export function lowerPrompt(entry: Entry, pointer: string, ctx: LowerContext): PromptIR | undefined {
  const name = String(entry.name);
  const args = ((entry.arguments as Record<string, unknown>[] | undefined) ?? []).map((a, i) => ({
    name: String(a.name),
    required: a.required === true,
    ...(Array.isArray(a.enum) ? { enum: a.enum.map(String) } : {}),
    ...completion(a, `${pointer}/arguments/${i}/complete`, ctx)
  }));
  const elicitSchemas = ((entry.elicit as Record<string, unknown>[] | undefined) ?? []).map((e, i) =>
    checkSchemaAt(ctx, { properties: e.properties ?? {} }, `${pointer}/elicit/${i}`, `the elicitation schema of prompt "${name}"`)
  );
  const elicit = ((entry.elicit as Record<string, unknown>[] | undefined) ?? []).map((e) => ({
    key: String(e.key),
    message: String(e.message),
    requestedSchema: { type: 'object', properties: e.properties ?? {}, ...(Array.isArray(e.required) ? { required: e.required } : {}) }
  }));
  const declared = [...args.map((a) => a.name), ...elicit.map((e) => e.key)];
  const messages: PromptMessageIR[] = [];
  let ok = true;
  (entry.messages as Record<string, unknown>[]).forEach((m, i) => {
    const role = m.role as 'user' | 'assistant';
    const at = `${pointer}/messages/${i}`;
    if (typeof m.text === 'string') {
      const template = ctx.template(m.text, `${at}/text`, declared, `prompt "${name}"`);
      if (template === undefined) ok = false;
      else messages.push({ role, template });
    } else {
      const item = m.content as Record<string, unknown>;
      const content = lowerContentItem(item, `${at}/content`, ctx);
      const templated = (key: 'uri' | 'text') =>
        typeof item[key] === 'string' && (item[key] as string).includes('{{')
          ? ctx.template(item[key] as string, `${at}/content/${key}`, declared, `prompt "${name}"`)
          : undefined;
      const uriTemplate = templated('uri');
      const textTemplate = templated('text');
      if (content === undefined) ok = false;
      else messages.push({ role, content, ...(uriTemplate ? { uriTemplate } : {}), ...(textTemplate ? { textTemplate } : {}) });
    }
  });
  if (!ok || elicitSchemas.includes(false)) return undefined;
  const descriptorArgs = ((entry.arguments as Record<string, unknown>[] | undefined) ?? []).map((a) =>
    pick(a, ['name', 'title', 'description', 'required'])
  );
  const descriptor = {
    ...pick(entry, ['name', 'title', 'description', 'icons']),
    ...(descriptorArgs.length > 0 ? { arguments: descriptorArgs } : {})
  };
  const scopes = scopesOf(entry, undefined, ctx);
  return { name, descriptor, arguments: args, ...(elicit.length > 0 ? { elicit } : {}), messages, at: ctx.sourceRef(pointer), ...scopes };
}

/** A prompt argument's `complete:`, lowered by the kind its keys select (nothing when absent or broken). */
function completion(argument: Record<string, unknown>, pointer: string, ctx: LowerContext): { complete?: CompletionExec } {
  const value = argument.complete;
  if (!value || typeof value !== 'object') return {};
  const lowering = completionFor(value as Entry);
  const complete = lowering?.lower(value as Entry, { name: String(argument.name), pointer, declared: ['prefix'] }, ctx);
  return complete ? { complete } : {};
}

const headerToken = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `x-mcp-header` (2026-07-28): only top-level string, integer or boolean arguments, unique valid header names. */
function headerParams(schema: Record<string, unknown>, pointer: string, ctx: LowerContext): { argument: string; header: string }[] {
  const out: { argument: string; header: string }[] = [];
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [argument, prop] of Object.entries(props)) {
    if (!prop || typeof prop !== 'object' || !('x-mcp-header' in prop)) continue;
    const at = `${pointer}/properties/${argument}/x-mcp-header`;
    const name = prop['x-mcp-header'];
    if (typeof name !== 'string' || name === '' || !headerToken.test(name)) {
      ctx.error(
        'MCPGEN_INVALID_SCHEMA',
        `x-mcp-header of "${argument}" must be a non-empty HTTP header token, got ${JSON.stringify(name)}`,
        at
      );
    } else if (!['string', 'integer', 'boolean'].includes(String(prop.type))) {
      ctx.error(
        'MCPGEN_INVALID_SCHEMA',
        `x-mcp-header is only for string, integer or boolean arguments; "${argument}" is ${JSON.stringify(prop.type ?? 'untyped')}`,
        at
      );
    } else if (out.some((o) => o.header === `mcp-param-${name.toLowerCase()}`)) {
      ctx.error('MCPGEN_INVALID_SCHEMA', `x-mcp-header "${name}" is used twice (header names are case-insensitive)`, at);
    } else out.push({ argument, header: `mcp-param-${name.toLowerCase()}` });
  }
  return out;
}

/** ajv reports "schema is invalid: data/properties/n/type must be …"; point at that keyword. */
function schemaError(ctx: LowerContext, what: string, error: string, pointer: string): void {
  const m = /data(\/[^ ,]*)? ([^,]*)/.exec(error);
  if (!m) return ctx.error('MCPGEN_INVALID_SCHEMA', `${what}: ${error}`, pointer);
  const inner = m[1] ?? '';
  ctx.error('MCPGEN_INVALID_SCHEMA', `${what}: ${inner.slice(1) || 'the schema'} ${m[2]}`, pointer + inner);
}

function isAbsoluteUri(uri: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) || /\s/.test(uri)) return false;
  try {
    new URL(uri);
    return true;
  } catch {
    return false;
  }
}
