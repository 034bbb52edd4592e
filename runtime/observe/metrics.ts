import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type {
  KindTelemetry,
  ObservedRequest,
  RequestObservation,
  RequestOutcome,
  Telemetry,
  TransportTelemetry
} from '../core/telemetry.js';
import { BoundCounter, BoundHistogram, type CounterSeries } from './metric-series.js';
import { errorLabel, methodLabel, rateLimitScope, toolLabel, transportLabel, versionLabel } from './metrics-labels.js';
import { DURATION_BUCKETS, kindMetrics, readGauge } from './metrics-kinds.js';
import { transportMetrics } from './metrics-transport.js';

/** The Prometheus metrics of one server: a Telemetry for the core, the transport and the kinds, and its own registry. */
export interface MetricsTelemetry extends Telemetry {
  /** This server's registry (never prom-client's global one): what `GET /metrics` exposes. */
  readonly registry: Registry;
  readonly kinds: KindTelemetry;
  readonly transport: TransportTelemetry;
}

export interface MetricsOptions {
  /** Node's default process metrics (CPU, memory, event loop, GC); default true. */
  readonly processMetrics?: boolean;
}

/**
 * Prometheus metrics named after the OpenTelemetry MCP semantic conventions (`mcp_server_operation_duration_seconds`,
 * `mcp_server_session_duration_seconds`) and mcp-gen's own (`mcpgen_*`). Everything lives in this instance: two
 * servers in one process count apart. See docs/operations.md for the list.
 */
export function createMetricsTelemetry(options: MetricsOptions = {}): MetricsTelemetry {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const requests: RequestMetrics = {
    inFlight: 0,
    operations: new BoundHistogram(
      'mcp_server_operation_duration_seconds',
      'Duration of MCP requests, by method, tool, error type, transport and protocol version.',
      ['mcp_method_name', 'gen_ai_tool_name', 'error_type', 'network_transport', 'mcp_protocol_version'],
      DURATION_BUCKETS
    ).register(registry),
    rateLimited: new BoundCounter(
      'mcpgen_rate_limited_total',
      'Requests refused by a rate or concurrency limit (limits:), by scope: global, principal or tool.',
      ['scope']
    ).register(registry),
    cache: new BoundCounter(
      'mcpgen_cache_requests_total',
      'Calls of entries with cache: (tools/call, resources/read), by entry and result: hit or miss.',
      ['entry', 'result']
    ).register(registry)
  };
  readGauge(registry, 'mcpgen_requests_in_flight', 'MCP requests being served now.', () => requests.inFlight);
  return {
    registry,
    begin: (request) => new Observation(requests, request),
    kinds: kindMetrics(registry),
    transport: transportMetrics(registry)
  };
}

interface RequestMetrics {
  inFlight: number;
  readonly operations: BoundHistogram;
  readonly rateLimited: BoundCounter;
  readonly cache: BoundCounter;
}

/** One request: its labels known at the start (method, tool, transport); error and version added at the end. */
class Observation implements RequestObservation {
  private readonly start = performance.now();
  private readonly method: string;
  private readonly tool: string;
  private readonly transport: string;

  constructor(
    private readonly metrics: RequestMetrics,
    request: ObservedRequest
  ) {
    metrics.inFlight++;
    this.method = methodLabel(request.method);
    this.tool = toolLabel(request.method, request.target);
    this.transport = transportLabel(request.channel);
  }

  end(outcome: RequestOutcome): void {
    const seconds = (performance.now() - this.start) / 1000;
    const metrics = this.metrics;
    metrics.inFlight--;
    const labels = [this.method, this.tool, errorLabel(outcome), this.transport, versionLabel(outcome.protocolVersion)];
    metrics.operations.series(labels).observe(seconds);
    const scope = rateLimitScope(outcome);
    if (scope) (metrics.rateLimited.series([scope]) as CounterSeries).inc();
    // The entry is an artifact name (bounded), never text from the request.
    if (outcome.cache) (metrics.cache.series([outcome.cache.entry, outcome.cache.hit ? 'hit' : 'miss']) as CounterSeries).inc();
  }
}
