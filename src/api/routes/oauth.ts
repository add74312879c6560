import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RequestError } from '../../errors.ts';
import type { TenantRegistry } from '../../tenants/index.ts';
import { parseBasic } from '../auth.ts';
import { AuthError } from '../errors.ts';
import { addRoute, isJsonObject } from '../route.ts';
import { AuthErrorResponse, RequestErrorResponse, TokenRequest, TokenResponse } from '../schemas.ts';

function field(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}

/** Client id and secret from the form, or else from HTTP Basic (both are in use). */
function clientCredentials(request: FastifyRequest, body: Record<string, unknown>) {
  const id = field(body, 'client_id');
  const secret = field(body, 'client_secret');
  if (id !== undefined && secret !== undefined) return { id, secret };
  const basic =
    typeof request.headers.authorization === 'string' && parseBasic(request.headers.authorization);
  return basic ? { id: basic.user, secret: basic.secret } : undefined;
}

/**
 * `POST /oauth/token`: the client-credentials grant. The token then goes in `Authorization: Bearer`.
 * @example await app.register((scope) => registerOAuthRoutes(scope, tenants));
 */
export async function registerOAuthRoutes(app: FastifyInstance, tenants: TenantRegistry): Promise<void> {
  await app.register(formbody);
  addRoute(app, {
    method: 'POST',
    paths: ['/oauth/token'],
    public: true,
    schema: {
      summary: 'Issue an OAuth access token (client credentials, in the form or as HTTP Basic)',
      tags: ['auth'],
      body: TokenRequest,
      response: { 200: TokenResponse, 400: RequestErrorResponse, 401: AuthErrorResponse },
    },
    handler: async (request) => {
      const body = isJsonObject(request.body) ? request.body : {};
      const grant = field(body, 'grant_type');
      if (grant !== 'client_credentials') {
        throw new RequestError(`grant_type must be client_credentials, not '${grant ?? ''}'`);
      }
      const client = clientCredentials(request, body);
      const tenant = client && (await tenants.authenticateClient(client.id, client.secret));
      if (!tenant) throw new AuthError();
      const token = tenants.issueToken(tenant);
      return {
        access_token: token.accessToken,
        token_type: 'bearer',
        expires_in: token.expiresIn,
        scope: token.scope,
        jti: token.jti,
      };
    },
  });
}
