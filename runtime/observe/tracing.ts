import type { Telemetry } from '../core/telemetry.js';
import type { Logger } from '../log.js';
import { tracingConfig } from './tracing-config.js';

/** A running tracer: its part of the server's Telemetry, and the flush the CLI awaits after core.close(). */
export interface Tracing {
  readonly telemetry: Telemetry;
  /** Ends tracing: exports the spans still queued (the process may exit right after). */
  shutdown(): Promise<void>;
}

/** What the artifact says of the service, used unless OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES say otherwise. */
export interface TracingDefaults {
  readonly serviceName: string;
  readonly serviceVersion?: string;
}

/**
 * OpenTelemetry tracing, when the standard variables ask for it (see tracing-config.ts); else undefined, and the
 * SDK is never loaded (this module imports none of it: cold start and the per-request path do not move).
 * `env` decides whether and how; the SDK reads its other settings from process.env.
 */
export async function startTracing(env: NodeJS.ProcessEnv, log: Logger, defaults: TracingDefaults): Promise<Tracing | undefined> {
  const config = tracingConfig(env);
  for (const warning of config.warnings) log.warn(warning);
  if (config.protocol === undefined) return undefined;
  const { startSdk } = await import('./tracing-sdk.js');
  return startSdk(config.protocol, log, defaults);
}
