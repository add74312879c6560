import { type BatchStatus, type JobRow, type MetaDb, prep, type Raw, toJob } from './meta-jobs.ts';

/**
 * The queue operations on the jobs table. Each runs inside the caller's transaction; a claim must run in
 * `immediate()` so that picking and leasing happen under the write lock.
 */

/**
 * The job a claimer should take next: first a running job whose lease expired (its run crashed, and it
 * still heads its session), else the oldest submitted job with no earlier unfinished job in its session.
 */
export function pickRunnable(db: MetaDb, now: number): JobRow | undefined {
  const expired = prep(
    db,
    "SELECT * FROM jobs WHERE status = 'executing' AND lease_until < ? ORDER BY ord LIMIT 1",
  ).get(now) as Raw | undefined;
  if (expired) return toJob(expired);
  const next = prep(
    db,
    `SELECT j.* FROM jobs j WHERE j.status = 'submitted' AND NOT EXISTS (
       SELECT 1 FROM jobs o WHERE o.session_key = j.session_key AND o.ord < j.ord
         AND o.status IN ('submitted', 'executing'))
     ORDER BY j.ord LIMIT 1`,
  ).get() as Raw | undefined;
  return next && toJob(next);
}

/** Makes `owner` the runner of a job until `leaseUntil`; a re-claimed job starts its batches over. */
export function takeLease(db: MetaDb, jobId: string, owner: string, now: number, leaseUntil: number): void {
  prep(
    db,
    `UPDATE jobs SET status = 'executing', lease_owner = ?, lease_until = ?, started_at = ?, attempts = attempts + 1
     WHERE id = ?`,
  ).run(owner, leaseUntil, now, jobId);
  prep(
    db,
    `UPDATE batches SET status = 'pending', message = NULL, record_count = 0, staged = NULL
     WHERE job_id = ? AND status = 'executing'`,
  ).run(jobId);
}

/** Extends every lease `owner` holds; returns how many. */
export function renewLeases(db: MetaDb, owner: string, leaseUntil: number): number {
  return prep(db, "UPDATE jobs SET lease_until = ? WHERE lease_owner = ? AND status = 'executing'").run(
    leaseUntil,
    owner,
  ).changes;
}

/** Whether `owner` still runs the job (not cancelled, lease not taken over). */
export function holdsLease(db: MetaDb, jobId: string, owner: string): boolean {
  return (
    prep(db, "SELECT 1 FROM jobs WHERE id = ? AND status = 'executing' AND lease_owner = ?").get(
      jobId,
      owner,
    ) !== undefined
  );
}

/** Records whether a batch runs full or after which change sequence (decided when the job is claimed). */
export function planBatch(db: MetaDb, batchId: string, full: boolean, afterSeq: number | null): void {
  prep(db, 'UPDATE batches SET full = ?, after_seq = ? WHERE id = ?').run(full ? 1 : 0, afterSeq, batchId);
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
  prep(
    db,
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
    prep(
      db,
      `UPDATE jobs SET status = ?, finished_at = ?, snapshot_seq = ?, lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND status = 'executing' AND lease_owner = ?`,
    ).run(status, now, snapshotSeq, jobId, owner).changes === 1
  );
}

/** Cancels a job that has not finished; false when it had. */
export function cancelJob(db: MetaDb, tenantId: string, jobId: string, now: number): boolean {
  return (
    prep(
      db,
      `UPDATE jobs SET status = 'cancelled', finished_at = ?, lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND tenant_id = ? AND status IN ('submitted', 'executing')`,
    ).run(now, jobId, tenantId).changes === 1
  );
}

/** Makes a stopped run's job claimable at once (its lease ends now). */
export function releaseLease(db: MetaDb, jobId: string, owner: string): void {
  prep(db, "UPDATE jobs SET lease_until = 0 WHERE id = ? AND lease_owner = ? AND status = 'executing'").run(
    jobId,
    owner,
  );
}

/** Ids of the jobs `owner` holds a lease on. */
export function jobsLeasedBy(db: MetaDb, owner: string): string[] {
  return prep(db, "SELECT id FROM jobs WHERE lease_owner = ? AND status = 'executing'")
    .pluck()
    .all(owner) as string[];
}

/** Whether a job runs now under a lease valid at `now`, and with which attempt number. */
export function liveAttempt(db: MetaDb, jobId: string, now: number): number | undefined {
  return prep(db, "SELECT attempts FROM jobs WHERE id = ? AND status = 'executing' AND lease_until >= ?")
    .pluck()
    .get(jobId, now) as number | undefined;
}

/** Marks a batch `executing`, if `owner` still runs its job. */
export function markBatchRunning(db: MetaDb, batchId: string, jobId: string, owner: string): void {
  prep(
    db,
    `UPDATE batches SET status = 'executing' WHERE id = ? AND EXISTS (
       SELECT 1 FROM jobs WHERE id = ? AND status = 'executing' AND lease_owner = ?)`,
  ).run(batchId, jobId, owner);
}
