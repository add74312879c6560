import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JobService, Tenant } from '../../jobs/index.ts';
import type { TenantRegistry } from '../../tenants/index.ts';
import { authenticate } from '../auth.ts';
import { AuthError } from '../errors.ts';
import { listFilter } from '../finder/filter.ts';
import { batchesOf } from '../finder/format.ts';
import { html } from '../finder/html.ts';
import { batchFiles, renderJobPage } from '../finder/job-page.ts';
import { page } from '../finder/layout.ts';
import { renderJobList } from '../finder/list-page.ts';
import { param } from '../route.ts';

/** The Finder's own challenge: a quoted realm, so a browser shows its sign-in prompt. */
export const FINDER_CHALLENGE = 'Basic realm="openaqua Job Finder", charset="UTF-8"';

const HTML_TYPE = 'text/html; charset=utf-8';
const config = { public: true };
const schema = { hide: true };

function sendPage(reply: FastifyReply, status: number, body: { text: string }): FastifyReply {
  return reply.code(status).type(HTML_TYPE).header('Cache-Control', 'no-store').send(body.text);
}

function notFound(reply: FastifyReply): FastifyReply {
  const body = page({
    title: 'Not found',
    refresh: false,
    body: html`<p>No such job.</p><p><a href="/jobs">All jobs</a></p>`,
  });
  return sendPage(reply, 404, body);
}

/** The tenant of the request, or undefined after answering 401 with the Finder's challenge. */
async function signedIn(
  request: FastifyRequest,
  reply: FastifyReply,
  tenants: TenantRegistry,
): Promise<Tenant | undefined> {
  try {
    return await authenticate(request, tenants);
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    const body = page({
      title: 'Sign in',
      refresh: false,
      body: html`<p>Sign in with your tenant's user name and password.</p>`,
    });
    sendPage(reply.header('WWW-Authenticate', FINDER_CHALLENGE), 401, body);
    return undefined;
  }
}

function isStateful(job: Record<string, unknown>): boolean {
  return typeof job.partner === 'string' && typeof job.project === 'string' && job.version !== '1.0';
}

/**
 * The Job Finder, server-rendered HTML signed in with HTTP Basic (the tenant's credentials):
 * `/jobs` (filters `status`, `partner`, `project`, `name`, `hours`), `/jobs/{id}`, `DELETE /jobs/{id}`
 * (its Cancel button) and `/jobs/{id}/files/{fileId}` (downloads named `<batch>.<ext>`).
 * Another tenant's job answers 404, as an unknown one does.
 * @example registerFinderRoutes(app, { tenants, jobs }); // open http://127.0.0.1:8080/jobs
 */
export function registerFinderRoutes(
  app: FastifyInstance,
  deps: { tenants: TenantRegistry; jobs: JobService },
): void {
  const { tenants, jobs } = deps;

  app.get('/jobs', { schema, config }, async (request, reply) => {
    const tenant = await signedIn(request, reply, tenants);
    if (!tenant) return reply;
    const filter = listFilter(request.query);
    const body = renderJobList({
      tenantName: tenant.name,
      filter,
      jobs: jobs.list(tenant, filter),
      now: Date.now(),
    });
    return sendPage(reply, 200, body);
  });

  app.get('/jobs/:id', { schema, config }, async (request, reply) => {
    const tenant = await signedIn(request, reply, tenants);
    if (!tenant) return reply;
    const job = jobs.get(tenant, param(request, 'id'));
    if (!job) return notFound(reply);
    return sendPage(reply, 200, renderJobPage({ job, stateful: isStateful(job) }));
  });

  app.delete('/jobs/:id', { schema, config }, async (request, reply) => {
    const tenant = await signedIn(request, reply, tenants);
    if (!tenant) return reply;
    if (!jobs.get(tenant, param(request, 'id'))) return notFound(reply);
    // A job that finished meanwhile answers 90003 through the error mapping, as the API's DELETE does.
    return jobs.cancel(tenant, param(request, 'id'));
  });

  app.get('/jobs/:id/files/:fileId', { schema, config }, async (request, reply) => {
    const tenant = await signedIn(request, reply, tenants);
    if (!tenant) return reply;
    const job = jobs.get(tenant, param(request, 'id'));
    const wanted = param(request, 'fileId');
    const entry =
      job &&
      batchesOf(job)
        .flatMap((b) => batchFiles(job, b))
        .find((f) => f.id === wanted);
    const file = entry && (await jobs.openFile(tenant, entry.id));
    if (!entry || !file) return notFound(reply);
    return reply
      .type(file.contentType)
      .header('Content-Disposition', `attachment; filename="${entry.name}"`)
      .send(file.stream);
  });
}
