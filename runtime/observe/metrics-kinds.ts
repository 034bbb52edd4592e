import { Gauge, type Registry } from 'prom-client';
import { type KindTelemetry, type Labels, type MetricDefinition, noSpan } from '../core/telemetry.js';
import { BoundCounter, BoundHistogram } from './metric-series.js';

/** The OpenTelemetry MCP conventions' duration buckets, with finer ones below 10 ms (most calls of a local server). */
export const DURATION_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

type Made = { readonly type: string; readonly labels: string; readonly value: unknown };

/**
 * The kinds' instruments on one registry. A definition asked again (the next served artifact after a swap in
 * `mcp-gen dev`) gets the same metric; gauges keep one reader per caller, summed at scrape time, until stopped.
 * Spans and trace context are the tracing part's (combineTelemetry): here a span just runs its work.
 */
export function kindMetrics(registry: Registry): KindTelemetry {
  const made = new Map<string, Made>();
  const once = <T>(type: string, definition: MetricDefinition<string>, make: () => T): T => {
    const labels = definition.labelNames.join(',');
    const existing = made.get(definition.name);
    if (existing) {
      if (existing.type !== type || existing.labels !== labels)
        throw new Error(`metric ${definition.name} is already defined as a ${existing.type} with labels (${existing.labels})`);
      return existing.value as T;
    }
    const value = make();
    made.set(definition.name, { type, labels, value });
    return value;
  };
  return {
    histogram(definition) {
      return once('histogram', definition, () => {
        const metric = new BoundHistogram(definition.name, definition.help, definition.labelNames, definition.buckets ?? DURATION_BUCKETS);
        metric.register(registry);
        return (labels: Labels<string>, seconds: number) => metric.series(valuesOf(definition, labels)).observe(seconds);
      });
    },
    counter(definition) {
      return once('counter', definition, () => {
        const metric = new BoundCounter(definition.name, definition.help, definition.labelNames).register(registry);
        return (labels: Labels<string>, increment = 1) => metric.series(valuesOf(definition, labels)).inc(increment);
      });
    },
    gauge(definition, read) {
      const readers = once('gauge', definition, () => readersGauge(registry, definition));
      const reader = read as Reader;
      readers.add(reader);
      return () => void readers.delete(reader);
    },
    span: (_parent, _name, _attributes, work) => work(noSpan)
  };
}

type Reader = () => Iterable<readonly [Labels<string>, number]>;

function valuesOf(definition: MetricDefinition<string>, labels: Labels<string>): string[] {
  return definition.labelNames.map((n) => String(labels[n] ?? ''));
}

/** A gauge whose value is the sum of what its readers report at scrape time (a reader that throws is skipped). */
function readersGauge(registry: Registry, definition: MetricDefinition<string>): Set<Reader> {
  const readers = new Set<Reader>();
  new Gauge({
    name: definition.name,
    help: definition.help,
    labelNames: definition.labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const read of readers) {
        try {
          for (const [labels, value] of read()) {
            this.inc(Object.fromEntries(valuesOf(definition, labels).map((v, i) => [definition.labelNames[i]!, v])), value);
          }
        } catch {
          // A source being disposed may fail to report: the next scrape reads it again (or it has stopped).
        }
      }
    }
  });
  return readers;
}

/** A gauge without labels read from a number at scrape time (requests in flight, open sessions). */
export function readGauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    }
  });
}
