import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Clock, systemClock } from '../clock.ts';
import { RATE_LIMIT_WINDOW_MILLIS } from '../limits.ts';
import { parseBasic } from './auth.ts';
import { TooManyRequestsError } from './errors.ts';
import { WindowCounter, type WindowState } from './rate-limit-window.ts';

/** Rate limits of the API; 0 turns a limit off. */
export interface RateLimitOptions {
  /** Requests per window for one credential (a tenant's user, or its OAuth client's tokens). */
  requests: number;
  /**
   * Failed authentications per window from one client address; past it, that address's requests that
   * would check a secret are refused before the (deliberately slow) check runs.
   */
  authFailures: number;
  /** Window length; default RATE_LIMIT_WINDOW_MILLIS (a minute). */
  windowMillis?: number;
  clock?: Clock;
}

/** The OAuth token route checks a client secret although it needs no credential to be reached. */
const TOKEN_ROUTE = '/oauth/token';

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isBearer(request: FastifyRequest): boolean {
  return /^bearer\s/i.test(single(request.headers.authorization) ?? '');
}

/**
 * Which credential of the tenant a request used: its user name, or `oauth` for any access token (a
 * tenant has one OAuth client, so minting more tokens gives no more requests).
 */
function credentialOf(request: FastifyRequest): string {
  const authorization = single(request.headers.authorization);
  if (authorization !== undefined) {
    if (isBearer(request)) return 'oauth';
    const basic = parseBasic(authorization);
    if (basic) return `user:${basic.user}`;
  }
  return `user:${single(request.headers.apiaccesskeyid) ?? ''}`;
}

/** The OAuth client id a token request names (form field, else HTTP Basic); undefined for other routes. */
function tokenClientOf(request: FastifyRequest): string | undefined {
  if (request.routeOptions.url !== TOKEN_ROUTE) return undefined;
  const body = request.body;
  const fromForm =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).client_id : undefined;
  if (typeof fromForm === 'string') return fromForm;
  const authorization = single(request.headers.authorization);
  return (authorization !== undefined && parseBasic(authorization)?.user) || '';
}

function headersOf(state: WindowState): Record<string, string> {
  return {
    'RateLimit-Limit': String(state.limit),
    'RateLimit-Remaining': String(state.remaining),
    'RateLimit-Reset': String(state.resetSeconds),
  };
}

/** Whether answering the request would check a secret (scrypt): Basic, access-key headers, token route. */
function checksSecret(request: FastifyRequest): boolean {
  if (isBearer(request)) return false;
  if (request.routeOptions.url === TOKEN_ROUTE) return true;
  return !request.routeOptions.config?.public;
}

/**
 * Installs the rate limits; call it before the authentication hook is added.
 * - Every authenticated response carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
 *   (seconds) for its credential; past the limit the answer is 429 until the window starts over.
 * - Access tokens issued to one OAuth client count the same way (each issue checks the client secret).
 * - Failed authentications (401) are counted per client address; once an address has too many in a
 *   window, its requests that would check a secret get 429 at once, so a flood of bad credentials
 *   neither guesses on nor takes the hashing threads from everyone else. Access tokens still work.
 * @example installRateLimit(app, { requests: 600, authFailures: 60 }); // then the auth hook
 */
export function installRateLimit(app: FastifyInstance, opts: RateLimitOptions): void {
  const clock = opts.clock ?? systemClock;
  const windowMillis = opts.windowMillis ?? RATE_LIMIT_WINDOW_MILLIS;
  const requests = new WindowCounter(windowMillis, clock);
  const failures = new WindowCounter(windowMillis, clock);
  const tokens = new WindowCounter(windowMillis, clock);

  if (opts.authFailures > 0) {
    app.addHook('onRequest', async (request) => {
      if (!checksSecret(request)) return;
      const state = failures.peek(request.ip, opts.authFailures);
      if (state.remaining > 0) return;
      throw new TooManyRequestsError(
        `${state.count} failed authentications from this address; retry in ${state.resetSeconds} s`,
        { ...headersOf(state), 'Retry-After': String(state.resetSeconds) },
      );
    });
    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode === 401) failures.hit(request.ip, opts.authFailures);
    });
  }

  if (opts.requests > 0) {
    // Tokens issued count against their OAuth client too: each one costs a secret check.
    app.addHook('preHandler', async (request) => {
      const client = tokenClientOf(request);
      if (client === undefined) return;
      const state = tokens.peek(client, opts.requests);
      if (state.remaining > 0) return;
      throw new TooManyRequestsError(
        `more than ${opts.requests} access tokens in ${windowMillis / 1000} s for this client; retry in ${state.resetSeconds} s`,
        { ...headersOf(state), 'Retry-After': String(state.resetSeconds) },
      );
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const client = reply.statusCode === 200 ? tokenClientOf(request) : undefined;
      if (client !== undefined) reply.headers(headersOf(tokens.hit(client, opts.requests)));
      return payload;
    });

    // After authentication (onRequest) and before the body is read.
    app.addHook('preParsing', async (request, reply, payload) => {
      if (!request.tenant) return payload;
      const state = requests.hit(`${request.tenant.id}\n${credentialOf(request)}`, opts.requests);
      const headers = headersOf(state);
      if (state.count > opts.requests) {
        throw new TooManyRequestsError(
          `more than ${opts.requests} requests in ${windowMillis / 1000} s with this credential; retry in ${state.resetSeconds} s`,
          { ...headers, 'Retry-After': String(state.resetSeconds) },
        );
      }
      reply.headers(headers);
      return payload;
    });
  }
}
