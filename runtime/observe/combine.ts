import type { KindSpan, KindTelemetry, RequestObservation, Telemetry, TransportTelemetry } from '../core/telemetry.js';

/**
 * One Telemetry from several (metrics, tracing): each part sees every request and every kind's figures.
 * One part is returned as is, so a server with metrics alone pays for no composition per request.
 */
export function combineTelemetry(...parts: readonly (Telemetry | undefined)[]): Telemetry | undefined {
  const present = parts.filter((p): p is Telemetry => p !== undefined);
  if (present.length <= 1) return present[0];
  const transports = present.flatMap((p) => (p.transport ? [p.transport] : []));
  return {
    begin(request) {
      const observations = present.map((p) => p.begin(request));
      return nested(observations);
    },
    kinds: combinedKinds(present.map((p) => p.kinds)),
    ...(transports.length > 0 ? { transport: transports.length === 1 ? transports[0]! : combinedTransport(transports) } : {})
  };
}

function combinedTransport(all: readonly TransportTelemetry[]): TransportTelemetry {
  return {
    sessionOpened: () => all.forEach((t) => t.sessionOpened()),
    sessionEnded: (seconds, version) => all.forEach((t) => t.sessionEnded(seconds, version)),
    sessionRefused: (reason) => all.forEach((t) => t.sessionRefused(reason)),
    streamOpened: () => all.forEach((t) => t.streamOpened()),
    streamClosed: () => all.forEach((t) => t.streamClosed()),
    authRejected: (reason) => all.forEach((t) => t.authRejected(reason))
  };
}

/** The first part's `run` wraps the second's, and so on: each part's context (a trace span) holds for the work. */
function nested(observations: readonly RequestObservation[]): RequestObservation {
  const traceId = observations.find((o) => o.traceId !== undefined)?.traceId;
  return {
    ...(traceId !== undefined ? { traceId } : {}),
    run: (work) => observations.reduceRight<() => Promise<never>>((inner, o) => () => o.run(inner), work as () => Promise<never>)(),
    end: (outcome) => {
      for (const o of observations) o.end(outcome);
    }
  };
}

function combinedKinds(kinds: readonly KindTelemetry[]): KindTelemetry {
  return {
    histogram(definition) {
      const all = kinds.map((k) => k.histogram(definition));
      return (labels, seconds) => {
        for (const record of all) record(labels, seconds);
      };
    },
    counter(definition) {
      const all = kinds.map((k) => k.counter(definition));
      return (labels, increment) => {
        for (const add of all) add(labels, increment);
      };
    },
    gauge(definition, read) {
      const stops = kinds.map((k) => k.gauge(definition, read));
      return () => {
        for (const stop of stops) stop();
      };
    },
    // Spans and trace context: every part that traces nests its span; those that do not just run the work.
    span(name, attributes, work, kind) {
      const run = kinds.reduceRight<typeof work>(
        (inner, k) => (outer) => k.span(name, attributes, (span) => inner(both(outer, span)), kind),
        work
      );
      return run(noSpan);
    },
    inject(headers) {
      for (const k of kinds) k.inject(headers);
    }
  };
}

const noSpan: KindSpan = { setAttributes: () => {}, fail: () => {} };

function both(a: KindSpan, b: KindSpan): KindSpan {
  if (a === noSpan) return b;
  return {
    setAttributes: (x) => {
      a.setAttributes(x);
      b.setAttributes(x);
    },
    fail: (t, m) => {
      a.fail(t, m);
      b.fail(t, m);
    }
  };
}
