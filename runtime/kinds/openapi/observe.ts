import type { KindSpan, Labels, TraceParent } from '../../core/telemetry.js';
import type { Services } from '../kind.js';
import type { OpenApiToolExec } from './ir.js';

type UpstreamLabel = 'source' | 'http_request_method' | 'status_class';

/** Seconds; upstream APIs answer in milliseconds to tens of seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What one upstream call reports: its status once known (`ok` false for a network failure or a stop). */
export interface UpstreamCall {
  readonly span: KindSpan;
  status(code: number): void;
  failed(reason: string): void;
}

/**
 * Per-operation observation of upstream calls: one CLIENT span (a child of the MCP request's, its trace context sent
 * on in `traceparent`) and the `mcpgen_upstream_request_duration_seconds` histogram by source, method and status
 * class. The status is a class (2xx…5xx, or `error`): an upstream cannot make the label set grow.
 */
export function upstreamCalls(services: Services, exec: OpenApiToolExec) {
  const { telemetry } = services;
  const record = telemetry.histogram<UpstreamLabel>({
    name: 'mcpgen_upstream_request_duration_seconds',
    help: 'Duration of HTTP requests to OpenAPI upstreams (redirects and retries included), by source, method and status class',
    labelNames: ['source', 'http_request_method', 'status_class'],
    buckets: BUCKETS
  });
  const name = `${exec.method} ${exec.path}`;
  return <T>(
    url: URL,
    headers: Record<string, string>,
    parent: TraceParent | undefined,
    work: (call: UpstreamCall) => Promise<T>
  ): Promise<T> => {
    const attributes = {
      'http.request.method': exec.method,
      'url.template': exec.path,
      'server.address': url.hostname,
      'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
      'mcpgen.source': exec.source
    };
    return telemetry.span(
      parent,
      name,
      attributes,
      async (span) => {
        span.inject(headers);
        const started = performance.now();
        let statusClass = 'error';
        const call: UpstreamCall = {
          span,
          status(code) {
            statusClass = `${Math.trunc(code / 100)}xx`;
            span.setAttributes({ 'http.response.status_code': code });
            if (code >= 500) span.fail(String(code));
          },
          failed: (reason) => span.fail('upstream_error', reason)
        };
        try {
          return await work(call);
        } finally {
          const labels: Labels<UpstreamLabel> = { source: exec.source, http_request_method: exec.method, status_class: statusClass };
          record(labels, (performance.now() - started) / 1000);
        }
      },
      'client'
    );
  };
}
