/** AQuA error codes and their exact messages (clients compare the text verbatim). */
export const AQUA_MESSAGES = {
  '90001': 'Invalid Batch Id.',
  '90002': 'Invalid Job Id.',
  '90003': 'Invalid Job Id for job cancellation.',
  '90004': 'Invalid number of queries allowed. A maximum of 50 queries are supported in an AQuA request.',
  '90005': 'There is a syntax error in one of the queries in the AQuA input',
  '90006': 'Internal Storage Error.',
  '90007': 'The query execution has been aborted.',
  '90009': 'User is not authorized.',
  '90010': 'Internal Server Error.',
  '90012': 'Stateless AQuA does not support deleted columns.',
  '90014': 'notifyURL must be less than 5000 characters in length.',
  '90015': 'The incremental timestamp is invalid.',
  '90016': 'There are no queries included in the AQuA version 1.0 request.',
  '90017':
    'Objects included in the queries do not support the querying of deleted records. Remove Deleted section in the JSON request and retry the request',
  '90019': 'Partner ID is not recognized.',
  '90020': 'Invalid Distinct column, without Count function.',
  '90021': 'Invalid currency specified in the convertToCurrencies request parameter.',
  '90027': 'The query exceeded maximum processing time.',
  '90028': 'The total number of concurrent jobs has exceeded the limit allowed by the system.',
} as const;

export type AquaCode = keyof typeof AQUA_MESSAGES;

/**
 * An AQuA error: a code with its fixed message, and a detail a person can act on.
 * @example throw new AquaError('90005', "line 1, column 8: unknown field 'Foo' on Account")
 */
export class AquaError extends Error {
  readonly code: AquaCode;
  readonly detail: string;
  /** The job as echoed in the error response (with its `id` when a job record was created). */
  job?: Record<string, unknown>;
  constructor(code: AquaCode, detail?: string, job?: Record<string, unknown>) {
    super(AQUA_MESSAGES[code]);
    this.name = 'AquaError';
    this.code = code;
    this.detail = detail ?? AQUA_MESSAGES[code];
    if (job) this.job = job;
  }
}

/**
 * An error in a query text, with its 1-based position. Becomes 90005 (or 90020) at the API.
 * @example new QueryError('unknown field \'Foo\' on Account', 1, 8).message === "line 1, column 8: unknown field 'Foo' on Account"
 */
export class QueryError extends Error {
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  readonly code: AquaCode;
  constructor(reason: string, line: number, column: number, code: AquaCode = '90005') {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'QueryError';
    this.reason = reason;
    this.line = line;
    this.column = column;
    this.code = code;
  }
}

/**
 * A request that is not AQuA-shaped (bad JSON, wrong type, unknown enum): HTTP 400, code 50000090.
 */
export class RequestError extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.name = 'RequestError';
    this.status = status;
  }
}

/** A record-level error of the CRUD API or a load: bad value, unknown field, missing record. */
export class RecordError extends Error {
  readonly code: 'INVALID_VALUE' | 'INVALID_FIELD' | 'INVALID_ID' | 'MISSING_REQUIRED_VALUE' | 'INVALID_TYPE';
  constructor(code: RecordError['code'], message: string) {
    super(message);
    this.name = 'RecordError';
    this.code = code;
  }
}
