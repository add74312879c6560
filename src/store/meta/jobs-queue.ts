import { UniqueViolation } from '../db.ts';
import { type BatchStatus, type JobRow, type MetaDb, type Raw, toJob } from './jobs.ts';
import { announceJobs, forUpdate } from './sql.ts';

/**
 * The queue operations on the jobs table. Each runs inside the caller's transaction; a claim must run in
 * `immediate()`: on SQLite picking and leasing then happen under the write lock; on PostgreSQL the picked
 * row stays locked (FOR UPDATE SKIP LOCKED) until the claim commits, and the partial unique index
 * `jobs_one_running_per_session` refuses a second running job of a session.
 */

/**
 * The job a claimer should take next: first a running job whose lease expired (its run crashed, and it
 * still heads its session), else the oldest submitted job whose session has no earlier unfinished job and
 * no running one. On PostgreSQL the row is locked, and rows another claimer has locked are passed over.
 *
 * Per-session FIFO across processes: the NOT EXISTS reads the statement's snapshot, not row locks, so a
 * session head that another claimer has locked (and not yet committed as `executing`) still reads as
 * `submitted` and keeps the jobs behind it waiting; a job's status never goes back to `submitted`, and
 * the jobs of a session are inserted in commit order (submits of a tenant are serialised), so a job seen
 * as runnable has no earlier unfinished job anyone could still start.
 */
export function pickRunnable(db: MetaDb, now: number): JobRow | undefined {
  const expired = db
    .prepare(
      `SELECT * FROM jobs WHERE status = 'executing' AND lease_until < ? ORDER BY ord LIMIT 1${forUpdate(db, { skipLocked: true })}`,
    )
    .get(now) as Raw | undefined;
  if (expired) return toJob(expired);
  const next = db
    .prepare(
      `SELECT j.* FROM jobs j WHERE j.status = 'submitted' AND NOT EXISTS (
         SELECT 1 FROM jobs o WHERE o.session_key = j.session_key AND o.id <> j.id
           AND (o.status = 'executing' OR (o.ord < j.ord AND o.status = 'submitted')))
       ORDER BY j.ord LIMIT 1${forUpdate(db, { of: 'j', skipLocked: true })}`,
    )
    .get() as Raw | undefined;
  return next && toJob(next);
}

/**
 * Makes `owner` the runner of a job until `leaseUntil`; a re-claimed job starts its batches over.
 * Returns false, changing nothing, when the job's session already has a running job (a claimer that
 * lost a race on PostgreSQL: the unique index refused it). `picked` (the row as pickRunnable read it)
 * saves statements that cannot matter: a stateless job is its session's only job, so the index cannot
 * refuse it (no savepoint); a job never run (`submitted`) has no batch to start over.
 */
export function takeLease(
  db: MetaDb,
  jobId: string,
  owner: string,
  now: number,
  leaseUntil: number,
  picked?: Pick<JobRow, 'status' | 'stateful'>,
): boolean {
  const lease = (): void => {
    db.prepare(
      `UPDATE jobs SET status = 'executing', lease_owner = ?, lease_until = ?, started_at = ?, attempts = attempts + 1
       WHERE id = ?`,
    ).run(owner, leaseUntil, now, jobId);
  };
  if (picked && !picked.stateful) lease();
  else {
    try {
      // A savepoint: on PostgreSQL a refused statement would otherwise end the caller's transaction.
      db.transaction(lease);
    } catch (e) {
      if (e instanceof UniqueViolation) return false;
      throw e;
    }
  }
  if (picked?.status === 'submitted') return true;
  db.prepare(
    `UPDATE batches SET status = 'pending', message = NULL, record_count = 0, staged = NULL
     WHERE job_id = ? AND status = 'executing'`,
  ).run(jobId);
  return true;
}

/** Extends every lease `owner` holds; returns how many. */
export function renewLeases(db: MetaDb, owner: string, leaseUntil: number): number {
  return db
    .prepare("UPDATE jobs SET lease_until = ? WHERE lease_owner = ? AND status = 'executing'")
    .run(leaseUntil, owner).changes;
}

