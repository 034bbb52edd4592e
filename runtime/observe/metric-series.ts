import type { Metric, Registry } from 'prom-client';

/**
 * Histograms and counters whose series are bound once per label set. prom-client's own `observe`, even on a
 * `labels(...)` child, validates and hashes the labels on every call (about 1 µs measured, a few percent of an
 * echo tools/call); a bound series is a few array writes. prom-client's Registry still formats the exposition:
 * these metrics hand it the same values its Histogram and Counter would (`get()`).
 */

/** Past this many label sets a metric folds new ones into one series labelled OVERFLOW (a kind's bug must not eat memory). */
export const MAX_SERIES = 2_000;
export const OVERFLOW = '_OTHER';

type LabelSet = Readonly<Record<string, string>>;

export class HistogramSeries {
  /** Observations per bucket, not cumulative (the exposition adds them up). */
  private readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    readonly labels: LabelSet
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(seconds: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    if (i < bounds.length) this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }

  cumulative(): number[] {
    let total = 0;
    return Array.from(this.counts, (c) => (total += c));
  }
}

export class CounterSeries {
  value = 0;
  constructor(readonly labels: LabelSet) {}
  inc(by = 1): void {
    this.value += by;
  }
}

/** The series of one metric, found by their label values (in `labelNames` order) through one Map per label. */
class SeriesTree<S> {
  private readonly root = new Map<string, unknown>();
  readonly all: S[] = [];

  constructor(
    private readonly labelNames: readonly string[],
    private readonly make: (labels: LabelSet) => S
  ) {}

  at(values: readonly string[]): S {
    let node = this.root;
    const last = this.labelNames.length - 1;
    if (last < 0) return (this.all[0] ??= this.make({}));
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]!) as Map<string, unknown> | undefined;
      if (next === undefined) {
        if (this.all.length >= MAX_SERIES) return this.overflow();
        node.set(values[i]!, (next = new Map()));
      }
      node = next;
    }
    let series = node.get(values[last]!) as S | undefined;
    if (series === undefined) {
      if (this.all.length >= MAX_SERIES) return this.overflow();
      series = this.make(Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]!])));
      node.set(values[last]!, series);
      this.all.push(series);
    }
    return series;
  }

  private overflow(): S {
    let node = this.root;
    for (let i = 0; i < this.labelNames.length - 1; i++) {
      let next = node.get(OVERFLOW) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(OVERFLOW, next);
      }
      node = next;
    }
    let series = node.get(OVERFLOW) as S | undefined;
    if (series === undefined) {
      series = this.make(Object.fromEntries(this.labelNames.map((n) => [n, OVERFLOW])));
      node.set(OVERFLOW, series);
      this.all.push(series);
    }
    return series;
  }
}

interface Exposed {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly metricName?: string;
}

/** What prom-client's Registry reads of a metric (see Registry.getMetricsAsString): name, help, type and `get()`. */
abstract class BoundMetric<S> {
  readonly aggregator = 'sum';
  readonly tree: SeriesTree<S>;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    make: (labels: LabelSet) => S
  ) {
    this.tree = new SeriesTree(labelNames, make);
  }

  abstract readonly type: 'histogram' | 'counter';
  protected abstract values(): Exposed[];

  async get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.values() };
  }

  /** The series of these label values (in `labelNames` order): bind it once, then observe cheaply. */
  series(values: readonly string[]): S {
    return this.tree.at(values);
  }

  register(registry: Registry): this {
    registry.registerMetric(this as unknown as Metric);
    return this;
  }
}

export class BoundHistogram extends BoundMetric<HistogramSeries> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly bounds: readonly number[]
  ) {
    super(name, help, labelNames, (labels) => new HistogramSeries(bounds, labels));
  }

  protected values(): Exposed[] {
    const out: Exposed[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.tree.all) {
      const cumulative = s.cumulative();
      this.bounds.forEach((le, i) => out.push({ metricName: bucket, labels: { ...s.labels, le }, value: cumulative[i]! }));
      out.push({ metricName: bucket, labels: { ...s.labels, le: '+Inf' }, value: s.count });
      out.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
      out.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
    }
    return out;
  }
}

export class BoundCounter extends BoundMetric<CounterSeries> {
  readonly type = 'counter';

  constructor(name: string, help: string, labelNames: readonly string[]) {
    super(name, help, labelNames, (labels) => new CounterSeries(labels));
  }

  protected values(): Exposed[] {
    return this.tree.all.map((s) => ({ labels: s.labels, value: s.value }));
  }
}
