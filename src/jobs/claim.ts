import { batchesOf, immediate, type JobRow, type MetaDb } from '../store/meta/jobs.ts';
import { pickRunnable, planBatch, takeLease } from '../store/meta/jobs-queue.ts';
import { pgpKeyOf } from '../store/meta/tenants-pgp.ts';
import { planSession } from './sessions.ts';
import type { RunTask } from './task.ts';

export interface ClaimOptions {
  readonly owner: string;
  readonly now: number;
  readonly leaseMillis: number;
  readonly queryMillis: number;
  readonly segmentRows: number;
  /** How long deleted records are kept before the sweeper purges them. */
  readonly deletedRetentionDays?: number;
  tenantDataPath(tenantId: string): string;
}

/** A claimed job with the task to run it. */
export interface Claimed {
  readonly job: JobRow;
  readonly task: RunTask;
}

/**
 * Claims the next runnable job (under the write lock on SQLite, with the picked row locked on
 * PostgreSQL): per-session FIFO, never two running jobs of one session, an expired lease before
 * anything new. A claim that loses a race to another process claims nothing (undefined). A stateful
 * job's queries are planned full or incremental now, when the session's earlier jobs have finished (at
 * submit the answer was provisional).
 * @example const claimed = claimNext(db, { owner, now: clock.now(), leaseMillis: 30_000, queryMillis, tenantDataPath });
 */
export function claimNext(db: MetaDb, opts: ClaimOptions): Claimed | undefined {
  return immediate(db, () => {
    const picked = pickRunnable(db, opts.now);
    if (!picked) return undefined;
    // Lost a race for the session (another claimer started a job of it meanwhile): nothing this time.
    if (!takeLease(db, picked.id, opts.owner, opts.now, opts.now + opts.leaseMillis, picked))
      return undefined;
    let batches = batchesOf(db, picked.id, { files: false });
    if (picked.stateful && picked.partner !== null && picked.project !== null) {
      const key = { tenantId: picked.tenantId, partner: picked.partner, project: picked.project };
      const plans = planSession(db, key, batches, opts.now, opts.deletedRetentionDays);
      batches.forEach((b, i) => {
        // A requested window start makes every query incremental from it.
        const plan = picked.incrementalTime !== null ? { full: false, afterSeq: null } : plans[i]!;
        planBatch(db, b.id, plan.full, plan.afterSeq);
      });
      batches = batchesOf(db, picked.id, { files: false });
    }
    const job: JobRow = {
      ...picked,
      status: 'executing',
      attempts: picked.attempts + 1,
      startedAt: opts.now,
    };
    const task: RunTask = {
      jobId: job.id,
      attempt: job.attempts,
      tenantId: job.tenantId,
      dataPath: opts.tenantDataPath(job.tenantId),
      timeZone: job.timeZone,
      now: opts.now,
      format: job.format,
      encrypted: job.encrypted === 'pgp',
      // The key registered now: a key replaced since submit is the one the tenant can decrypt with.
      encryptTo: job.encrypted === 'pgp' ? (pgpKeyOf(db, job.tenantId)?.armored ?? null) : null,
      useQueryLabels: job.useQueryLabels,
      dateTimeUtc: job.dateTimeUtc,
      nullReplacement: job.nullReplacement,
      stateful: job.stateful,
      segments: job.segments,
      incrementalTime: job.incrementalTime,
      offset: job.offset,
      queryMillis: opts.queryMillis,
      segmentRows: opts.segmentRows,
      batches: batches
        .filter((b) => b.status === 'pending')
        .map((b) => ({
          id: b.id,
          name: b.name,
          query: b.query,
          language: b.language,
          deleted: b.deleted,
          full: b.full,
          afterSeq: b.afterSeq,
        })),
    };
    return { job, task };
  });
}
