import type { Artifact, ToolIR } from '../../runtime/artifact/ir.js';
import { loweringFor } from '../kinds/registry.js';
import { obj, type Obj } from '../plain.js';
import { baseDefault } from '../validate/defaults.js';
import { valueAt } from '../validate/pointer.js';
import type { LowerContext } from './context.js';

const defaultTtl = baseDefault<number>('server', 'continuationTtl');

/** The argument that reads a split result's next part: `cursor`, unless the tool has a `cursor` of its own. */
const ARGUMENTS = ['cursor', 'resultCursor'] as const;

const bytesOf = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * `maxResultBytes` of tools → ContinuationIR: the tool's own (its entry, or the `operation:` override of a generated
 * one), else its source's, else the server's. A kind that pages its own results (SQL) is handed the bound instead,
 * so a tool has one paging mechanism. Other tools get an optional argument to read the next part with.
 */
export function lowerContinuation(artifact: Artifact, ctx: LowerContext): Artifact {
  const manifest = obj(ctx.manifest.value);
  const server = obj(manifest.server);
  const ttlMs = (bytesOf(server.continuationTtl) ?? defaultTtl) * 1000;
  const tools = artifact.tools.map((tool): ToolIR => {
    const own = tool.at.pointer.startsWith('/tools/') ? obj(valueAt(ctx.manifest.value, tool.at.pointer)) : undefined;
    const source = 'source' in tool.exec && typeof tool.exec.source === 'string' ? obj(obj(manifest.sources)[tool.exec.source]) : {};
    const maxBytes = bytesOf(own?.maxResultBytes) ?? bytesOf(source.maxResultBytes) ?? bytesOf(server.maxResultBytes);
    if (maxBytes === undefined) return tool;
    const pages = own ? loweringFor('tool', own)?.pages : undefined;
    if (pages) return { ...tool, exec: pages(tool.exec, maxBytes, own!) as ToolIR['exec'] };
    const input = obj(tool.descriptor.inputSchema);
    const validated = obj(ctx.validators.schemaOf(tool.validator) ?? input);
    // Claim-filled arguments (fromAuth) are only in the validator's schema: they are taken too.
    const argument = ARGUMENTS.find((a) => !(a in obj(input.properties)) && !(a in obj(validated.properties)));
    if (argument === undefined) {
      ctx.error(
        'MCPGEN_INVALID_VALUE',
        `tool "${tool.name}" has arguments named ${ARGUMENTS.join(' and ')}, so its split results would have no argument to read the next part with`,
        own?.maxResultBytes !== undefined ? `${tool.at.pointer}/maxResultBytes` : tool.at.pointer,
        { hint: 'Rename one of its arguments, or remove maxResultBytes for it.' }
      );
      return tool;
    }
    const widened = ctx.validators.add(withArgument(validated, argument));
    return {
      ...tool,
      descriptor: { ...tool.descriptor, inputSchema: withArgument(input, argument) },
      ...('name' in widened ? { validator: widened.name } : {}),
      continuation: { maxBytes, argument, ttlMs }
    };
  });
  return { ...artifact, tools };
}

function withArgument(schema: Obj, argument: string): Obj {
  const description = 'Only to read the next part of a split result: the value its note gives.';
  return { ...schema, properties: { ...obj(schema.properties), [argument]: { type: 'string', description } } };
}
