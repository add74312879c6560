import { AQUA_MESSAGES } from '../errors.ts';
import {
  type BatchRow,
  batchesOf,
  immediate,
  type JobRow,
  jobWithBatches,
  type MetaDb,
  setBatchStatus,
} from '../store/meta/jobs.ts';
import { insertFile } from '../store/meta/jobs-files.ts';
import { cancelJob, finishBatch, finishJob } from '../store/meta/jobs-queue.ts';
import { advance } from './sessions.ts';

/** How a run ended, as the runner reports it. */
export type RunResult =
  | { readonly status: 'completed'; readonly snapshotSeq: number }
  | { readonly status: 'aborted'; readonly batchId: string; readonly message: string }
  | { readonly status: 'cancelled' };

/** Lists the staged files of a finished batch and marks it completed. */
function publishStaged(db: MetaDb, job: JobRow, b: BatchRow, now: number): void {
  const staged = b.staged;
  if (!staged) return;
  staged.files.forEach((f, part) => {
    insertFile(db, {
      id: f.id,
      tenantId: job.tenantId,
      jobId: job.id,
      batchId: b.id,
      part,
      format: job.format,
      encrypted: job.encrypted !== 'none',
      rows: f.rows,
      bytes: f.bytes,
      createdAt: now,
    });
  });
  finishBatch(db, b.id, 'completed', staged.recordCount, '', staged.segmented);
}

/**
 * Ends a run in one transaction: every batch that finished gets its files listed and becomes
 * `completed`; a failed batch becomes `aborted` with its reason (later ones stay `pending`); the job
 * becomes `completed` or `aborted`; a completed stateful job moves its session's cursor. Nothing happens
 * when `owner` no longer runs the job (cancelled meanwhile, or its lease was taken over): returns false.
 * @example finishRun(db, job, owner, { status: 'completed', snapshotSeq: 42 }, clock.now())
 */
export function finishRun(
  db: MetaDb,
  job: JobRow,
  owner: string,
  result: Exclude<RunResult, { status: 'cancelled' }>,
  now: number,
): boolean {
  return immediate(db, () => {
    // Ending the job is the lease check: it changes nothing unless `owner` still runs it, and on
    // PostgreSQL the row it updates stays locked until the end of the transaction.
    const snapshotSeq = result.status === 'completed' ? result.snapshotSeq : null;
    if (!finishJob(db, job.id, owner, result.status, now, snapshotSeq)) return false;
    const batches = batchesOf(db, job.id, { files: false });
    for (const b of batches) publishStaged(db, job, b, now);
    if (result.status === 'aborted') {
      finishBatch(db, result.batchId, 'aborted', 0, result.message, false);
      return true;
    }
    // A time window cut short by `offset` left out the last seconds' changes: moving the cursor to the
    // snapshot would lose them, so such a job leaves the cursor where it was (the next job repeats them).
    const cutShort = job.incrementalTime !== null && job.offset > 0;
    if (job.stateful && job.partner !== null && job.project !== null && !cutShort) {
      const key = { tenantId: job.tenantId, partner: job.partner, project: job.project };
      advance(db, key, job.id, result.snapshotSeq, now, batches);
    }
    return true;
  });
}

/**
 * Cancels a job that has not finished, in one transaction: batches that finished keep their files
 * (`completed`), the one running becomes `aborted`, the rest stay `pending`. Returns the job after with
 * its batches, or undefined when there is no such job; `cancelled` is false when it had already finished.
 */
export function cancelRun(
  db: MetaDb,
  tenantId: string,
  jobId: string,
  now: number,
): { job: JobRow; batches: BatchRow[]; cancelled: boolean } | undefined {
  return immediate(db, () => {
    const before = jobWithBatches(db, tenantId, jobId);
    if (!before) return undefined;
    const { job, batches } = before;
    if (!cancelJob(db, tenantId, jobId, now)) return { job, batches, cancelled: false };
    for (const b of batches) {
      if (b.staged) publishStaged(db, job, b, now);
      else if (b.status === 'executing') setBatchStatus(db, b.id, 'aborted', AQUA_MESSAGES['90007']);
    }
    return { ...jobWithBatches(db, tenantId, jobId)!, cancelled: true };
  });
}
