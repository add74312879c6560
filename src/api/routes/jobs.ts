import type { FastifyInstance } from 'fastify';
import { AquaError } from '../../errors.ts';
import type { JobService } from '../../jobs/index.ts';
import { underPrefixes } from '../paths.ts';
import { addRoute, param, tenantOf } from '../route.ts';
import {
  AuthErrorResponse,
  AuthHeaders,
  JobParams,
  JobResponse,
  RequestErrorResponse,
  SessionParams,
  SubmitBody,
  SubmitHeaders,
} from '../schemas.ts';

function unknownJob(): AquaError {
  return new AquaError('90002');
}

const responses = { 200: JobResponse, 400: RequestErrorResponse, 401: AuthErrorResponse };

/**
 * The batch-query routes: submit, status, cancel, and a stateful session's last completed job.
 * @example registerJobRoutes(app, jobs);
 */
export function registerJobRoutes(app: FastifyInstance, jobs: JobService): void {
  addRoute(app, {
    method: 'POST',
    paths: underPrefixes('/batch-query'),
    schema: {
      summary: 'Submit an AQuA job',
      tags: ['jobs'],
      headers: SubmitHeaders,
      body: SubmitBody,
      response: responses,
    },
    handler: (request) => {
      const key = request.headers['idempotency-key'];
      const opts = typeof key === 'string' && key !== '' ? { idempotencyKey: key } : {};
      return jobs.submit(tenantOf(request), request.body, opts);
    },
  });

  addRoute(app, {
    method: 'GET',
    paths: underPrefixes('/batch-query/jobs/:id'),
    schema: {
      summary: 'Job status and results',
      tags: ['jobs'],
      headers: AuthHeaders,
      params: JobParams,
      response: responses,
    },
    handler: (request) => {
      const job = jobs.get(tenantOf(request), param(request, 'id'));
      if (!job) throw unknownJob();
      return job;
    },
  });

  addRoute(app, {
    method: 'DELETE',
    paths: underPrefixes('/batch-query/jobs/:id'),
    schema: {
      summary: 'Cancel a job that has not finished (finished: 90003, HTTP 200)',
      tags: ['jobs'],
      headers: AuthHeaders,
      params: JobParams,
      response: responses,
    },
    handler: (request) => jobs.cancel(tenantOf(request), param(request, 'id')),
  });

  addRoute(app, {
    method: 'GET',
    paths: underPrefixes('/batch-query/jobs/partner/:partner/project/:project'),
    schema: {
      summary: 'The last completed job of a stateful session',
      tags: ['jobs'],
      headers: AuthHeaders,
      params: SessionParams,
      response: responses,
    },
    handler: (request) => {
      const job = jobs.lastCompleted(tenantOf(request), param(request, 'partner'), param(request, 'project'));
      if (!job) throw unknownJob();
      return job;
    },
  });
}
