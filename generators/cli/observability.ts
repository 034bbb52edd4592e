import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoadedArtifact } from '../../runtime/artifact/load.js';
import type { Telemetry } from '../../runtime/core/telemetry.js';
import { UsageError } from './args.js';
import { combineTelemetry } from '../../runtime/observe/combine.js';
import type { Registry } from 'prom-client';
import { createMetricsEndpoint, type MetricsSource } from '../../runtime/observe/metrics-endpoint.js';
import { createMetricsTelemetry } from '../../runtime/observe/metrics.js';
import { startTracing } from '../../runtime/observe/tracing.js';
import type { Logger } from '../../runtime/log.js';

/** What `mcp-gen run` and `dev` observe a server with: the core's Telemetry and the HTTP endpoints that expose it. */
export interface Observability {
  /** Handed to createCore (CoreOptions.telemetry); its `transport` part to createHttpServer. */
  readonly telemetry?: Telemetry;
  /** `GET /metrics`, unless `transport.metrics: false`. */
  readonly metrics?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Flushes what is still to export (spans); called once the core is closed. */
  readonly shutdown?: () => Promise<void>;
}

/**
 * Metrics are on unless `transport.metrics: false`; `transport.metrics.token` (its `${VAR}` resolved when the
 * artifact was loaded) protects the endpoint. Tracing is on only when the OTEL_* variables ask for it (its SDK is
 * loaded only then); its service name defaults to the server's. `exposed` picks what /metrics shows given this
 * process's registry (a worker of `run --workers` shows the whole server's); by default, that registry.
 */
export async function observabilityFor(
  loaded: LoadedArtifact,
  log: Logger,
  exposed: (local: Registry) => MetricsSource = (local) => local
): Promise<Observability> {
  const setting = loaded.artifact.transport.metrics ?? true;
  // A `${VAR}` set to nothing already fails loading; an empty literal would protect nothing.
  if (typeof setting === 'object' && setting.token === '')
    throw new UsageError('transport.metrics.token is empty: set a token, or remove it');
  const metrics = setting === false ? undefined : createMetricsTelemetry();
  const { name, version } = loaded.artifact.server;
  const tracing = await startTracing(process.env, log, { serviceName: name, serviceVersion: version });
  const telemetry = combineTelemetry(metrics, tracing?.telemetry);
  return {
    ...(tracing ? { shutdown: () => tracing.shutdown() } : {}),
    ...(telemetry ? { telemetry } : {}),
    ...(metrics
      ? { metrics: createMetricsEndpoint(exposed(metrics.registry), typeof setting === 'object' ? { token: setting.token } : {}) }
      : {})
  };
}
