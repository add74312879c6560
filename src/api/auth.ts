import type { FastifyRequest } from 'fastify';
import type { Tenant, TenantRegistry } from '../tenants/index.ts';
import { AuthError } from './errors.ts';

/** A user:password pair from an HTTP Basic header, or undefined when it is not one. */
export function parseBasic(header: string): { user: string; secret: string } | undefined {
  const m = /^basic\s+(\S+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The tenant of a request, from whichever credential it carries: `Authorization: Bearer <token>`,
 * `Authorization: Basic <user:password>`, or the `apiAccessKeyId` / `apiSecretAccessKey` headers.
 * Throws AuthError when none is present or the one present is wrong.
 * @example const tenant = await authenticate(request, tenants);
 */
export async function authenticate(request: FastifyRequest, tenants: TenantRegistry): Promise<Tenant> {
  const authorization = single(request.headers.authorization);
  let tenant: Tenant | undefined;
  if (authorization !== undefined) {
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(authorization);
    if (bearer) tenant = tenants.authenticateToken(bearer[1]!);
    else {
      const basic = parseBasic(authorization);
      if (basic) tenant = await tenants.authenticatePassword(basic.user, basic.secret);
    }
  } else {
    const user = single(request.headers.apiaccesskeyid);
    const secret = single(request.headers.apisecretaccesskey);
    if (user !== undefined && secret !== undefined) tenant = await tenants.authenticatePassword(user, secret);
  }
  if (!tenant) throw new AuthError();
  return tenant;
}
