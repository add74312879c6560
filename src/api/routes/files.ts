import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { JobService } from '../../jobs/index.ts';
import { NotFoundError } from '../errors.ts';
import { FILE_PATHS } from '../paths.ts';
import { addRoute, param, tenantOf } from '../route.ts';
import { AuthErrorResponse, AuthHeaders, FileParams, RequestErrorResponse } from '../schemas.ts';

/**
 * Result file downloads, at every path clients use. The body is streamed, so it goes out chunked
 * with no Content-Length (one client only reads files that way).
 * @example registerFileRoutes(app, jobs);
 */
export function registerFileRoutes(app: FastifyInstance, jobs: JobService): void {
  addRoute(app, {
    method: 'GET',
    paths: FILE_PATHS,
    schema: {
      summary: 'Download a result file',
      tags: ['files'],
      headers: AuthHeaders,
      params: FileParams,
      response: {
        200: Type.String({ description: 'CSV, ZIP, gzip or PGP bytes' }),
        401: AuthErrorResponse,
        404: RequestErrorResponse,
      },
    },
    handler: async (request, reply) => {
      const file = await jobs.openFile(tenantOf(request), param(request, 'fileId'));
      if (!file) throw new NotFoundError('File not found');
      return reply.type(file.contentType).send(file.stream);
    },
  });
}
