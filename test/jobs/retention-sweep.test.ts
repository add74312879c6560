import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LocalFileStore } from '../../src/files/index.ts';
import { newId } from '../../src/ids.ts';
import { claimNext } from '../../src/jobs/claim.ts';
import { finishRun } from '../../src/jobs/finish.ts';
import { sweep } from '../../src/jobs/retention.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { jobById, stageBatch } from '../../src/store/meta/jobs.ts';
import { fileById } from '../../src/store/meta/jobs-files.ts';
import { ACCOUNT_QUERY, makeTenant, metaFixture } from './helpers.ts';

const DAY = 86_400_000;
const retention = { fileRetentionDays: 7, jobRetentionDays: 180 };

describe('retention sweep (fake clock)', () => {
  let fx: ReturnType<typeof metaFixture>;
  let files: LocalFileStore;
  const tenant = makeTenant();
  beforeEach(() => {
    fx = metaFixture();
    files = new LocalFileStore(join(fx.dir, 'files'));
  });
  afterEach(() => fx.close());

  const claim = (owner = 'w') =>
    claimNext(fx.db, {
      owner,
      now: fx.clock.now(),
      leaseMillis: 60_000,
      queryMillis: 1000,
      segmentRows: 500_000,
      tenantDataPath: (id) => id,
    })!;

  /** A completed job with one published file; returns the job and file ids. */
  async function completedJob(): Promise<{ jobId: string; fileId: string }> {
    submitJob(fx.deps, tenant, { queries: [{ query: ACCOUNT_QUERY }] });
    const { job, task } = claim();
    const tmp = files.tempPath(tenant.id, job.id, task.attempt);
    writeFileSync(tmp, 'Account.Id\n');
    const fileId = newId();
    stageBatch(fx.db, task.batches[0]!.id, {
      files: [{ id: fileId, rows: 0, bytes: 11 }],
      recordCount: 0,
      segmented: false,
    });
    await files.publish(tenant.id, tmp, fileId);
    assert.equal(finishRun(fx.db, job, 'w', { status: 'completed', snapshotSeq: 0 }, fx.clock.now()), true);
    return { jobId: job.id, fileId };
  }

  it('keeps a file 7 days, then removes it and its row (404 from then on)', async () => {
    const { jobId, fileId } = await completedJob();
    fx.clock.advance(7 * DAY);
    assert.deepEqual(await sweep(fx.db, files, fx.clock.now(), retention), {
      files: 0,
      jobs: 0,
      tempFiles: 0,
    });
    assert.ok(fileById(fx.db, tenant.id, fileId));
    fx.clock.advance(1);
    assert.deepEqual(await sweep(fx.db, files, fx.clock.now(), retention), {
      files: 1,
      jobs: 0,
      tempFiles: 0,
    });
    assert.equal(fileById(fx.db, tenant.id, fileId), undefined);
    assert.equal(await files.open(tenant.id, fileId), undefined);
    assert.equal(jobById(fx.db, tenant.id, jobId)?.status, 'completed');
  });

  it('keeps a job record 180 days, then removes it', async () => {
    const { jobId } = await completedJob();
    fx.clock.advance(180 * DAY + 1);
    assert.deepEqual(await sweep(fx.db, files, fx.clock.now(), retention), {
      files: 1,
      jobs: 1,
      tempFiles: 0,
    });
    assert.equal(jobById(fx.db, tenant.id, jobId), undefined);
    assert.equal(fx.db.prepare('SELECT count(*) FROM batches').pluck().get(), 0);
  });

  it('never removes a job still waiting or running, however old', async () => {
    const id = submitJob(fx.deps, tenant, { queries: [{ query: ACCOUNT_QUERY }] }).id as string;
    fx.clock.advance(200 * DAY);
    await sweep(fx.db, files, fx.clock.now(), retention);
    assert.equal(jobById(fx.db, tenant.id, id)?.status, 'submitted');
  });

  it('removes temporary files of attempts that no longer run, keeps those of a live attempt', async () => {
    submitJob(fx.deps, tenant, { queries: [{ query: ACCOUNT_QUERY }] });
    const crashed = claim('crashed');
    const stale = files.tempPath(tenant.id, crashed.job.id, crashed.task.attempt);
    writeFileSync(stale, 'partial');
    fx.clock.advance(60_001);
    const rerun = claim('other');
    assert.equal(rerun.task.attempt, 2);
    const live = files.tempPath(tenant.id, rerun.job.id, rerun.task.attempt);
    writeFileSync(live, 'in progress');
    const leftover = files.tempPath(tenant.id, newId(), 1);
    writeFileSync(leftover, 'of a purged job');
    assert.deepEqual(await sweep(fx.db, files, fx.clock.now(), retention), {
      files: 0,
      jobs: 0,
      tempFiles: 2,
    });
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(leftover), false);
    assert.equal(existsSync(live), true);
  });

  it('removes a file under a final id that is neither listed nor staged, keeps a staged one', async () => {
    submitJob(fx.deps, tenant, { queries: [{ query: ACCOUNT_QUERY }] });
    const { job, task } = claim();
    const staged = newId();
    stageBatch(fx.db, task.batches[0]!.id, {
      files: [{ id: staged, rows: 0, bytes: 1 }],
      recordCount: 0,
      segmented: false,
    });
    const a = files.tempPath(tenant.id, job.id, task.attempt);
    writeFileSync(a, 'x');
    await files.publish(tenant.id, a, staged);
    const orphan = newId();
    const b = files.tempPath(tenant.id, job.id, task.attempt);
    writeFileSync(b, 'y');
    await files.publish(tenant.id, b, orphan);
    assert.deepEqual(await sweep(fx.db, files, fx.clock.now(), retention), {
      files: 1,
      jobs: 0,
      tempFiles: 0,
    });
    const kept = await files.open(tenant.id, staged);
    assert.ok(kept);
    kept.destroy();
    assert.equal(await files.open(tenant.id, orphan), undefined);
  });

  it('forgets idempotency keys after 24 hours', async () => {
    submitJob(fx.deps, tenant, { queries: [{ query: ACCOUNT_QUERY }] }, { idempotencyKey: 'k' });
    fx.clock.advance(24 * 3_600_000 + 1);
    await sweep(fx.db, files, fx.clock.now(), retention);
    assert.equal(fx.db.prepare('SELECT count(*) FROM idempotency_keys').pluck().get(), 0);
  });
});
