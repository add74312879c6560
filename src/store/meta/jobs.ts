import type { Row, SyncDb } from '../db.ts';
import { announceJobs } from './sql.ts';

/** A connection to the meta tables (tenants, credentials, jobs...), SQLite or PostgreSQL. */
export type MetaDb = SyncDb;

export type JobStatus = 'submitted' | 'executing' | 'completed' | 'aborted' | 'cancelled' | 'error';
export type BatchStatus = 'pending' | 'executing' | 'completed' | 'aborted' | 'deleted_notallowed';
export type ResultFormat = 'csv' | 'zip' | 'gzip';
export type QueryLanguage = 'zoql' | 'zoqlexport';

/** A query's `deleted` section, normalised. */
export interface DeletedSpec {
  readonly column: string;
  readonly format: 'Numeric' | 'Boolean';
  readonly forceExport?: boolean;
}

/** A job as stored; the row is also the job's place in the queue. */
export interface JobRow {
  id: string;
  tenantId: string;
  ord: number;
  /** `stateful:<tenant>/<partner>/<project>` for a session, `job:<id>` for a stateless job. */
  sessionKey: string;
  stateful: boolean;
  status: JobStatus;
  errorCode: string | null;
  name: string | null;
  version: string;
  format: ResultFormat;
  encrypted: string;
  partner: string | null;
  project: string | null;
  notifyUrl: string | null;
  incrementalTime: number | null;
  offset: number;
  useLastCompleted: boolean;
  useQueryLabels: boolean;
  dateTimeUtc: boolean;
  nullReplacement: string | null;
  timeZone: string;
  segments: boolean;
  submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  attempts: number;
  snapshotSeq: number | null;
  notifyState: string | null;
}

/** A batch (one query of a job) as stored, with the ids of its published files in order. */
export interface BatchRow {
  id: string;
  jobId: string;
  position: number;
  name: string;
  query: string;
  language: QueryLanguage;
  apiVersion: string;
  deleted: DeletedSpec | null;
  convertToCurrencies: readonly string[] | null;
  full: boolean;
  /** Incremental runs: the change sequence after which rows are exported. */
  afterSeq: number | null;
  recordCount: number;
  status: BatchStatus;
  message: string | null;
  segmented: boolean;
  /** The result of a batch that finished in a job still running: published with the job. */
  staged: StagedResult | null;
  fileIds: string[];
}

/** Files a finished batch wrote (already under their final ids, not yet listed) and its row count. */
export interface StagedResult {
  readonly files: readonly { readonly id: string; readonly rows: number; readonly bytes: number }[];
  readonly recordCount: number;
  readonly segmented: boolean;
}

export type NewJob = Omit<JobRow, 'ord'>;
export type NewBatch = Omit<BatchRow, 'fileIds' | 'staged'>;

/**
 * Runs `fn` in a transaction that takes the write lock at once on SQLite (BEGIN IMMEDIATE), so a
 * read-then-write (a claim, a limit check) cannot interleave with another connection's. On PostgreSQL
 * the statements inside lock what they must (row locks, advisory locks, the unique index).
 */
export function immediate<T>(db: MetaDb, fn: () => T): T {
  return db.transaction(fn, 'immediate');
}

export type Raw = Row;

const bool = (v: unknown): boolean => v === 1;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A `jobs` row as read by `SELECT *`, typed. */
export function toJob(r: Raw): JobRow {
  return {
    id: String(r.id),
    tenantId: String(r.tenant_id),
    ord: Number(r.ord),
    sessionKey: String(r.session_key),
    stateful: bool(r.stateful),
    status: r.status as JobStatus,
    errorCode: str(r.error_code),
    name: str(r.name),
    version: String(r.version),
    format: r.format as ResultFormat,
    encrypted: String(r.encrypted),
    partner: str(r.partner),
    project: str(r.project),
    notifyUrl: str(r.notify_url),
    incrementalTime: num(r.incremental_time),
    offset: Number(r.offset_seconds),
    useLastCompleted: bool(r.use_last_completed),
    useQueryLabels: bool(r.use_query_labels),
    dateTimeUtc: bool(r.date_time_utc),
    nullReplacement: str(r.null_replacement),
    timeZone: String(r.time_zone),
    segments: bool(r.segments),
    submittedAt: Number(r.submitted_at),
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
    leaseOwner: str(r.lease_owner),
    leaseUntil: num(r.lease_until),
    attempts: Number(r.attempts),
    snapshotSeq: num(r.snapshot_seq),
    notifyState: str(r.notify_state),
  };
}

