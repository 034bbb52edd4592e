import type { ToolIR } from '../artifact/ir.js';
import type { CompiledValidator } from '../artifact/ir.js';
import { acceptedNote, MAX_NAMED, undeclaredLines, undeclaredOf, type DeclaredArguments } from './undeclared.js';

// Tool arguments as clients send them (structured values may come as JSON text) and how a failed check reads.
// Shared by the core and by kinds that call tools of their own (dynamic OpenAPI sources).

type SchemaNode = { type?: unknown; $ref?: unknown };

/** Object and array arguments, which some clients send as JSON text. */
export function structuredArguments(ir: Pick<ToolIR, 'descriptor'>): string[] {
  const input = ir.descriptor.inputSchema as { properties?: Record<string, SchemaNode>; $defs?: Record<string, SchemaNode> };
  const target = (s: SchemaNode): SchemaNode =>
    typeof s.$ref === 'string' && s.$ref.startsWith('#/$defs/') ? (input.$defs?.[s.$ref.slice(8)] ?? s) : s;
  const structured = (t: unknown) =>
    t === 'object' || t === 'array' || (Array.isArray(t) && t.some((x) => x === 'object' || x === 'array'));
  return Object.entries(input.properties ?? {})
    .filter(([, s]) => s && typeof s === 'object' && structured(target(s).type))
    .map(([name]) => name);
}

/**
 * Why the arguments cannot be used, or undefined when they pass. Undeclared ones are found first (one Set
 * lookup each); a typo or two is reported together with the schema's other complaints, a flood of them alone.
 */
export function invalidArguments(
  tool: string,
  args: Record<string, unknown>,
  validate: CompiledValidator,
  declared?: DeclaredArguments
): string | undefined {
  const undeclared = declared ? undeclaredOf(args, declared) : [];
  if (undeclared.length > MAX_NAMED) return describeErrors(tool, [], declared, undeclared);
  if (validate(args) && undeclared.length === 0) return undefined;
  return describeErrors(tool, validate.errors ?? [], declared, undeclared);
}

/**
 * A message the model can act on: every failing argument, with what was expected. With `declared`, unknown
 * arguments (those `undeclared` names, and any the schema itself refuses) come with the names the tool accepts.
 */
export function describeErrors(
  tool: string,
  errors: NonNullable<CompiledValidator['errors']>,
  declared?: DeclaredArguments,
  undeclared: readonly string[] = []
): string {
  const unknown = new Set(undeclared);
  const lines = errors.flatMap((e) => {
    const where = e.instancePath === '' ? 'arguments' : `argument ${e.instancePath.slice(1).replace(/\//g, '.')}`;
    const extra = e.params?.additionalProperty ?? e.params?.unevaluatedProperty;
    if (extra !== undefined && e.instancePath === '' && declared) {
      unknown.add(String(extra));
      return [];
    }
    if (extra !== undefined)
      return [e.instancePath === '' ? `- unknown argument "${String(extra)}"` : `- ${where} has unknown property "${String(extra)}"`];
    if (e.params && 'missingProperty' in e.params) return [`- missing required argument "${String(e.params.missingProperty)}"`];
    if (e.params && 'allowedValues' in e.params)
      return [`- ${where} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`];
    return [`- ${where} ${e.message ?? 'is invalid'}`];
  });
  const head = declared && unknown.size > 0 ? undeclaredLines([...unknown], declared) : [];
  const note = head.length > 0 ? `\n${acceptedNote(declared!)}` : '';
  return (
    `Invalid arguments for tool ` +
    `${tool}:\n${[...new Set([...head, ...lines])].join('\n')}${note}\nFix the arguments and call ` +
    `the tool again.`
  );
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
