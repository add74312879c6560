import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RecordError } from '../../errors.ts';
import type { TenantRegistry } from '../../tenants/index.ts';
import { underPrefixes } from '../paths.ts';
import { addRoute, isJsonObject, param, tenantOf } from '../route.ts';
import {
  AuthErrorResponse,
  AuthHeaders,
  CreatedResponse,
  DeletedResponse,
  ObjectParams,
  RecordBody,
  RecordErrorResponse,
  RecordParams,
} from '../schemas.ts';
import { resolveObject } from './describe.ts';

/** The fields of a create or update body; the Id comes from the store or the URL, never from the body. */
function recordBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (!isJsonObject(body)) throw new RecordError('INVALID_VALUE', 'the request body must be a JSON object');
  if (Object.keys(body).some((k) => k.toLowerCase() === 'id')) {
    throw new RecordError('INVALID_FIELD', 'Id cannot be set; it is assigned when the record is created');
  }
  return body;
}

/** Zuora's retrieve lists the fields that hold a value; empty ones are left out. */
function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null));
}

const errors = { 400: RecordErrorResponse, 401: AuthErrorResponse, 404: RecordErrorResponse };

/**
 * Zuora's CRUD routes, `/v1/object/{object}[/{id}]`. Every write goes through the tenant's store,
 * so change tracking (and so incremental exports) sees it.
 * Answers: create and update `{"Success":true,"Id"}`; delete `{"success":true,"id"}` (Zuora's
 * documented shapes differ in case, and clients follow them); retrieve the record's fields.
 * @example registerObjectRoutes(app, tenants);
 */
export function registerObjectRoutes(app: FastifyInstance, tenants: TenantRegistry): void {
  const storeOf = (request: FastifyRequest) => tenants.store(tenantOf(request).id);

  addRoute(app, {
    method: 'POST',
    paths: underPrefixes('/object/:object'),
    schema: {
      summary: 'Create a record',
      tags: ['objects'],
      headers: AuthHeaders,
      params: ObjectParams,
      body: RecordBody,
      response: { 200: CreatedResponse, ...errors },
    },
    handler: (request) => {
      const object = resolveObject(param(request, 'object'));
      const id = storeOf(request).create(object.name, recordBody(request));
      return { Success: true, Id: id };
    },
  });

  addRoute(app, {
    method: 'GET',
    paths: underPrefixes('/object/:object/:id'),
    schema: {
      summary: 'Retrieve a record',
      tags: ['objects'],
      headers: AuthHeaders,
      params: RecordParams,
      response: { 200: RecordBody, ...errors },
    },
    handler: (request) => {
      const object = resolveObject(param(request, 'object'));
      const id = param(request, 'id');
      const record = storeOf(request).get(object.name, id);
      if (!record) throw new RecordError('INVALID_ID', `no ${object.name} with Id ${id}`);
      return withoutNulls(record);
    },
  });

  addRoute(app, {
    method: 'PUT',
    paths: underPrefixes('/object/:object/:id'),
    schema: {
      summary: 'Update a record',
      tags: ['objects'],
      headers: AuthHeaders,
      params: RecordParams,
      body: RecordBody,
      response: { 200: CreatedResponse, ...errors },
    },
    handler: (request) => {
      const object = resolveObject(param(request, 'object'));
      const id = param(request, 'id');
      storeOf(request).update(object.name, id, recordBody(request));
      return { Success: true, Id: id };
    },
  });

  addRoute(app, {
    method: 'DELETE',
    paths: underPrefixes('/object/:object/:id'),
    schema: {
      summary: 'Delete a record (kept for incremental exports of deletions)',
      tags: ['objects'],
      headers: AuthHeaders,
      params: RecordParams,
      response: { 200: DeletedResponse, ...errors },
    },
    handler: (request) => {
      const object = resolveObject(param(request, 'object'));
      const id = param(request, 'id');
      storeOf(request).delete(object.name, id);
      return { success: true, id };
    },
  });
}
