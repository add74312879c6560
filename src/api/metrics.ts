import type { JobService } from '../jobs/index.ts';
import { Counter, Gauge, Histogram, MetricRegistry } from './metrics-registry.ts';

/** Upper bounds of the HTTP latency buckets, in seconds. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Upper bounds of the batch duration buckets, in seconds (a query may run for hours). */
const BATCH_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 10800];

/** The server's metrics: what `/metrics` shows. No label names a tenant. */
export interface ServerMetrics {
  readonly registry: MetricRegistry;
  /** Records one answered HTTP request; `route` is the route's pattern, never the raw path. */
  requestDone(method: string, route: string, status: number, seconds: number): void;
  /** Stops listening to the job service. */
  close(): void;
}

/**
 * Metrics of the job service (jobs by status, queue depth, batch durations, rows and bytes exported) and of
 * the HTTP layer (request latency by route and status).
 * @example
 * const metrics = createServerMetrics(jobs);
 * metrics.requestDone('GET', '/v1/batch-query/jobs/:id', 200, 0.004);
 * metrics.registry.render(); // Prometheus text
 */
export function createServerMetrics(jobs: JobService): ServerMetrics {
  const registry = new MetricRegistry();
  registry.add(
    new Gauge('openaqua_jobs', 'Job records by status (every tenant, within job retention)', () =>
      Object.entries(jobs.stats().byStatus).map(([status, value]) => ({ labels: { status }, value })),
    ),
  );
  registry.add(
    new Gauge('openaqua_queue_depth', 'Jobs submitted and waiting to run', () => [
      { labels: {}, value: jobs.stats().byStatus.submitted },
    ]),
  );
  const ended = registry.add(new Counter('openaqua_jobs_ended_total', 'Jobs that ended, by final status'));
  const batches = registry.add(
    new Histogram('openaqua_batch_duration_seconds', 'Run time of finished batches', BATCH_BUCKETS),
  );
  const rows = registry.add(new Counter('openaqua_exported_rows_total', 'Records written to result files'));
  const bytes = registry.add(new Counter('openaqua_exported_bytes_total', 'Bytes of result files written'));
  const http = registry.add(
    new Histogram('openaqua_http_request_duration_seconds', 'HTTP request latency', HTTP_BUCKETS),
  );
  const stop = jobs.observe({
    batchFinished(e) {
      batches.observe({}, e.seconds);
      rows.inc({}, e.rows);
      bytes.inc({}, e.bytes);
    },
    jobEnded(e) {
      ended.inc({ status: e.status });
    },
  });
  return {
    registry,
    requestDone(method, route, status, seconds) {
      http.observe({ method, route, status: String(status) }, seconds);
    },
    close: stop,
  };
}
