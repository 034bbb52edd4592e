import type { ToolIR } from '../artifact/ir.js';
import type { CompiledValidator } from '../artifact/load.js';

// Tool arguments as clients send them (structured values may come as JSON text) and how a failed check reads.
// Shared by the core and by kinds that call tools of their own (dynamic OpenAPI sources).

type SchemaNode = { type?: unknown; $ref?: unknown };

/** Object and array arguments, which some clients send as JSON text. */
export function structuredArguments(ir: Pick<ToolIR, 'descriptor'>): string[] {
  const input = ir.descriptor.inputSchema as { properties?: Record<string, SchemaNode>; $defs?: Record<string, SchemaNode> };
  const target = (s: SchemaNode): SchemaNode =>
    typeof s.$ref === 'string' && s.$ref.startsWith('#/$defs/') ? (input.$defs?.[s.$ref.slice(8)] ?? s) : s;
  const structured = (t: unknown) => t === 'object' || t === 'array' || (Array.isArray(t) && t.some((x) => x === 'object' || x === 'array'));
  return Object.entries(input.properties ?? {})
    .filter(([, s]) => s && typeof s === 'object' && structured(target(s).type))
    .map(([name]) => name);
}

/** A message the model can act on: every failing argument, with what was expected. */
export function describeErrors(tool: string, validate: CompiledValidator): string {
  const lines = (validate.errors ?? []).map((e) => {
    const where = e.instancePath === '' ? 'arguments' : `argument ${e.instancePath.slice(1).replace(/\//g, '.')}`;
    if (e.params && 'additionalProperty' in e.params) return `- unknown argument "${String(e.params.additionalProperty)}"`;
    if (e.params && 'missingProperty' in e.params) return `- missing required argument "${String(e.params.missingProperty)}"`;
    if (e.params && 'allowedValues' in e.params) return `- ${where} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    return `- ${where} ${e.message ?? 'is invalid'}`;
  });
  return `Invalid arguments for tool ${tool}:\n${[...new Set(lines)].join('\n')}\nFix the arguments and call the tool again.`;
}

/** `"{\"a\":1}"` for an object argument: some clients stringify structured values; parse them if they are JSON. */
export function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
