import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { type AquaCode, AquaError, QueryError, RequestError } from '../errors.ts';
import {
  IDEMPOTENCY_HOURS,
  MAX_CONCURRENT_STATEFUL_JOBS,
  MAX_CONCURRENT_STATELESS_JOBS,
  MAX_NOTIFY_URL_LENGTH,
  MAX_QUERIES_PER_JOB,
  MAX_QUERY_LENGTH,
} from '../limits.ts';
import {
  type BatchStatus,
  batchesOf,
  countActiveJobs,
  immediate,
  insertJob,
  jobWithBatches,
  type MetaDb,
  type NewBatch,
  type NewJob,
} from '../store/meta/jobs.ts';
import { idempotencyKey, saveIdempotencyKey } from '../store/meta/jobs-files.ts';
import { lockTenantQueue } from '../store/meta/sql.ts';
import { storableText } from '../text.ts';
import { analyze } from '../zoql/index.ts';
import { jobJson, requestEcho } from './render.ts';
import { type JobRequest, type QueryRequest, readJobRequest } from './request.ts';
import { checkNotifyUrl, invalidCurrency, parseIncrementalTime } from './rules.ts';
import { lastCompletedJobId, planSession, type SessionKey, sessionKeyOf } from './sessions.ts';
import type { Tenant } from './types.ts';

export interface SubmitDeps {
  readonly db: MetaDb;
  readonly clock: Clock;
  readonly newId: () => string;
  /** How long deleted records are kept before the sweeper purges them (default DELETED_RETENTION_DAYS). */
  readonly deletedRetentionDays?: number;
}

/** The outcome of checking one query: fine, or the code and the reason for its batch. */
interface QueryCheck {
  readonly code?: AquaCode;
  readonly status?: BatchStatus;
  readonly message?: string;
}

function checkQuery(q: QueryRequest, stateful: boolean): QueryCheck {
  if (q.query.length > MAX_QUERY_LENGTH) {
    return {
      code: '90005',
      message: `the query is ${q.query.length} characters long; at most ${MAX_QUERY_LENGTH}`,
    };
  }
  let analyzed: ReturnType<typeof analyze>;
  try {
    analyzed = analyze(q.query, q.type);
  } catch (e) {
    if (e instanceof QueryError) return { code: e.code, message: e.message };
    throw e;
  }
  if (q.deleted) {
    if (!analyzed.object.supportsDeleted) {
      return {
        code: '90017',
        status: 'deleted_notallowed',
        message: `${analyzed.object.name} does not support the querying of deleted records`,
      };
    }
    if (!stateful && !q.deleted.forceExport) {
      return {
        code: '90012',
        message: 'a stateless job cannot export deleted records unless deleted.forceExport is true',
      };
    }
  }
  const currency = q.convertToCurrencies ? invalidCurrency(q.convertToCurrencies) : undefined;
  if (currency !== undefined)
    return { code: '90021', message: `'${currency}' is not an ISO 4217 currency code` };
  return {};
}

/** A stable text of a JSON value (keys sorted), so that the same body hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function answerFor(db: MetaDb, tenantId: string, jobId: string): Record<string, unknown> | undefined {
  const found = jobWithBatches(db, tenantId, jobId);
  if (!found) return undefined;
  const { job } = found;
  const json = jobJson(job, found.batches);
  if (job.status === 'error') throw new AquaError(job.errorCode as AquaCode, undefined, json);
  return json;
}

/** The queries a stateful request without queries re-runs: those of the session's last completed job. */
function lastQueries(db: MetaDb, key: SessionKey): QueryRequest[] | undefined {
  const jobId = lastCompletedJobId(db, key);
  if (!jobId) return undefined;
  return batchesOf(db, jobId).map((b) => ({
    name: b.name,
    query: b.query,
    type: b.language,
    apiVersion: b.apiVersion,
    deleted: b.deleted,
    convertToCurrencies: b.convertToCurrencies,
  }));
}

function jobLevelChecks(req: JobRequest, tenant: Tenant, now: number): number | null {
  const fail = (code: AquaCode): never => {
    throw new AquaError(code, undefined, requestEcho(req, tenant.timeZone, now));
  };
  if (req.notifyUrl !== null) {
    if (req.notifyUrl.length >= MAX_NOTIFY_URL_LENGTH) fail('90014');
    checkNotifyUrl(req.notifyUrl);
  }
  let incrementalTime: number | null = null;
  if (req.incrementalTime !== null) {
    incrementalTime = parseIncrementalTime(req.incrementalTime, tenant.timeZone) ?? fail('90015');
  }
  if (req.queries.length > MAX_QUERIES_PER_JOB) fail('90004');
  if (req.queries.length === 0 && !req.stateful) fail('90016');
  return incrementalTime;
}

