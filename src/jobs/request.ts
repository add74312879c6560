import { RequestError } from '../errors.ts';
import { DEFAULT_API_VERSION, MAX_JOB_NAME_LENGTH, MAX_OFFSET_SECONDS } from '../limits.ts';
import type { DeletedSpec, QueryLanguage, ResultFormat } from '../store/meta/jobs.ts';
import { LONE_SURROGATE } from '../text.ts';

/** One `queries[]` item, checked for shape and given its defaults. The text is analyzed later. */
export interface QueryRequest {
  readonly name: string;
  readonly query: string;
  readonly type: QueryLanguage;
  readonly apiVersion: string;
  readonly deleted: DeletedSpec | null;
  readonly convertToCurrencies: readonly string[] | null;
}

/** A submit body, checked for shape and given its defaults. AQuA-level rules (90004...) come after. */
export interface JobRequest {
  readonly format: ResultFormat;
  readonly version: '1.0' | '1.1' | '1.2';
  readonly name: string | null;
  readonly encrypted: 'none' | 'pgp';
  readonly useQueryLabels: boolean;
  readonly dateTimeUtc: boolean;
  readonly nullReplacement: string | null;
  readonly partner: string | null;
  readonly project: string | null;
  /** As sent; read in the tenant zone by the submit step (90015 when it does not parse). */
  readonly incrementalTime: unknown;
  readonly offset: number;
  readonly notifyUrl: string | null;
  /** Absent and `[]` alike are empty. */
  readonly queries: readonly QueryRequest[];
  /** Version 1.1/1.2 with both partner and project. */
  readonly stateful: boolean;
}

type Body = Record<string, unknown>;

const FORMATS: readonly ResultFormat[] = ['csv', 'zip', 'gzip'];
const LANGUAGES: readonly QueryLanguage[] = ['zoql', 'zoqlexport'];

function isObject(v: unknown): v is Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v));
}

/** A boolean as JSON or as the strings "true"/"false" (any case). */
export function readBoolean(v: unknown, field: string, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
  }
  throw new RequestError(`${field} must be true or false, not ${show(v)}`);
}

function readString(v: unknown, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new RequestError(`${field} must be a string, not ${show(v)}`);
  // Query texts are checked by the lexer, which points at the character; no other field may hold a NUL.
  if (!field.endsWith('.query')) {
    if (v.includes('\0')) throw new RequestError(`${field} may not contain the NUL character`);
    if (LONE_SURROGATE.test(v)) throw new RequestError(`${field} holds half of a UTF-16 surrogate pair`);
  }
  return v;
}

function readEnum<T extends string>(v: unknown, field: string, allowed: readonly T[], fallback: T): T {
  if (v === undefined || v === null) return fallback;
  const t = typeof v === 'string' ? v.trim().toLowerCase() : undefined;
  const found = allowed.find((a) => a === t);
  if (!found) throw new RequestError(`${field} must be one of ${allowed.join(', ')}, not ${show(v)}`);
  return found;
}

function readVersion(v: unknown): JobRequest['version'] {
  if (v === undefined || v === null) return '1.0';
  const t = typeof v === 'number' ? v.toFixed(1) : typeof v === 'string' ? v.trim() : undefined;
  if (t === '1.0' || t === '1') return '1.0';
  if (t === '1.1' || t === '1.2') return t;
  throw new RequestError(`version must be 1.0, 1.1 or 1.2, not ${show(v)}`);
}

function readOffset(v: unknown): number {
  if (v === undefined || v === null) return 0;
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > MAX_OFFSET_SECONDS) {
    throw new RequestError(`offset must be an integer from 0 to ${MAX_OFFSET_SECONDS}, not ${show(v)}`);
  }
  return n;
}

function readSession(v: unknown, field: string): string | null {
  const s = readString(v, field);
  return s === null || s.trim() === '' ? null : s;
}

function readDeleted(v: unknown, field: string): DeletedSpec | null {
  if (v === undefined || v === null) return null;
  let item = v;
  if (Array.isArray(v)) {
    if (v.length !== 1) throw new RequestError(`${field} must be an object or an array holding one object`);
    item = v[0];
  }
  if (!isObject(item)) throw new RequestError(`${field} must be an object with column and format`);
  const column = readString(item.column, `${field}.column`);
  if (column === null || column.trim() === '') throw new RequestError(`${field}.column is required`);
  const format = item.format;
  if (format !== 'Numeric' && format !== 'Boolean') {
    throw new RequestError(
      `${field}.format must be Numeric or Boolean (case-sensitive), not ${show(format)}`,
    );
  }
  if (item.forceExport === undefined || item.forceExport === null) return { column, format };
  return { column, format, forceExport: readBoolean(item.forceExport, `${field}.forceExport`, false) };
}

