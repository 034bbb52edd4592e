import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoadedArtifact } from '../../runtime/artifact/load.js';
import type { Telemetry } from '../../runtime/core/telemetry.js';
import { UsageError } from './args.js';
import { combineTelemetry } from '../../runtime/observe/combine.js';
import { createMetricsEndpoint } from '../../runtime/observe/metrics-endpoint.js';
import { createMetricsTelemetry } from '../../runtime/observe/metrics.js';

/** What `mcp-gen run` and `dev` observe a server with: the core's Telemetry and the HTTP endpoints that expose it. */
export interface Observability {
  /** Handed to createCore (CoreOptions.telemetry); its `transport` part to createHttpServer. */
  readonly telemetry?: Telemetry;
  /** `GET /metrics`, unless `transport.metrics: false`. */
  readonly metrics?: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Metrics are on unless `transport.metrics: false`; `transport.metrics.token` (its `${VAR}` resolved when the
 * artifact was loaded) protects the endpoint. Tracing joins here as a second part of combineTelemetry.
 */
export function observabilityFor(loaded: LoadedArtifact): Observability {
  const setting = loaded.artifact.transport.metrics ?? true;
  // A `${VAR}` set to nothing already fails loading; an empty literal would protect nothing.
  if (typeof setting === 'object' && setting.token === '')
    throw new UsageError('transport.metrics.token is empty: set a token, or remove it');
  const metrics = setting === false ? undefined : createMetricsTelemetry();
  const telemetry = combineTelemetry(metrics);
  return {
    ...(telemetry ? { telemetry } : {}),
    ...(metrics ? { metrics: createMetricsEndpoint(metrics.registry, typeof setting === 'object' ? { token: setting.token } : {}) } : {})
  };
}
