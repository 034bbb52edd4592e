import type { OpenApiMetaExec, OperationEntryIR } from './ir.js';
import { renamedContext } from '../../core/tool-context.js';
import type { CompiledValidator } from '../../artifact/ir.js';
import { invalidArguments, parsedJson, structuredArguments } from '../../core/arguments.js';
import { declaredArguments, type DeclaredArguments } from '../../core/undeclared.js';
import { search, searchIndex, type SearchIndex } from './search.js';
import { textResult, type Services, type ToolExecutor, type ToolResult } from '../kind.js';

/** What each meta-tool needs of one operation, prepared on first use (a large catalog costs nothing at start-up). */
interface Prepared {
  readonly entry: OperationEntryIR;
  readonly validate: CompiledValidator;
  readonly jsonArguments: readonly string[];
  readonly declared?: DeclaredArguments;
  execute?: ToolExecutor;
}

const MAX_RESULTS = 50;

/** The catalogue's best matches for a query (an index built for this one call: tests and one-off use). */
export function searchOperations(entries: readonly OperationEntryIR[], query: string, limit: number): OperationEntryIR[] {
  return search(searchIndex(entries), query, limit);
}

/** One line per operation: what search results show (the schema comes from describe_operation). */
function summaryOf(entry: OperationEntryIR): Record<string, unknown> {
  const description = String(entry.descriptor.title ?? entry.descriptor.description ?? '')
    .split('\n')[0]!
    .slice(0, 200);
  return { operation: entry.name, method: entry.method, path: entry.path, description };
}

const json = (value: Record<string, unknown>): ToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(value) }],
  structuredContent: value
});

/**
 * The three tools of a `mode: dynamic` source. Calls go through the operation's own precompiled validator and
 * executor, so they behave exactly like the tool the operation would have been.
 */
export function dynamicTool(
  exec: OpenApiMetaExec,
  services: Services,
  operationTool: (entry: OperationEntryIR) => ToolExecutor | Promise<ToolExecutor>
): ToolExecutor {
  const source = services.sources[exec.source];
  if (source?.kind !== 'openapi' || !source.operations)
    throw new Error(`artifact has no dynamic OpenAPI source "${exec.source}": rebuild it`);
  // A toolset's trio reaches only the toolset's operations: the others are unknown to it, as at any other endpoint.
  const only = exec.operations && new Set(exec.operations);
  const entries = only ? source.operations.filter((e) => only.has(e.name)) : source.operations;
  const byName = new Map(entries.map((e) => [e.name, e] as const));
  const prepared = new Map<string, Prepared>();
  const prepare = (name: unknown): Prepared | string => {
    const entry = typeof name === 'string' ? byName.get(name) : undefined;
    if (!entry) return `Unknown operation ${JSON.stringify(name)} in source "${exec.source}": use the search tool to find operation names.`;
    let p = prepared.get(entry.name);
    if (!p) {
      const validate = services.validators[entry.validator];
      if (!validate) throw new Error(`artifact is missing validator ${entry.validator}: rebuild it`);
      p = {
        entry,
        validate,
        jsonArguments: structuredArguments(entry),
        ...(entry.refuseUndeclared ? { declared: declaredArguments(entry.descriptor.inputSchema as Record<string, unknown>) } : {})
      };
      prepared.set(entry.name, p);
    }
    return p;
  };
  if (exec.meta === 'search') {
    // Built on the first search: a large catalogue costs nothing at start-up.
    let index: SearchIndex | undefined;
    return (args) => {
      const limit = Math.min(typeof args.limit === 'number' ? args.limit : 10, MAX_RESULTS);
      index ??= searchIndex(entries);
      const found = search(index, String(args.query ?? ''), limit);
      return json({
        operations: found.map(summaryOf),
        ...(found.length === 0
          ? { hint: "No operation matches any of these words; try other words (the search tool's description lists the tags)." }
          : {})
      });
    };
  }
  if (exec.meta === 'describe') {
    return (args) => {
      const p = prepare(args.operation);
      if (typeof p === 'string') return textResult(p, true);
      const { name: _n, ...descriptor } = p.entry.descriptor;
      return json({ operation: p.entry.name, method: p.entry.method, path: p.entry.path, ...descriptor });
    };
  }
  return async (args, ctx) => {
    const p = prepare(args.operation);
    if (typeof p === 'string') return textResult(p, true);
    const raw = parsedJson(args.arguments ?? {});
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return textResult(`arguments must be an object of ${p.entry.name}'s arguments (see its inputSchema).`, true);
    const callArgs = { ...(raw as Record<string, unknown>) };
    for (const name of p.jsonArguments) callArgs[name] = parsedJson(callArgs[name]);
    const invalid = invalidArguments(p.entry.name, callArgs, p.validate, p.declared);
    if (invalid !== undefined) return textResult(invalid, true);
    p.execute ??= await operationTool(p.entry);
    return p.execute(callArgs, renamedContext(ctx, p.entry.name));
  };
}
