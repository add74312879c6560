import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from 'fastify';
import type { Tenant } from '../tenants/index.ts';
import { AuthError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant of the request's credential; set before any handler of a non-public route runs. */
    tenant: Tenant | null;
  }
  interface FastifyContextConfig {
    /** Served without credentials (token endpoint, OpenAPI document). */
    public?: boolean;
  }
}

/** One route, served at each of its paths. */
export interface RouteSpec {
  method: HTTPMethods;
  paths: readonly string[];
  schema: FastifySchema;
  public?: boolean;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> | unknown;
}

/**
 * Registers a route at every one of its paths.
 * @example addRoute(app, { method: 'GET', paths: underPrefixes('/describe'), schema, handler });
 */
export function addRoute(app: FastifyInstance, spec: RouteSpec): void {
  for (const url of spec.paths) {
    app.route({
      method: spec.method,
      url,
      schema: spec.schema,
      config: { public: spec.public ?? false },
      handler: spec.handler,
    });
  }
}

/**
 * The authenticated tenant of a request.
 * @example const tenant = tenantOf(request);
 */
export function tenantOf(request: FastifyRequest): Tenant {
  if (!request.tenant) throw new AuthError();
  return request.tenant;
}

/** A path parameter as a string. */
export function param(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** Whether a parsed body is a JSON object (not an array, a string or nothing). */
export function isJsonObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}
