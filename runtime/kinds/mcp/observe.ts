import type { TraceParent } from '../../core/telemetry.js';
import type { Services } from '../kind.js';

type CallLabel = 'source' | 'mcp_method_name' | 'outcome';
/** What a mounted server's call ended with: a result, a result with isError, or a failure (error, timeout, gone). */
type CallOutcome = 'ok' | 'tool_error' | 'error';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export type UpstreamMethod = 'tools/call' | 'resources/read' | 'prompts/get';

/**
 * Calls to one mounted MCP server: a CLIENT span each (a child of the request's; its trace context goes to the
 * upstream in `params._meta`, as the MCP conventions say) and the `mcpgen_mcp_upstream_duration_seconds` histogram
 * by source, method and outcome. `target` (a tool, URI or prompt) names the span only, never a label.
 */
export function mountedCalls(services: Services, source: string) {
  const { telemetry } = services;
  const record = telemetry.histogram<CallLabel>({
    name: 'mcpgen_mcp_upstream_duration_seconds',
    help: 'Duration of calls to mounted MCP servers, by source, method and outcome (ok, tool_error, error)',
    labelNames: ['source', 'mcp_method_name', 'outcome'],
    buckets: BUCKETS
  });
  return <T>(
    method: UpstreamMethod,
    target: string,
    parent: TraceParent | undefined,
    work: (traceContext: Record<string, string>) => Promise<T>
  ): Promise<T> =>
    telemetry.span(
      parent,
      `${method} ${target}`,
      { 'mcp.method.name': method, 'mcpgen.source': source, ...(method === 'tools/call' ? { 'gen_ai.tool.name': target } : {}) },
      async (span) => {
        const traceContext: Record<string, string> = {};
        span.inject(traceContext);
        const started = performance.now();
        let outcome: CallOutcome = 'error';
        try {
          const result = await work(traceContext);
          outcome = (result as { isError?: unknown } | undefined)?.isError === true ? 'tool_error' : 'ok';
          if (outcome === 'tool_error') span.fail('tool_error');
          return result;
        } catch (e) {
          span.fail('upstream_error', (e as Error)?.message);
          throw e;
        } finally {
          record({ source, mcp_method_name: method, outcome }, (performance.now() - started) / 1000);
        }
      },
      'client'
    );
}
