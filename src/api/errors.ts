import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { AQUA_MESSAGES, AquaError, RecordError, RequestError } from '../errors.ts';

/** The challenge sent with every 401: the three schemes Zuora's clients know. */
export const WWW_AUTHENTICATE = 'Basic realm=Zuora API, ZSession realm=Zuora API, Bearer realm=Zuora API';

/** Missing or bad credentials: the only thing that answers 401. */
export class AuthError extends Error {
  constructor() {
    super('Authentication error');
    this.name = 'AuthError';
  }
}

/** Something the caller may not see or that does not exist (a file, a route): 404. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A credential or a client address over its rate limit: 429 with the RateLimit headers. */
export class TooManyRequestsError extends Error {
  /** `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `Retry-After`. */
  readonly headers: Record<string, string>;
  constructor(detail: string, headers: Record<string, string>) {
    super(`Too many requests: ${detail}`);
    this.name = 'TooManyRequestsError';
    this.headers = headers;
  }
}

/** An error as an HTTP answer. */
export interface ErrorResponse {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Zuora's category codes (last two digits of a REST error code), prefixed by the generic resource 500000. */
const MALFORMED_REQUEST = 50000090;
const NOT_FOUND = 50000040;
const TOO_MANY_REQUESTS = 50000429;

interface HttpishError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/** The HTTP-level errors the framework raises before a handler runs (body parsing, sizes). */
function frameworkError(err: HttpishError): RequestError | undefined {
  const status = typeof err.statusCode === 'number' ? err.statusCode : 0;
  if (status < 400 || status >= 500) return undefined;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new RequestError('Content-Type must be application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new RequestError('The request body is empty; a JSON object is required');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new RequestError(`The request body is not valid JSON: ${String(err.message)}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new RequestError('The request body is too large', 413);
    default:
      return new RequestError(String(err.message ?? 'Bad request'), status);
  }
}

/**
 * Turns any error into the response AQuA clients expect. This is the only place that does so.
 * - AquaError: HTTP 200, the job echo with `status:"error"`, `errorCode` (a string) and the fixed message.
 * - RequestError (and body parsing errors): HTTP 400 `{"success":false,"code":50000090,"message"}`.
 * - RecordError (CRUD, describe): `{"Success":false,"Errors":[{"Code","Message"}]}`, 404 for an unknown id.
 * - AuthError: 401 with the WWW-Authenticate challenge. NotFoundError: 404.
 * - TooManyRequestsError: 429 `{"success":false,"code":50000429,"message"}` with the RateLimit headers.
 * - Anything else: HTTP 200 with the 90010 body; the cause is logged, never sent.
 * @example errorResponse(new AquaError('90002'), log).body.errorCode === '90002'
 */
export function errorResponse(err: unknown, log: FastifyBaseLogger): ErrorResponse {
  if (err instanceof AquaError) {
    return {
      status: 200,
      body: { ...err.job, status: 'error', errorCode: err.code, message: AQUA_MESSAGES[err.code] },
    };
  }
  if (err instanceof RequestError) {
    return { status: err.status, body: { success: false, code: MALFORMED_REQUEST, message: err.message } };
  }
  if (err instanceof RecordError) {
    return {
      status: err.code === 'INVALID_ID' ? 404 : 400,
      body: { Success: false, Errors: [{ Code: err.code, Message: err.message }] },
    };
  }
  if (err instanceof AuthError) {
    return { status: 401, body: { message: err.message }, headers: { 'WWW-Authenticate': WWW_AUTHENTICATE } };
  }
  if (err instanceof NotFoundError) {
    return { status: 404, body: { success: false, code: NOT_FOUND, message: err.message } };
  }
  if (err instanceof TooManyRequestsError) {
    return {
      status: 429,
      body: { success: false, code: TOO_MANY_REQUESTS, message: err.message },
      headers: err.headers,
    };
  }
  const framework = err && typeof err === 'object' ? frameworkError(err as HttpishError) : undefined;
  if (framework) return errorResponse(framework, log);
  log.error({ err }, 'unexpected error');
  return {
    status: 200,
    body: { status: 'error', errorCode: '90010', message: AQUA_MESSAGES['90010'] },
  };
}

/**
 * Sends the response of an error.
 * @example app.setErrorHandler((err, req, reply) => sendError(reply, err));
 */
export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const r = errorResponse(err, reply.log);
  if (r.headers) reply.headers(r.headers);
  return reply.code(r.status).type('application/json; charset=utf-8').send(r.body);
}