function readCurrencies(v: unknown, field: string): readonly string[] | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.split(',').map((c) => c.trim());
  if (Array.isArray(v) && v.every((c) => typeof c === 'string')) return v as string[];
  throw new RequestError(`${field} must be an array of currency codes`);
}

function readApiVersion(v: unknown, field: string): string {
  if (v === undefined || v === null) return DEFAULT_API_VERSION;
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) ? v.toFixed(1) : String(v);
  if (typeof v === 'string') return v;
  throw new RequestError(`${field} must be a string, not ${show(v)}`);
}

function readQuery(v: unknown, index: number): QueryRequest {
  const field = `queries[${index}]`;
  if (!isObject(v)) throw new RequestError(`${field} must be an object`);
  const query = readString(v.query, `${field}.query`);
  if (query === null) throw new RequestError(`${field}.query is required`);
  return {
    name: readString(v.name, `${field}.name`) ?? `query${index + 1}`,
    query,
    type: readEnum(v.type, `${field}.type`, LANGUAGES, 'zoqlexport'),
    apiVersion: readApiVersion(v.apiVersion, `${field}.apiVersion`),
    deleted: readDeleted(v.deleted, `${field}.deleted`),
    convertToCurrencies: readCurrencies(v.convertToCurrencies, `${field}.convertToCurrencies`),
  };
}

/** What the request check needs to know of the tenant: `encrypted: "pgp"` needs a registered key. */
export interface RequestingTenant {
  readonly name: string;
  readonly pgpFingerprint?: string;
}

/**
 * Checks the shape of a submit body and fills in defaults. Throws RequestError naming the field for
 * anything that is not AQuA-shaped (a non-object body, a wrong type, a value outside an enum), and for
 * `encrypted: "pgp"` when the tenant has no PGP key.
 * @example readJobRequest({ format: 'Zip', version: 1.1, queries: [] }).format === 'zip'
 */
export function readJobRequest(body: unknown, tenant?: RequestingTenant): JobRequest {
  if (!isObject(body)) throw new RequestError('The request body must be a JSON object');
  const format = readEnum(body.format, 'format', FORMATS, 'csv');
  const version = readVersion(body.version);
  const name = readString(body.name, 'name');
  if (name !== null && name.length > MAX_JOB_NAME_LENGTH) {
    throw new RequestError(`name must be at most ${MAX_JOB_NAME_LENGTH} characters, not ${name.length}`);
  }
  const encrypted = readEnum(body.encrypted, 'encrypted', ['none', 'pgp'] as const, 'none');
  const sourceData = readString(body.sourceData, 'sourceData');
  if (sourceData !== null && sourceData.trim().toUpperCase() !== 'LIVE') {
    throw new RequestError(`sourceData must be LIVE, not ${show(sourceData)}`);
  }
  const notifyUrl = readString(body.notifyUrl, 'notifyUrl');
  const rawQueries = body.queries ?? [];
  if (!Array.isArray(rawQueries)) throw new RequestError('queries must be an array');
  const partner = readSession(body.partner, 'partner');
  const project = readSession(body.project, 'project');
  const request: JobRequest = {
    format,
    version,
    name,
    encrypted,
    useQueryLabels: readBoolean(body.useQueryLabels, 'useQueryLabels', false),
    dateTimeUtc: readBoolean(body.dateTimeUtc, 'dateTimeUtc', false),
    nullReplacement: readString(body.nullReplacement, 'nullReplacement'),
    partner,
    project,
    incrementalTime: body.incrementalTime ?? null,
    offset: readOffset(body.offset),
    notifyUrl: notifyUrl === null || notifyUrl === '' ? null : notifyUrl,
    queries: rawQueries.map(readQuery),
    stateful: version !== '1.0' && partner !== null && project !== null,
  };
  if (encrypted === 'pgp' && tenant?.pgpFingerprint === undefined) {
    const name = tenant?.name ?? '<tenant>';
    throw new RequestError(
      `encrypted: no PGP key is registered for the tenant, so pgp cannot be used; register one with: openaqua tenant pgp-key ${name} <public-key.asc>`,
    );
  }
  return request;
}
