import { existsSync } from 'node:fs';
import type { FileStore } from '../files/index.ts';
import { IDEMPOTENCY_HOURS } from '../limits.ts';
import { type StoreLocation, sqliteTenantPath } from '../store/location.ts';
import { immediate, type MetaDb, stagedFileIds } from '../store/meta/jobs.ts';
import {
  deleteFileRow,
  deleteIdempotencyKeysBefore,
  deleteJobsBefore,
  fileListed,
  filesCreatedBefore,
  filesOfJobsBefore,
} from '../store/meta/jobs-files.ts';
import { liveAttempt } from '../store/meta/jobs-queue.ts';
import { openTenantStoreAt } from '../store/tenant/open.ts';
import type { SweepResult } from './types.ts';

const DAY = 86_400_000;

export interface RetentionOptions {
  readonly fileRetentionDays: number;
  readonly jobRetentionDays: number;
}

/**
 * One retention pass at `now`: result files older than the file retention (their rows first, so an
 * expired file answers 404 even before it is unlinked), job records older than the job retention,
 * temporary files of attempts no longer running (a crash, a lost lease), files under a final id that
 * are neither listed nor staged, and idempotency keys past their window.
 * @example await sweep(db, files, clock.now(), { fileRetentionDays: 7, jobRetentionDays: 180 })
 */
export async function sweep(
  db: MetaDb,
  files: FileStore,
  now: number,
  opts: RetentionOptions,
): Promise<SweepResult> {
  const expired = immediate(db, () => {
    const old = [
      ...filesCreatedBefore(db, now - opts.fileRetentionDays * DAY),
      ...filesOfJobsBefore(db, now - opts.jobRetentionDays * DAY),
    ];
    for (const f of old) deleteFileRow(db, f.id);
    const jobs = deleteJobsBefore(db, now - opts.jobRetentionDays * DAY);
    deleteIdempotencyKeysBefore(db, now - IDEMPOTENCY_HOURS * 3_600_000);
    return { old, jobs };
  });
  let removed = 0;
  for (const f of expired.old) if (await files.delete(f.tenantId, f.id)) removed++;
  let tempFiles = 0;
  const seen: { tenantId: string; fileId: string }[] = [];
  for await (const entry of files.list()) {
    if (entry.kind === 'file') {
      seen.push(entry);
      continue;
    }
    if (liveAttempt(db, entry.jobId, now) !== entry.attempt) {
      await files.discard(entry.path);
      tempFiles++;
    }
  }
  // Read after listing: a file renamed while listing was staged before its rename.
  const staged = stagedFileIds(db);
  for (const f of seen) {
    if (!staged.has(f.fileId) && !fileListed(db, f.fileId) && (await files.delete(f.tenantId, f.fileId)))
      removed++;
  }
  return { files: removed, jobs: expired.jobs, tempFiles };
}

/**
 * Purges the records deleted more than `deletedRetentionDays` before `now` from each tenant's data
 * (a tenant SQLite file that does not exist is skipped, never created). Each store is opened for the pass
 * and closed: a purge is not a change, so no session cursor moves. Returns how many records were removed.
 * @example purgeDeletedRecords(['t1'], storeLocation('/data'), clock.now(), 30)
 */
export function purgeDeletedRecords(
  tenantIds: Iterable<string>,
  location: StoreLocation,
  now: number,
  deletedRetentionDays: number,
): number {
  let purged = 0;
  for (const id of new Set(tenantIds)) {
    if (location.kind === 'sqlite' && !existsSync(sqliteTenantPath(location.dataDir, id))) continue;
    const store = openTenantStoreAt(location, id);
    try {
      purged += store.purgeDeleted(now - deletedRetentionDays * DAY);
    } finally {
      store.close();
    }
  }
  return purged;
}