function toBatch(r: Raw, fileIds: string[]): BatchRow {
  return {
    id: String(r.id),
    jobId: String(r.job_id),
    position: Number(r.position),
    name: String(r.name),
    query: String(r.query),
    language: r.language as QueryLanguage,
    apiVersion: String(r.api_version),
    deleted: r.deleted === null ? null : (JSON.parse(String(r.deleted)) as DeletedSpec),
    convertToCurrencies:
      r.convert_to_currencies === null ? null : (JSON.parse(String(r.convert_to_currencies)) as string[]),
    full: bool(r.full),
    afterSeq: num(r.after_seq),
    recordCount: Number(r.record_count),
    status: r.status as BatchStatus,
    message: str(r.message),
    segmented: bool(r.segmented),
    staged:
      r.staged === null || r.staged === undefined ? null : (JSON.parse(String(r.staged)) as StagedResult),
    fileIds,
  };
}

const INSERT_JOB = `INSERT INTO jobs (id, tenant_id, session_key, stateful, status, error_code, name, version, format,
  encrypted, partner, project, notify_url, incremental_time, offset_seconds, use_last_completed, use_query_labels,
  date_time_utc, null_replacement, time_zone, segments, submitted_at, started_at, finished_at, lease_owner,
  lease_until, attempts, snapshot_seq, notify_state)
  VALUES (@id, @tenantId, @sessionKey, @stateful, @status, @errorCode, @name, @version, @format, @encrypted,
  @partner, @project, @notifyUrl, @incrementalTime, @offset, @useLastCompleted, @useQueryLabels, @dateTimeUtc,
  @nullReplacement, @timeZone, @segments, @submittedAt, @startedAt, @finishedAt, @leaseOwner, @leaseUntil,
  @attempts, @snapshotSeq, @notifyState)`;

const INSERT_BATCH = `INSERT INTO batches (id, job_id, position, name, query, language, api_version, deleted,
  convert_to_currencies, "full", after_seq, record_count, status, message, segmented)
  VALUES (@id, @jobId, @position, @name, @query, @language, @apiVersion, @deleted, @convertToCurrencies, @full,
  @afterSeq, @recordCount, @status, @message, @segmented)`;

const flag = (b: boolean): number => (b ? 1 : 0);

/** Inserts a job and its batches; call inside a transaction. A runnable job is announced on commit. */
export function insertJob(db: MetaDb, job: NewJob, batches: readonly NewBatch[]): void {
  db.prepare(INSERT_JOB).run({
    ...job,
    stateful: flag(job.stateful),
    useLastCompleted: flag(job.useLastCompleted),
    useQueryLabels: flag(job.useQueryLabels),
    dateTimeUtc: flag(job.dateTimeUtc),
    segments: flag(job.segments),
  });
  for (const b of batches) {
    db.prepare(INSERT_BATCH).run({
      ...b,
      deleted: b.deleted ? JSON.stringify(b.deleted) : null,
      convertToCurrencies: b.convertToCurrencies ? JSON.stringify(b.convertToCurrencies) : null,
      full: flag(b.full),
      segmented: flag(b.segmented),
    });
  }
  if (job.status === 'submitted') announceJobs(db);
}

/** A job of a tenant by id; another tenant's job is not found. */
export function jobById(db: MetaDb, tenantId: string, id: string): JobRow | undefined {
  const r = db.prepare('SELECT * FROM jobs WHERE id = ? AND tenant_id = ?').get(id, tenantId) as
    | Raw
    | undefined;
  return r && toJob(r);
}

/** A job by id whatever its tenant (the queue's own bookkeeping). */
export function jobByIdAnyTenant(db: MetaDb, id: string): JobRow | undefined {
  const r = db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Raw | undefined;
  return r && toJob(r);
}

/**
 * The batches of a job in array order, each with its published file ids (left empty with
 * `{ files: false }`, which saves a statement where they are not needed, as when claiming).
 */
