/**
 * Whether tracing is on is decided from the standard OTEL_* variables alone (issue 13, point 3): an OTLP endpoint
 * must be set; OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none turn it off; the protocol is http/protobuf unless
 * said otherwise, and one mcp-gen has no exporter for (grpc) turns tracing off with a warning naming what to set.
 */
import { describe, expect, it } from 'vitest';
import { tracingConfig } from '../../runtime/observe/tracing-config.js';

const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };

const cases: { given: NodeJS.ProcessEnv; want: string | undefined; warns?: RegExp }[] = [
  { given: {}, want: undefined },
  { given: { OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' }, want: undefined },
  { given: { OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }, want: undefined },
  { given: endpoint, want: 'http/protobuf' },
  { given: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }, want: 'http/protobuf' },
  { given: { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, want: 'http/json' },
  { given: { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'HTTP/JSON' }, want: 'http/json' },
  {
    given: { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' },
    want: 'http/protobuf'
  },
  {
    given: { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
    want: undefined,
    warns: /OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported.*4318/
  },
  { given: { ...endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' }, want: undefined, warns: /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc/ },
  { given: { ...endpoint, OTEL_SDK_DISABLED: 'true' }, want: undefined },
  { given: { ...endpoint, OTEL_SDK_DISABLED: 'TRUE' }, want: undefined },
  { given: { ...endpoint, OTEL_SDK_DISABLED: 'false' }, want: 'http/protobuf' },
  { given: { ...endpoint, OTEL_TRACES_EXPORTER: 'none' }, want: undefined },
  { given: { ...endpoint, OTEL_TRACES_EXPORTER: 'otlp' }, want: 'http/protobuf' },
  { given: { ...endpoint, OTEL_TRACES_EXPORTER: 'otlp,console' }, want: 'http/protobuf', warns: /console ignored/ },
  { given: { ...endpoint, OTEL_TRACES_EXPORTER: 'zipkin' }, want: undefined, warns: /OTEL_TRACES_EXPORTER=zipkin is not supported/ }
];

describe('tracingConfig', () => {
  it.each(cases)('$given → $want', ({ given, want, warns }) => {
    const config = tracingConfig(given);
    expect(config.protocol).toBe(want);
    if (warns) expect(config.warnings.join('\n')).toMatch(warns);
    else expect(config.warnings).toEqual([]);
  });
});
