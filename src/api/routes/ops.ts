import type { FastifyInstance } from 'fastify';
import type { JobService } from '../../jobs/index.ts';
import type { TenantRegistry } from '../../tenants/index.ts';
import { createServerMetrics } from '../metrics.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics-registry.ts';
import { logJobEvents } from '../ops-job-log.ts';

const hidden = { hide: true };

/**
 * Operations endpoints, all public: `/healthz` (the process answers), `/readyz` (the tenant and job
 * tables can be read; 503 when not) and `/metrics` (Prometheus text; aggregate numbers only, no tenant
 * names). Also times every request for the latency histogram and logs job events with their job id.
 * @example registerOpsRoutes(app, { tenants, jobs }); // GET /healthz → {"status":"ok"}
 */
export function registerOpsRoutes(
  app: FastifyInstance,
  deps: { tenants: TenantRegistry; jobs: JobService },
): void {
  const metrics = createServerMetrics(deps.jobs);
  const stopLog = logJobEvents(deps.jobs, app.log);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requestDone(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('onClose', async () => {
    metrics.close();
    stopLog();
  });

  app.get('/healthz', { schema: hidden, config: { public: true } }, () => ({ status: 'ok' }));

  app.get('/readyz', { schema: hidden, config: { public: true } }, (request, reply) => {
    try {
      deps.tenants.isEmpty();
      deps.jobs.stats();
      return { status: 'ready' };
    } catch (err) {
      request.log.warn({ err }, 'not ready');
      return reply
        .code(503)
        .send({ status: 'unavailable', message: err instanceof Error ? err.message : String(err) });
    }
  });

  app.get('/metrics', { schema: hidden, config: { public: true } }, (_request, reply) =>
    reply.type(PROMETHEUS_CONTENT_TYPE).send(metrics.registry.render()),
  );
}
