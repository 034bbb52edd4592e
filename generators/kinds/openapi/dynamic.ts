import type { SourceRef, ToolIR } from '../../../runtime/artifact/ir.js';
import type { OpenApiMetaExec, OperationEntryIR } from '../../../runtime/kinds/openapi/ir.js';
import type { LowerContext } from '../../lower/context.js';
import { compactText } from './schema/index.js';
import { obj, type Obj } from '../../plain.js';

const MAX_TAGS = 60;

const operationArgument = { type: 'string', description: 'The operation name, as search returns it.' };

/** The three tools' descriptors, given the source name, what the API is and how many operations it has. */
function descriptors(source: string, api: string, count: number, tags: readonly string[]): Record<OpenApiMetaExec['meta'], Obj> {
  const tagNote = tags.length > 0 ? ` Tags: ${tags.slice(0, MAX_TAGS).join(', ')}${tags.length > MAX_TAGS ? ', …' : ''}.` : '';
  return {
    search: {
      name: `${source}_search_operations`,
      description:
        `Search the ${count} operations of ${api} by keywords or a short task ("list open issues"), best ` +
        `matches first. Returns operation names for ${source}_describe_operation and ` +
        `${source}_call_operation.${tagNote}`,
      inputSchema: {
        type: 'object',
        properties: {
          query: {
            type: 'string',
            maxLength: 1000,
            description: 'Keywords or a short task, e.g. "list issues" or "create a repository webhook".'
          },
          limit: { type: 'integer', minimum: 1, maximum: 50, default: 10, description: 'At most this many results.' }
        },
        required: ['query'],
        additionalProperties: false
      },
      outputSchema: {
        type: 'object',
        properties: {
          operations: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                operation: { type: 'string' },
                method: { type: 'string' },
                path: { type: 'string' },
                description: { type: 'string' }
              }
            }
          },
          hint: { type: 'string' }
        },
        required: ['operations']
      },
      annotations: { readOnlyHint: true, openWorldHint: false }
    },
    describe: {
      name: `${source}_describe_operation`,
      description:
        `Describe one operation of ${api}: what it does, its arguments (inputSchema) and the shape of ` +
        `its result. Call this before ${source}_call_operation.`,
      inputSchema: { type: 'object', properties: { operation: operationArgument }, required: ['operation'], additionalProperties: false },
      annotations: { readOnlyHint: true, openWorldHint: false }
    },
    call: {
      name: `${source}_call_operation`,
      description: `Call one operation of ${api} with arguments matching the inputSchema ${source}_describe_operation shows.`,
      inputSchema: {
        type: 'object',
        properties: { operation: operationArgument, arguments: { type: 'object', description: "The operation's arguments." } },
        required: ['operation'],
        additionalProperties: false
      }
    }
  };
}

/** A toolset's trio: its names start with `prefix` and it reaches only `only` (operation names). */
export interface MetaScope {
  readonly prefix: string;
  readonly only: readonly string[];
}

/**
 * `mode: dynamic`: three meta-tools stand for every operation of the source (which the artifact keeps unlisted); in
 * a toolset, for the toolset's operations only (`scope`).
 */
export function metaTools(
  source: string,
  doc: Obj,
  operations: readonly OperationEntryIR[],
  ctx: LowerContext,
  at: SourceRef,
  scope?: MetaScope
): ToolIR[] {
  const info = obj(doc.info);
  const api = typeof info.title === 'string' && info.title.trim() !== '' ? `the ${compactText(info.title, 80)} API` : `source "${source}"`;
  const only = scope && new Set(scope.only);
  const reached = only ? operations.filter((o) => only.has(o.name)) : operations;
  const tags = [...new Set(reached.flatMap((o) => o.tags))];
  const table = descriptors(`${scope?.prefix ?? ''}${source}`, api, reached.length, tags);
  const out: ToolIR[] = [];
  for (const meta of ['search', 'describe', 'call'] as const) {
    const descriptor = table[meta];
    const validator = ctx.validators.add(obj(descriptor.inputSchema));
    const output = descriptor.outputSchema ? ctx.validators.add(obj(descriptor.outputSchema)) : undefined;
    // Fixed schemas: a compile failure is a bug in mcp-gen, not in the user's document.
    if ('error' in validator || (output && 'error' in output))
      throw new Error(`meta-tool ${String(descriptor.name)} schema does not compile`);
    out.push({
      name: String(descriptor.name),
      descriptor,
      validator: validator.name,
      ...(output && 'name' in output ? { outputValidator: output.name } : {}),
      exec: { kind: 'openapi', source, meta, ...(scope ? { operations: [...scope.only] } : {}) },
      refuseUndeclared: true,
      at
    });
  }
  return out;
}
