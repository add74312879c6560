import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { JobService } from '../../jobs/index.ts';
import { listFilter } from '../finder/filter.ts';
import { underPrefixes } from '../paths.ts';
import { addRoute, tenantOf } from '../route.ts';
import { AuthErrorResponse, AuthHeaders, RequestErrorResponse } from '../schemas.ts';

const ListQuery = Type.Object({
  status: Type.Optional(
    Type.String({ description: 'submitted, executing, completed, aborted, cancelled or error' }),
  ),
  partner: Type.Optional(Type.String()),
  project: Type.Optional(Type.String()),
  name: Type.Optional(Type.String({ description: 'part of the job name, any case' })),
  hours: Type.Optional(
    Type.String({ description: 'jobs submitted in the last this many hours; default 72' }),
  ),
});

/**
 * `GET /v1/batch-query/jobs` (an openaqua extension, not part of Zuora's AQuA): the tenant's jobs of the
 * last 72 hours, newest first, as `{"jobs":[<job JSON>...]}`, each job with `submittedAt`, `startedAt` and
 * `finishedAt` in epoch ms added.
 * @example registerJobListRoute(app, jobs); // GET /v1/batch-query/jobs?status=completed&hours=24
 */
export function registerJobListRoute(app: FastifyInstance, jobs: JobService): void {
  addRoute(app, {
    method: 'GET',
    paths: underPrefixes('/batch-query/jobs'),
    schema: {
      summary: 'List recent jobs (openaqua extension)',
      tags: ['jobs'],
      headers: AuthHeaders,
      querystring: ListQuery,
      response: {
        200: Type.Object({ jobs: Type.Array(Type.Object({}, { additionalProperties: true })) }),
        400: RequestErrorResponse,
        401: AuthErrorResponse,
      },
    },
    handler: (request) => {
      const listed = jobs.list(tenantOf(request), listFilter(request.query));
      return {
        jobs: listed.map((j) => ({
          ...j.json,
          submittedAt: j.submittedAt,
          startedAt: j.startedAt,
          finishedAt: j.finishedAt,
        })),
      };
    },
  });
}
