import {
  type KindSpan,
  type KindTelemetry,
  noSpan,
  type RequestObservation,
  type RequestOutcome,
  type Telemetry,
  type TraceParent,
  type TransportTelemetry
} from '../core/telemetry.js';

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
      return nested(present.map((p) => p.begin(request)));
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

function nested(observations: readonly RequestObservation[]): RequestObservation {
  return new Observations(observations);
}

/** The trace of the part that traces (one at most does), and every part's end. A class: one is made per request. */
class Observations implements RequestObservation {
  readonly traceId: string | undefined = undefined;
  readonly parent: TraceParent | undefined = undefined;

  constructor(private readonly parts: readonly RequestObservation[]) {
    for (const o of parts) {
      if (o.traceId !== undefined) this.traceId = o.traceId;
      if (o.parent !== undefined) this.parent = o.parent;
    }
  }

  end(outcome: RequestOutcome): void {
    for (const o of this.parts) o.end(outcome);
  }
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
    // Every part that traces opens its span under the same parent; those that do not just run the work.
    span(parent, name, attributes, work, kind) {
      const run = kinds.reduceRight<typeof work>(
        (inner, k) => (outer) => k.span(parent, name, attributes, (span) => inner(both(outer, span)), kind),
        work
      );
      return run(noSpan);
    }
  };
}

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
    },
    context: a.context ?? b.context,
    inject: (headers) => {
      a.inject(headers);
      b.inject(headers);
    }
  };
}
