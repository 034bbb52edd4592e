import { diag, DiagLogLevel } from '@opentelemetry/api';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { packageVersion } from '../package-root.js';
import type { Logger } from '../log.js';
import type { OtlpProtocol } from './tracing-config.js';
import { tracingTelemetry } from './tracing-telemetry.js';
import type { Tracing, TracingDefaults } from './tracing.js';

/**
 * The OpenTelemetry SDK, loaded only once tracing.ts decided tracing is on (this module is imported dynamically:
 * with tracing off, none of these packages is loaded). The SDK reads the rest of the OTEL_* variables itself:
 * OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT/HEADERS/TIMEOUT/COMPRESSION/CERTIFICATE, OTEL_TRACES_SAMPLER(_ARG),
 * OTEL_BSP_*, OTEL_SPAN_*_LIMIT, OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
 */
export async function startSdk(protocol: OtlpProtocol, log: Logger, defaults: TracingDefaults): Promise<Tracing> {
  const stopDiag = routeDiagnostics(log);
  const exporter = await otlpExporter(protocol);
  // The artifact's server name unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES say otherwise (later merges win).
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: defaults.serviceName, ...versionOf(defaults) }))
    .merge(detectResources({ detectors: [envDetector] }));
  // Attribute values come partly from requests (and kinds): bounded unless OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT says otherwise.
  const spanLimits = process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT ? {} : { attributeValueLengthLimit: 1024 };
  const provider = new BasicTracerProvider({ resource, spanLimits, spanProcessors: [new BatchSpanProcessor(exporter)] });
  // Nothing registered globally (no context manager, no global provider): an embedder's OpenTelemetry set-up stays
  // theirs, and trace context travels explicitly (TraceParent in core/telemetry.ts).
  const telemetry = tracingTelemetry(provider.getTracer('mcp-gen', packageVersion()));
  log.debug(`tracing on: OTLP ${protocol}, service ${defaults.serviceName}`);
  return {
    telemetry,
    async shutdown() {
      // Flushes the batch still queued, then stops the exporter. A collector that does not answer holds the exit
      // for up to OTEL_EXPORTER_OTLP_TIMEOUT (10 s by default): the export's own bound, which the operator sets.
      await provider.shutdown().catch((e: unknown) => log.warn(`tracing: flushing spans failed: ${(e as Error).message}`));
      stopDiag();
    }
  };
}

async function otlpExporter(protocol: OtlpProtocol): Promise<SpanExporter> {
  if (protocol === 'http/json') return new (commonJs(await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter)();
  return new (commonJs(await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter)();
}

/**
 * The exports of a CommonJS package loaded with import(): Node offers them both by name and as `default`; in
 * a server bundle (mcp-gen bundle: esbuild, split into chunks) only as `default`.
 */
export function commonJs<T extends object>(module: T): T {
  const exports = (module as { default?: unknown }).default;
  return exports !== null && typeof exports === 'object' ? (exports as T) : module;
}

function versionOf(defaults: TracingDefaults): Record<string, string> {
  return defaults.serviceVersion !== undefined ? { [ATTR_SERVICE_VERSION]: defaults.serviceVersion } : {};
}

/**
 * The SDK reports failed exports through its diagnostic logger: into the server's log as warnings, each distinct
 * message once in a row (a collector that is down would otherwise log every few seconds the same line).
 */
function routeDiagnostics(log: Logger): () => void {
  let last = '';
  const warn = (message: string, ...args: unknown[]) => {
    const line = `tracing: ${[message, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(' ')}`;
    if (line === last) return;
    last = line;
    log.warn(line);
  };
  const quiet = () => {};
  diag.setLogger(
    { error: warn, warn, info: quiet, debug: quiet, verbose: quiet },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true }
  );
  return () => diag.disable();
}
