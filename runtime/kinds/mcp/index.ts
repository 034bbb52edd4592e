import type { ReadContext, ResourceContents, RuntimeKind, Services, ToolContext, ToolResult } from '../kind.js';
import { textResult } from '../kind.js';
import { callThrough, type ParkedCalls } from './calls.js';
import type { McpExec } from './ir.js';
import { Upstream } from './upstream.js';
import { mountedCalls } from './observe.js';

type Obj = Record<string, unknown>;

/** The source's open handle and its parked 2026-07-28 calls (per served artifact, never module-level). */
interface Mounted {
  readonly upstream: Upstream;
  readonly parked: ParkedCalls;
}

function mounted(services: Services, exec: McpExec): Mounted {
  return services.source<Mounted>(exec.source);
}

/** An upstream failure, as the tool error a caller sees (the upstream's own message, and what happens next). */
function failure(source: string, what: string, e: unknown): string {
  const message = (e as Error)?.message ?? String(e);
  if (/closed|ECONNRESET|EPIPE|terminated/i.test(message))
    return `${what} failed: MCP source "${source}" went away during the call (${message}); it is reconnected on the next call`;
  return `${what} failed: ${message}`;
}

/** A context for work that is not a tool call (a resource read, a prompt get): no client to ask or notify. */
const quietContext = (signal: AbortSignal, name: string): ToolContext => ({
  signal,
  requestId: 0,
  toolName: name,
  log: () => {},
  progress: () => {},
  clientCapabilities: {},
  elicit: () => Promise.reject(new Error('no client to ask')),
  sample: () => Promise.reject(new Error('no client to ask')),
  listRoots: () => Promise.reject(new Error('no client to ask')),
  closeStream: () => {},
  state: {}
});

/** Upstream MCP servers: tools, resources, templates and prompts mounted and called through (docs/mcp-upstream.md). */
export const mcpKind: RuntimeKind<'mcp'> = {
  source: {
    changesLists: true,
    async open(name, ir, services) {
      // The client SDK is loaded only when an MCP source is served.
      const { connect } = await import('./client.js');
      const upstream = new Upstream(name, ir, services, connect);
      // Connected in the background: list changes flow from the start; a failure waits for the first call.
      upstream.connection().catch((e: Error) => services.log.warn(`${e.message} (retried on the first call)`));
      const handle: Mounted & { dispose(): Promise<void>; ready(): Promise<void> } = {
        upstream,
        parked: new Map(),
        dispose: async () => {
          for (const call of handle.parked.values()) call.stop();
          await upstream.dispose();
        },
        ready: () => upstream.ready()
      };
      return handle;
    }
  },
  tool(exec, services) {
    const observe = mountedCalls(services, exec.source);
    return async (args, ctx): Promise<ToolResult> => {
      const { upstream, parked } = mounted(services, exec);
      try {
        const progress = (p: number, total?: number, message?: string) => ctx.progress(p, total, message);
        const result = await callThrough(upstream, parked, ctx, async (signal) =>
          observe('tools/call', exec.upstream, ctx.trace, (traceContext) =>
            upstream.use((c) =>
              c.callTool(exec.upstream, args, { signal, timeoutMs: upstream.timeoutMs, onProgress: progress, traceContext })
            )
          )
        );
        return result as unknown as ToolResult;
      } catch (e) {
        return textResult(failure(exec.source, `Tool ${exec.upstream} of MCP source "${exec.source}"`, e), true);
      }
    };
  },
  resource(exec, services) {
    const observe = mountedCalls(services, exec.source);
    return (uri, _variables, context) => read(mounted(services, exec), exec, uri, observe, context);
  },
  resourceTemplate(exec, services) {
    const observe = mountedCalls(services, exec.source);
    const reader = (uri: string, _variables: unknown, context?: ReadContext) => read(mounted(services, exec), exec, uri, observe, context);
    return Object.assign(reader, {
      complete: async (variable: string, prefix: string) =>
        mounted(services, exec).upstream.use((c) =>
          c.complete({ type: 'ref/resource', uri: exec.upstream }, { name: variable, value: prefix })
        )
    });
  },
  prompt(exec, services) {
    const observe = mountedCalls(services, exec.source);
    const getter = async (args: Readonly<Record<string, string>>, ctx: ToolContext) => {
      const { upstream, parked } = mounted(services, exec);
      const result = await callThrough(upstream, parked, ctx, async (signal) =>
        observe('prompts/get', exec.upstream, ctx.trace, (traceContext) =>
          upstream.use((c) => c.getPrompt(exec.upstream, args, { signal, timeoutMs: upstream.timeoutMs, traceContext }))
        )
      );
      return {
        ...(typeof result.description === 'string' ? { description: result.description } : {}),
        messages: (result.messages ?? []) as Obj[]
      };
    };
    return Object.assign(getter, {
      complete: async (argument: string, prefix: string) =>
        mounted(services, exec).upstream.use((c) =>
          c.complete({ type: 'ref/prompt', name: exec.upstream }, { name: argument, value: prefix })
        )
    });
  }
};

async function read(
  { upstream, parked }: Mounted,
  exec: McpExec,
  uri: string,
  observe: ReturnType<typeof mountedCalls>,
  context: ReadContext | undefined
): Promise<ResourceContents[] | undefined> {
  const controller = new AbortController();
  try {
    const result = await callThrough(upstream, parked, quietContext(controller.signal, exec.upstream), async (signal) =>
      observe('resources/read', exec.upstream, context?.trace, (traceContext) =>
        upstream.use((c) => c.readResource(uri, { signal, timeoutMs: upstream.timeoutMs, traceContext }))
      )
    );
    return (result.contents ?? []) as ResourceContents[];
  } catch (e) {
    // The upstream's "not found" (2025: -32002, 2026: -32602 with data.uri) is ours too.
    const code = (e as { code?: number }).code;
    if (code === -32002 || (code === -32602 && /not found|unknown/i.test((e as Error).message))) return undefined;
    throw new Error(failure(exec.source, `Reading ${uri}`, e), { cause: e });
  }
}
