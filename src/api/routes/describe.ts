import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { RecordError } from '../../errors.ts';
import { getObject, type ObjectDef, objects } from '../../schema/index.ts';
import { describeListXml, describeObjectXml } from '../describe-xml.ts';
import { underPrefixes } from '../paths.ts';
import { addRoute, param } from '../route.ts';
import { AuthErrorResponse, AuthHeaders, DescribeParams, RecordErrorResponse } from '../schemas.ts';

const XML = 'text/xml; charset=utf-8';

/**
 * An object of the data model by the name a URL gives it: any case, and Zuora's hyphenated
 * REST spelling (`invoice-item`) as well as the API name.
 * @example resolveObject('invoice-item').name === 'InvoiceItem'
 */
export function resolveObject(name: string): ObjectDef {
  const object = getObject(name) ?? getObject(name.replace(/[-_]/g, ''));
  if (!object) throw new RecordError('INVALID_VALUE', `noSuchDataSource: ${name}`);
  return object;
}

function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * `GET /v1/describe` and `GET /v1/describe/{Object}`: the object catalogue as XML.
 * @example registerDescribeRoutes(app);
 */
export function registerDescribeRoutes(app: FastifyInstance): void {
  addRoute(app, {
    method: 'GET',
    paths: underPrefixes('/describe'),
    schema: {
      summary: 'List the objects AQuA can export',
      tags: ['describe'],
      headers: AuthHeaders,
      response: { 200: Type.String({ description: 'XML <objects>' }), 401: AuthErrorResponse },
    },
    handler: (request, reply) => reply.type(XML).send(describeListXml(objects, origin(request))),
  });

  addRoute(app, {
    method: 'GET',
    paths: underPrefixes('/describe/:object'),
    schema: {
      summary: 'Describe one object: fields and related objects',
      tags: ['describe'],
      headers: AuthHeaders,
      params: DescribeParams,
      response: {
        200: Type.String({ description: 'XML <object>' }),
        400: RecordErrorResponse,
        401: AuthErrorResponse,
      },
    },
    handler: (request, reply) => {
      const object = resolveObject(param(request, 'object'));
      return reply.type(XML).send(describeObjectXml(object, origin(request)));
    },
  });
}