export function batchesOf(db: MetaDb, jobId: string, opts: { files?: boolean } = {}): BatchRow[] {
  const rows = db.prepare('SELECT * FROM batches WHERE job_id = ? ORDER BY position').all(jobId) as Raw[];
  if (opts.files === false) return rows.map((r) => toBatch(r, []));
  const files = db
    .prepare(
      'SELECT f.batch_id, f.id FROM files f JOIN batches b ON b.id = f.batch_id WHERE b.job_id = ? ORDER BY f.batch_id, f.part',
    )
    .all(jobId) as { batch_id: string; id: string }[];
  const byBatch = new Map<string, string[]>();
  for (const f of files) {
    const list = byBatch.get(f.batch_id) ?? [];
    list.push(f.id);
    byBatch.set(f.batch_id, list);
  }
  return rows.map((r) => toBatch(r, byBatch.get(String(r.id)) ?? []));
}

/** The columns of `batches`, read under a `b_` prefix when joined with their job. */
const BATCH_COLUMNS = [
  'id',
  'job_id',
  'position',
  'name',
  'query',
  'language',
  'api_version',
  'deleted',
  'convert_to_currencies',
  'full',
  'after_seq',
  'record_count',
  'status',
  'message',
  'segmented',
  'staged',
] as const;

const JOB_WITH_BATCHES = `SELECT j.*, ${BATCH_COLUMNS.map((c) => `b."${c}" AS b_${c}`).join(', ')}, f.id AS f_id
  FROM jobs j LEFT JOIN batches b ON b.job_id = j.id LEFT JOIN files f ON f.batch_id = b.id
  WHERE j.id = ? AND j.tenant_id = ?
  ORDER BY b.position, f.part`;

/**
 * A job of a tenant with its batches (array order) and their published file ids, in one statement (one
 * round trip on PostgreSQL): what `jobById` and `batchesOf` return together. Another tenant's job is
 * not found.
 * @example const found = jobWithBatches(db, tenant.id, jobId); found && jobJson(found.job, found.batches);
 */
export function jobWithBatches(
  db: MetaDb,
  tenantId: string,
  id: string,
): { job: JobRow; batches: BatchRow[] } | undefined {
  const rows = db.prepare(JOB_WITH_BATCHES).all(id, tenantId) as Raw[];
  const first = rows[0];
  if (!first) return undefined;
  const batches: BatchRow[] = [];
  let last: BatchRow | undefined;
  for (const r of rows) {
    if (r.b_id === null || r.b_id === undefined) continue;
    if (last?.id !== String(r.b_id)) {
      const raw: Raw = {};
      for (const c of BATCH_COLUMNS) raw[c] = r[`b_${c}`];
      last = toBatch(raw, []);
      batches.push(last);
    }
    if (r.f_id !== null && r.f_id !== undefined) last.fileIds.push(String(r.f_id));
  }
  return { job: toJob(first), batches };
}

/** Jobs of a tenant in one mode that are `submitted` or `executing`. */
export function countActiveJobs(db: MetaDb, tenantId: string, stateful: boolean): number {
  return db
    .prepare(
      "SELECT count(*) FROM jobs WHERE tenant_id = ? AND stateful = ? AND status IN ('submitted', 'executing')",
    )
    .pluck()
    .get(tenantId, flag(stateful)) as number;
}

/** Sets a batch's status (and message when given). */
export function setBatchStatus(
  db: MetaDb,
  batchId: string,
  status: BatchStatus,
  message?: string | null,
): void {
  if (message === undefined) db.prepare('UPDATE batches SET status = ? WHERE id = ?').run(status, batchId);
  else db.prepare('UPDATE batches SET status = ?, message = ? WHERE id = ?').run(status, message, batchId);
}

/** Records what a batch of a running job produced, to publish when the job ends. */
export function stageBatch(db: MetaDb, batchId: string, staged: StagedResult): void {
  db.prepare('UPDATE batches SET staged = ? WHERE id = ?').run(JSON.stringify(staged), batchId);
}

/** File ids staged by batches of jobs not yet finished (not orphans, though not listed yet). */
export function stagedFileIds(db: MetaDb): Set<string> {
  const ids = new Set<string>();
  for (const s of db
    .prepare('SELECT staged FROM batches WHERE staged IS NOT NULL')
    .pluck()
    .all() as string[]) {
    for (const f of (JSON.parse(s) as StagedResult).files) ids.add(f.id);
  }
  return ids;
}

/** Marks that a job's end was (or is being) notified; returns false when it already was. */
export function markNotified(db: MetaDb, jobId: string, state: string): boolean {
  return (
    db.prepare('UPDATE jobs SET notify_state = ? WHERE id = ? AND notify_state IS NULL').run(state, jobId)
      .changes === 1
  );
}
