/**
 * A small metrics registry that writes the Prometheus text exposition format (version 0.0.4):
 * counters and histograms kept in memory, gauges read when scraped.
 */

export type Labels = Readonly<Record<string, string>>;

/** The Content-Type of the text format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function numberText(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  return Number.isNaN(n) ? 'NaN' : String(n);
}

/** Series keyed by their label text, so one label set is one series whatever the key order. */
function keyOf(labels: Labels): string {
  return labelText(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))));
}

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  samples(): string[];
}

/** A value that only goes up. */
export class Counter implements Metric {
  readonly type = 'counter';
  private readonly series = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** Adds `by` (default 1) to the series of `labels`. */
  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const s = this.series.get(key) ?? { labels, value: 0 };
    s.value += by;
    this.series.set(key, s);
  }

  samples(): string[] {
    return [...this.series.values()].map((s) => `${this.name}${labelText(s.labels)} ${numberText(s.value)}`);
  }
}

/** A value read at scrape time from `collect`, one sample per label set it returns. */
export class Gauge implements Metric {
  readonly type = 'gauge';
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly collect: () => readonly { labels: Labels; value: number }[],
  ) {}

  samples(): string[] {
    return this.collect().map((s) => `${this.name}${labelText(s.labels)} ${numberText(s.value)}`);
  }
}

/** Observations counted into cumulative buckets, with their sum and count. */
export class Histogram implements Metric {
  readonly type = 'histogram';
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
  ) {}

  /** Records one observation in the series of `labels`. */
  observe(labels: Labels, value: number): void {
    const key = keyOf(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (const [i, bound] of this.buckets.entries()) if (value <= bound) s.counts[i]! += 1;
    s.sum += value;
    s.count += 1;
  }

  samples(): string[] {
    const out: string[] = [];
    for (const s of this.series.values()) {
      for (const [i, bound] of this.buckets.entries()) {
        out.push(`${this.name}_bucket${labelText({ ...s.labels, le: numberText(bound) })} ${s.counts[i]}`);
      }
      out.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      out.push(`${this.name}_sum${labelText(s.labels)} ${numberText(s.sum)}`);
      out.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return out;
  }
}

/**
 * The metrics of one process, written in registration order.
 * @example
 * const registry = new MetricRegistry();
 * const rows = registry.add(new Counter('rows_total', 'Rows written'));
 * rows.inc({}, 10);
 * registry.render(); // '# HELP rows_total Rows written\n# TYPE rows_total counter\nrows_total 10\n'
 */
export class MetricRegistry {
  private readonly metrics: Metric[] = [];

  /** Registers a metric and returns it. */
  add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }

  /** Every metric in the text format, ending with a newline. */
  render(): string {
    const lines: string[] = [];
    for (const m of this.metrics) {
      lines.push(`# HELP ${m.name} ${m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      lines.push(`# TYPE ${m.name} ${m.type}`);
      lines.push(...m.samples());
    }
    return `${lines.join('\n')}\n`;
  }
}
