import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type ClaimOptions, claimNext } from '../../src/jobs/claim.ts';
import { finishRun } from '../../src/jobs/finish.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { ACCOUNT_QUERY, makeTenant, metaFixture } from './helpers.ts';

describe('claiming: FIFO per session, one running job per session, sessions and stateless jobs in parallel', () => {
  let fx: ReturnType<typeof metaFixture>;
  const tenant = makeTenant();
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  const opts = (owner: string): ClaimOptions => ({
    owner,
    now: fx.clock.now(),
    leaseMillis: 60_000,
    queryMillis: 1000,
    segmentRows: 500_000,
    tenantDataPath: (id) => `/data/${id}.sqlite`,
  });
  const submit = (project?: string) =>
    submitJob(
      fx.deps,
      tenant,
      project
        ? { version: '1.1', partner: 'p', project, queries: [{ query: ACCOUNT_QUERY }] }
        : { queries: [{ query: ACCOUNT_QUERY }] },
    ).id as string;
  const complete = (id: string, owner: string) => {
    const job = claimedJobs.get(id)!;
    assert.equal(finishRun(fx.db, job, owner, { status: 'completed', snapshotSeq: 1 }, fx.clock.now()), true);
  };
  const claimedJobs = new Map<string, NonNullable<ReturnType<typeof claimNext>>['job']>();
  const claim = (owner = 'w1') => {
    const c = claimNext(fx.db, opts(owner));
    if (c) claimedJobs.set(c.job.id, c.job);
    return c?.job.id;
  };

  it('runs two sessions side by side, each in the order received', () => {
    const a1 = submit('A');
    const b1 = submit('B');
    const a2 = submit('A');
    const b2 = submit('B');
    const a3 = submit('A');
    assert.equal(claim(), a1);
    assert.equal(claim(), b1);
    // a2 and b2 wait for the running job of their session.
    assert.equal(claim(), undefined);
    complete(b1, 'w1');
    assert.equal(claim(), b2);
    assert.equal(claim(), undefined);
    complete(a1, 'w1');
    assert.equal(claim(), a2);
    complete(a2, 'w1');
    complete(b2, 'w1');
    assert.equal(claim(), a3);
    assert.equal(claim(), undefined);
  });

  it('runs stateless jobs in parallel, oldest first', () => {
    const s1 = submit();
    const s2 = submit();
    const s3 = submit();
    assert.deepEqual([claim(), claim(), claim(), claim()], [s1, s2, s3, undefined]);
  });

  it('a job of a session behind a stateless job is not held up by it', () => {
    const s1 = submit();
    const a1 = submit('A');
    assert.deepEqual([claim(), claim()], [s1, a1]);
  });

  it('the claimed task carries what a worker needs, and the job is executing under the lease', () => {
    const id = submit();
    const c = claimNext(fx.db, opts('w9'))!;
    assert.equal(c.task.jobId, id);
    assert.equal(c.task.attempt, 1);
    assert.equal(c.task.dataPath, `/data/${tenant.id}.sqlite`);
    assert.equal(c.task.now, fx.clock.now());
    assert.deepEqual(
      c.task.batches.map((b) => [b.name, b.query, b.language, b.full]),
      [['query1', ACCOUNT_QUERY, 'zoqlexport', true]],
    );
    const row = fx.db.prepare('SELECT status, lease_owner, lease_until FROM jobs WHERE id = ?').get(id);
    assert.deepEqual(
      { ...(row as object) },
      { status: 'executing', lease_owner: 'w9', lease_until: fx.clock.now() + 60_000 },
    );
  });

  it('the database refuses two running jobs of one session whatever the claimer does', () => {
    const a1 = submit('A');
    const a2 = submit('A');
    fx.db.prepare("UPDATE jobs SET status = 'executing' WHERE id = ?").run(a1);
    assert.throws(
      () => fx.db.prepare("UPDATE jobs SET status = 'executing' WHERE id = ?").run(a2),
      /UNIQUE constraint failed/,
    );
  });
});
