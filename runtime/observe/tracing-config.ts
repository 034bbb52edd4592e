/**
 * Whether tracing is on, from the standard OpenTelemetry variables alone (no SDK is loaded to decide it): an
 * OTLP endpoint must be set, the SDK not disabled, the exporter `otlp`, the protocol one mcp-gen ships an
 * exporter for. Everything else (headers, timeout, compression, sampler, resource, batching) the SDK reads itself.
 */

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TracingConfig {
  /** Undefined: tracing is off (nothing of the SDK is loaded). */
  readonly protocol: OtlpProtocol | undefined;
  /** Why a request for tracing is not honoured, for the log (a user must act on them). */
  readonly warnings: readonly string[];
}

const protocols: readonly string[] = ['http/protobuf', 'http/json'] satisfies OtlpProtocol[];

const set = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined);

export function tracingConfig(env: NodeJS.ProcessEnv): TracingConfig {
  const endpoint = set(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ?? set(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (endpoint === undefined) return off();
  if (set(env.OTEL_SDK_DISABLED)?.toLowerCase() === 'true') return off();
  const exporters = (set(env.OTEL_TRACES_EXPORTER) ?? 'otlp').split(',').map((e) => e.trim().toLowerCase());
  if (exporters.includes('none')) return off();
  const unsupported = exporters.filter((e) => e !== 'otlp');
  if (!exporters.includes('otlp')) return off(`OTEL_TRACES_EXPORTER=${unsupported.join(',')} is not supported (only otlp): tracing is off`);
  const warnings = unsupported.length > 0 ? [`OTEL_TRACES_EXPORTER: ${unsupported.join(', ')} ignored (only otlp is supported)`] : [];
  const variable = set(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = (set(env[variable]) ?? 'http/protobuf').toLowerCase();
  if (!protocols.includes(protocol))
    // Refused, not downgraded: an endpoint meant for gRPC (port 4317) would not answer OTLP/HTTP anyway.
    return off(
      `${variable}=${protocol} is not supported (mcp-gen exports OTLP over HTTP only): tracing is off; set it to ` +
        'http/protobuf or http/json and point the endpoint at the OTLP/HTTP port of the collector (4318 by default)'
    );
  return { protocol: protocol as OtlpProtocol, warnings };
}

function off(warning?: string): TracingConfig {
  return { protocol: undefined, warnings: warning !== undefined ? [warning] : [] };
}
