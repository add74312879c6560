import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { claimNext } from '../../src/jobs/claim.ts';
import { finishRun } from '../../src/jobs/finish.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { setBatchStatus } from '../../src/store/meta/jobs.ts';
import { renewLeases } from '../../src/store/meta/jobs-queue.ts';
import { ACCOUNT_QUERY, makeTenant, metaFixture } from './helpers.ts';

describe('leases: a run that stops renewing its lease loses the job to the next claimer', () => {
  let fx: ReturnType<typeof metaFixture>;
  const tenant = makeTenant();
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  const claim = (owner: string) =>
    claimNext(fx.db, {
      owner,
      now: fx.clock.now(),
      leaseMillis: 30_000,
      queryMillis: 1000,
      segmentRows: 500_000,
      tenantDataPath: (id) => id,
    });

  it('re-claims a job whose lease expired, as attempt 2, with its batches pending again', () => {
    const id = submitJob(fx.deps, tenant, {
      queries: [{ query: ACCOUNT_QUERY }, { query: ACCOUNT_QUERY }],
    }).id as string;
    const first = claim('crashed')!;
    setBatchStatus(fx.db, first.task.batches[0]!.id, 'executing');
    fx.clock.advance(30_000);
    assert.equal(claim('other'), undefined, 'the lease still holds at its last millisecond');
    fx.clock.advance(1);
    const second = claim('other')!;
    assert.equal(second.job.id, id);
    assert.equal(second.task.attempt, 2);
    assert.deepEqual(
      fx.db.prepare('SELECT status FROM batches WHERE job_id = ? ORDER BY position').pluck().all(id),
      ['pending', 'pending'],
    );
    // The first run cannot publish any more; the second can.
    assert.equal(
      finishRun(fx.db, first.job, 'crashed', { status: 'completed', snapshotSeq: 3 }, fx.clock.now()),
      false,
    );
    assert.equal(
      finishRun(fx.db, second.job, 'other', { status: 'completed', snapshotSeq: 3 }, fx.clock.now()),
      true,
    );
    assert.equal(fx.db.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(id), 'completed');
  });

  it('a renewed lease keeps the job', () => {
    submitJob(fx.deps, tenant, { queries: [{ query: ACCOUNT_QUERY }] });
    claim('alive');
    fx.clock.advance(20_000);
    assert.equal(renewLeases(fx.db, 'alive', fx.clock.now() + 30_000), 1);
    fx.clock.advance(20_000);
    assert.equal(claim('other'), undefined);
  });

  it('an expired job is taken before newer submitted jobs', () => {
    const old = submitJob(fx.deps, tenant, { queries: [{ query: ACCOUNT_QUERY }] }).id;
    claim('crashed');
    const newer = submitJob(fx.deps, tenant, { queries: [{ query: ACCOUNT_QUERY }] }).id;
    fx.clock.advance(60_000);
    assert.equal(claim('other')?.job.id, old);
    assert.equal(claim('other')?.job.id, newer);
  });
});
