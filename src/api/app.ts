import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { newId } from '../ids.ts';
import type { JobService } from '../jobs/index.ts';
import { MAX_REQUEST_BYTES, MAX_TRACK_ID_LENGTH } from '../limits.ts';
import type { TenantRegistry } from '../tenants/index.ts';
import { authenticate } from './auth.ts';
import { NotFoundError, sendError } from './errors.ts';
import { installRateLimit, type RateLimitOptions } from './rate-limit.ts';
import { registerDescribeRoutes } from './routes/describe.ts';
import { registerFileRoutes } from './routes/files.ts';
import { registerFinderRoutes } from './routes/finder.ts';
import { registerJobListRoute } from './routes/finder-list.ts';
import { registerJobRoutes } from './routes/jobs.ts';
import { registerOAuthRoutes } from './routes/oauth.ts';
import { registerObjectRoutes } from './routes/objects.ts';
import { registerOpsRoutes } from './routes/ops.ts';

export interface AppOptions {
  tenants: TenantRegistry;
  jobs: JobService;
  /** Pino log level; default `silent`. */
  logLevel?: string;
  /** Per-credential and failed-authentication limits; none when absent (`serve` always sets them). */
  rateLimit?: RateLimitOptions;
  /** Only /healthz, /readyz and /metrics: a worker process's HTTP face. */
  opsOnly?: boolean;
}

const TRACK_ID = new RegExp(`^[\\x20-\\x7e]{1,${MAX_TRACK_ID_LENGTH}}$`);

function installBodyParsing(app: FastifyInstance): void {
  // AQuA bodies are JSON only; anything else must fail as a 400, not be read as text.
  app.removeContentTypeParser('text/plain');
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // Some clients send `Content-Type: application/json` on every request, DELETE included, with no body.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') done(null, undefined);
    else json(request, text, done);
  });
}

function installHooks(app: FastifyInstance, tenants: TenantRegistry): void {
  app.decorateRequest('tenant', null);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public) return;
    request.tenant = await authenticate(request, tenants);
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('Zuora-Request-Id', request.id);
    const track = request.headers['zuora-track-id'];
    if (typeof track === 'string' && TRACK_ID.test(track)) reply.header('Zuora-Track-Id', track);
  });
  app.setErrorHandler((err, _request, reply) => sendError(reply, err));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new NotFoundError(`No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}

/**
 * The HTTP application: every AQuA route under `/v1` and `/apps/api`, describe, CRUD, OAuth and
 * `/openapi.json` (with `opsOnly`, just the operations endpoints). Not yet listening.
 * @example
 * const app = await buildApp({ tenants, jobs });
 * await app.listen({ port: 8080, host: '127.0.0.1' });
 */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const options: FastifyServerOptions = {
    logger: { level: opts.logLevel ?? 'silent' },
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    bodyLimit: MAX_REQUEST_BYTES,
    genReqId: () => newId(),
    requestIdHeader: false,
    // A malformed URL is refused before routing; it still gets the API's error shape.
    frameworkErrors: (err, _request, reply) => sendError(reply, err),
  };
  const app = Fastify(options);
  // Schemas document the API; validation and field messages belong to the job service and the store.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installBodyParsing(app);
  if (opts.rateLimit) installRateLimit(app, opts.rateLimit);
  installHooks(app, opts.tenants);
  registerOpsRoutes(app, opts);
  if (opts.opsOnly) return app;

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'openaqua', description: "Zuora's Aggregate Query API (AQuA)", version: '1' },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ basic: [] }, { bearer: [] }],
    },
  });
  await app.register((scope) => registerOAuthRoutes(scope, opts.tenants));
  registerJobRoutes(app, opts.jobs);
  registerJobListRoute(app, opts.jobs);
  registerFinderRoutes(app, opts);
  registerFileRoutes(app, opts.jobs);
  registerDescribeRoutes(app);
  registerObjectRoutes(app, opts.tenants);
  app.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, () => app.swagger());
  return app;
}
