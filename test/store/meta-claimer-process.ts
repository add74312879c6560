/**
 * A claimer process for test/store/meta-claimers.test.ts: claims jobs of the meta store at
 * META_LOCATION until none is left, "runs" each by completing it at once, and writes what it did to
 * the `claim_log` table in the same transactions as the claim and the finish. Each claim's
 * transaction stays open a few milliseconds, so the other claimers run into its locks.
 */
import { claimNext } from '../../src/jobs/claim.ts';
import { finishRun } from '../../src/jobs/finish.ts';
import { openMetaDb } from '../../src/store/meta/open.ts';

const location = JSON.parse(process.env.META_LOCATION ?? '');
const owner = process.env.CLAIMER ?? 'claimer';
const db = openMetaDb(location);
const log = (jobId: string, event: 'start' | 'end') =>
  db.prepare('INSERT INTO claim_log (job_id, owner, event) VALUES (?, ?, ?)').run(jobId, owner, event);
const pause = new Int32Array(new SharedArrayBuffer(4));

try {
  for (;;) {
    const claimed = db.transaction(() => {
      const c = claimNext(db, {
        owner,
        now: Date.now(),
        leaseMillis: 600_000,
        queryMillis: 1000,
        segmentRows: 10,
        tenantDataPath: (id) => id,
      });
      if (c) {
        log(c.job.id, 'start');
        // Holds the claim open a moment, as a slow claim would: others claim meanwhile.
        Atomics.wait(pause, 0, 0, 5);
      }
      return c;
    }, 'immediate');
    if (claimed) {
      db.transaction(() => {
        log(claimed.job.id, 'end');
        if (!finishRun(db, claimed.job, owner, { status: 'completed', snapshotSeq: 1 }, Date.now()))
          throw new Error(`lost job ${claimed.job.id}`);
      }, 'immediate');
      continue;
    }
    const left = db
      .prepare("SELECT count(*) FROM jobs WHERE status IN ('submitted', 'executing')")
      .pluck()
      .get() as number;
    if (left === 0) break;
    Atomics.wait(pause, 0, 0, 2);
  }
} finally {
  db.close();
}