/**
 * Validates a submit body and records the job with its batches in one transaction. Every query is
 * parsed and analyzed now: a query error records the job in `error` (so GET and DELETE work on its id)
 * and throws AquaError with that job's JSON; errors of the request as a whole (90004, 90014, 90015,
 * 90016, 90028) record nothing.
 * @example submitJob(deps, tenant, { queries: [{ query: 'select Id from Account', type: 'zoqlexport' }] }).status === 'submitted'
 */
export function submitJob(
  deps: SubmitDeps,
  tenant: Tenant,
  body: unknown,
  opts: { idempotencyKey?: string } = {},
): Record<string, unknown> {
  const { db, clock } = deps;
  const req = readJobRequest(body, tenant);
  const now = clock.now();
  const bodyHash = createHash('sha256').update(canonical(body)).digest('hex');
  const key = opts.idempotencyKey;
  if (key !== undefined) {
    const seen = idempotencyKey(db, tenant.id, key, now - IDEMPOTENCY_HOURS * 3_600_000);
    if (seen) {
      if (seen.bodyHash !== bodyHash) {
        throw new RequestError('Idempotency-Key was already used with a different request body');
      }
      const replay = answerFor(db, tenant.id, seen.jobId);
      if (replay) return replay;
    }
  }
  const incrementalTime = jobLevelChecks(req, tenant, now);
  const session: SessionKey | null = req.stateful
    ? { tenantId: tenant.id, partner: req.partner!, project: req.project! }
    : null;
  const jobId = deps.newId();
  const { job, batches } = immediate(db, () => {
    lockTenantQueue(db, tenant.id);
    const limit = req.stateful ? MAX_CONCURRENT_STATEFUL_JOBS : MAX_CONCURRENT_STATELESS_JOBS;
    if (countActiveJobs(db, tenant.id, req.stateful) >= limit) {
      throw new AquaError('90028', undefined, requestEcho(req, tenant.timeZone, now));
    }
    let queries = req.queries;
    const useLast = queries.length === 0;
    if (useLast) {
      queries = (session && lastQueries(db, session)) ?? [];
      if (queries.length === 0)
        throw new AquaError('90016', undefined, requestEcho(req, tenant.timeZone, now));
    }
    const checks = queries.map((q) => checkQuery(q, req.stateful));
    const failed = checks.find((c) => c.code !== undefined);
    const plans = session
      ? planSession(db, session, queries, now, deps.deletedRetentionDays)
      : queries.map(() => ({ full: true, afterSeq: null }));
    const row: NewJob = {
      id: jobId,
      tenantId: tenant.id,
      sessionKey: sessionKeyOf(tenant.id, jobId, session),
      stateful: req.stateful,
      status: failed ? 'error' : 'submitted',
      errorCode: failed?.code ?? null,
      name: req.name,
      version: req.version,
      format: req.format,
      encrypted: req.encrypted,
      partner: req.partner,
      project: req.project,
      notifyUrl: req.notifyUrl,
      incrementalTime,
      offset: req.offset,
      useLastCompleted: useLast,
      useQueryLabels: req.useQueryLabels,
      dateTimeUtc: req.dateTimeUtc,
      nullReplacement: req.nullReplacement,
      timeZone: tenant.timeZone,
      segments: tenant.segments,
      submittedAt: now,
      startedAt: null,
      finishedAt: failed ? now : null,
      leaseOwner: null,
      leaseUntil: null,
      attempts: 0,
      snapshotSeq: null,
      notifyState: null,
    };
    const batches: NewBatch[] = queries.map((q, i) => ({
      id: deps.newId(),
      jobId,
      position: i,
      name: q.name,
      // A query holding a NUL or half a surrogate pair never runs (the lexer refuses it and says where);
      // no store can hold either, so the record has U+FFFD in their place on every store alike.
      query: storableText(q.query),
      language: q.type,
      apiVersion: q.apiVersion,
      deleted: q.deleted,
      convertToCurrencies: q.convertToCurrencies,
      full: plans[i]!.full,
      afterSeq: plans[i]!.afterSeq,
      recordCount: 0,
      status: checks[i]?.status ?? 'pending',
      message: checks[i]?.message === undefined ? null : storableText(checks[i]!.message!),
      segmented: false,
    }));
    insertJob(db, row, batches);
    if (key !== undefined) saveIdempotencyKey(db, tenant.id, key, bodyHash, jobId, now);
    return jobWithBatches(db, tenant.id, jobId)!;
  });
  const json = jobJson(job, batches);
  if (job.status === 'error') {
    const reason = batches.find((b) => b.message)?.message ?? undefined;
    throw new AquaError(job.errorCode as AquaCode, reason, json);
  }
  return json;
}