/**
 * Whether `owner` still runs the job (not cancelled, lease not taken over). Inside a transaction on
 * PostgreSQL the job's row stays locked until it ends, so a cancel or a re-claim waits for what the
 * caller decides on this answer.
 */
export function holdsLease(db: MetaDb, jobId: string, owner: string): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM jobs WHERE id = ? AND status = 'executing' AND lease_owner = ?${forUpdate(db)}`)
      .get(jobId, owner) !== undefined
  );
}

/** Records whether a batch runs full or after which change sequence (decided when the job is claimed). */
export function planBatch(db: MetaDb, batchId: string, full: boolean, afterSeq: number | null): void {
  db.prepare('UPDATE batches SET "full" = ?, after_seq = ? WHERE id = ?').run(
    full ? 1 : 0,
    afterSeq,
    batchId,
  );
}

/** Sets the outcome of a batch. */
export function finishBatch(
  db: MetaDb,
  batchId: string,
  status: BatchStatus,
  recordCount: number,
  message: string,
  segmented: boolean,
): void {
  db.prepare(
    'UPDATE batches SET status = ?, record_count = ?, message = ?, segmented = ?, staged = NULL WHERE id = ?',
  ).run(status, recordCount, message, segmented ? 1 : 0, batchId);
}

/** Ends a running job with `status`; false when `owner` no longer runs it. */
export function finishJob(
  db: MetaDb,
  jobId: string,
  owner: string,
  status: 'completed' | 'aborted',
  now: number,
  snapshotSeq: number | null,
): boolean {
  return (
    db
      .prepare(
        `UPDATE jobs SET status = ?, finished_at = ?, snapshot_seq = ?, lease_owner = NULL, lease_until = NULL
         WHERE id = ? AND status = 'executing' AND lease_owner = ?`,
      )
      .run(status, now, snapshotSeq, jobId, owner).changes === 1
  );
}

/** Cancels a job that has not finished; false when it had. */
export function cancelJob(db: MetaDb, tenantId: string, jobId: string, now: number): boolean {
  return (
    db
      .prepare(
        `UPDATE jobs SET status = 'cancelled', finished_at = ?, lease_owner = NULL, lease_until = NULL
         WHERE id = ? AND tenant_id = ? AND status IN ('submitted', 'executing')`,
      )
      .run(now, jobId, tenantId).changes === 1
  );
}

/** Makes a stopped run's job claimable at once (its lease ends now), and says so to listening claimers. */
export function releaseLease(db: MetaDb, jobId: string, owner: string): void {
  const released = db
    .prepare("UPDATE jobs SET lease_until = 0 WHERE id = ? AND lease_owner = ? AND status = 'executing'")
    .run(jobId, owner).changes;
  if (released > 0) announceJobs(db);
}

/** Ids of the jobs `owner` holds a lease on. */
export function jobsLeasedBy(db: MetaDb, owner: string): string[] {
  return db
    .prepare("SELECT id FROM jobs WHERE lease_owner = ? AND status = 'executing'")
    .pluck()
    .all(owner) as string[];
}

/** Whether a job runs now under a lease valid at `now`, and with which attempt number. */
export function liveAttempt(db: MetaDb, jobId: string, now: number): number | undefined {
  return db
    .prepare("SELECT attempts FROM jobs WHERE id = ? AND status = 'executing' AND lease_until >= ?")
    .pluck()
    .get(jobId, now) as number | undefined;
}

/** Marks a batch `executing`, if `owner` still runs its job. */
export function markBatchRunning(db: MetaDb, batchId: string, jobId: string, owner: string): void {
  db.prepare(
    `UPDATE batches SET status = 'executing' WHERE id = ? AND EXISTS (
       SELECT 1 FROM jobs WHERE id = ? AND status = 'executing' AND lease_owner = ?)`,
  ).run(batchId, jobId, owner);
}
