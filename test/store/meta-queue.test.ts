import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Claimed } from '../../src/jobs/claim.ts';
import { cancelRun, finishRun } from '../../src/jobs/finish.ts';
import { UniqueViolation } from '../../src/store/db.ts';
import { type JobRow, jobByIdAnyTenant } from '../../src/store/meta/jobs.ts';
import { pickRunnable, releaseLease, renewLeases, takeLease } from '../../src/store/meta/jobs-queue.ts';
import { TEST_STORE } from '../support/location.ts';
import { type MetaFixture, makeTenant, metaFixture } from './meta-fixture.ts';

const tenant = makeTenant();
const onlyPostgres =
  TEST_STORE === 'postgres'
    ? false
    : 'interleaves two open transactions, which SQLite serialises (run with OPENAQUA_TEST_STORE=postgres)';

describe(`the job queue on ${TEST_STORE}`, () => {
  let fx: MetaFixture;
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  const claimed = (c: ReturnType<MetaFixture['claim']>) => c?.job.id;
  const complete = (job: JobRow, owner: string) =>
    assert.equal(finishRun(fx.db, job, owner, { status: 'completed', snapshotSeq: 1 }, fx.clock.now()), true);
  const status = (id: string) => jobByIdAnyTenant(fx.db, id)?.status;

  it('claims sessions side by side, each in the order received, and stateless jobs in parallel', () => {
    const a1 = fx.submit(tenant, 'A');
    const s1 = fx.submit(tenant);
    const a2 = fx.submit(tenant, 'A');
    const b1 = fx.submit(tenant, 'B');
    const s2 = fx.submit(tenant);
    const c1 = fx.claim(fx.db, 'w')!;
    assert.equal(c1.job.id, a1);
    assert.deepEqual([fx.claim(fx.db, 'w'), fx.claim(fx.db, 'w'), fx.claim(fx.db, 'w')].map(claimed), [
      s1,
      b1,
      s2,
    ]);
    assert.equal(fx.claim(fx.db, 'w'), undefined, 'a2 waits for a1');
    complete(c1.job, 'w');
    assert.equal(claimed(fx.claim(fx.db, 'w')), a2);
    assert.equal(fx.claim(fx.db, 'w'), undefined);
  });

  it('a job of a session behind a cancelled one runs; a cancelled job never runs', () => {
    const a1 = fx.submit(tenant, 'A');
    const a2 = fx.submit(tenant, 'A');
    assert.equal(cancelRun(fx.db, tenant.id, a1, fx.clock.now())?.cancelled, true);
    assert.equal(cancelRun(fx.db, tenant.id, a1, fx.clock.now())?.cancelled, false, 'already finished');
    assert.equal(claimed(fx.claim(fx.db, 'w')), a2);
    assert.equal(status(a1), 'cancelled');
  });

  it('a running job cancelled: its run can no longer finish it, and the session moves on', () => {
    const a1 = fx.submit(tenant, 'A');
    const a2 = fx.submit(tenant, 'A');
    const c = fx.claim(fx.db, 'w')!;
    assert.equal(cancelRun(fx.db, tenant.id, a1, fx.clock.now())?.cancelled, true);
    assert.equal(
      finishRun(fx.db, c.job, 'w', { status: 'completed', snapshotSeq: 1 }, fx.clock.now()),
      false,
    );
    assert.equal(status(a1), 'cancelled');
    assert.equal(claimed(fx.claim(fx.db, 'w')), a2);
  });

  it('an expired lease is claimed again (first of all), a renewed one is not; the old owner cannot finish', () => {
    const a1 = fx.submit(tenant, 'A');
    fx.submit(tenant, 'A');
    const first = fx.claim(fx.db, 'crashed', 30_000)!;
    const s1 = fx.submit(tenant);
    fx.clock.advance(20_000);
    assert.equal(renewLeases(fx.db, 'crashed', fx.clock.now() + 30_000), 1);
    fx.clock.advance(30_000);
    assert.equal(
      claimed(fx.claim(fx.db, 'other')),
      s1,
      'the renewed lease still holds at its last millisecond',
    );
    fx.submit(tenant);
    fx.clock.advance(1);
    const second = fx.claim(fx.db, 'other')!;
    assert.equal(second.job.id, a1);
    assert.equal(second.task.attempt, 2);
    assert.equal(finishRun(fx.db, first.job, 'crashed', { status: 'completed', snapshotSeq: 1 }, 0), false);
    complete(second.job, 'other');
    assert.equal(status(a1), 'completed');
  });

  it('a released lease (a stopped run) is claimable at once', () => {
    const a1 = fx.submit(tenant, 'A');
    fx.claim(fx.db, 'stopping');
    assert.equal(fx.claim(fx.db, 'other'), undefined);
    releaseLease(fx.db, a1, 'stopping');
    assert.equal(claimed(fx.claim(fx.db, 'other')), a1);
  });

  it('the database refuses two running jobs of one session, whoever sets them', () => {
    const a1 = fx.submit(tenant, 'A');
    const a2 = fx.submit(tenant, 'A');
    const other = fx.connect();
    fx.db.prepare("UPDATE jobs SET status = 'executing' WHERE id = ?").run(a1);
    assert.throws(
      () => other.prepare("UPDATE jobs SET status = 'executing' WHERE id = ?").run(a2),
      UniqueViolation,
    );
  });

  it('two connections claiming in turn never run two jobs of a session', () => {
    const [a, b] = [fx.db, fx.connect()];
    const ids = [1, 2, 3].flatMap(() => [fx.submit(tenant, 'A'), fx.submit(tenant, 'B')]);
    const order: string[] = [];
    const turns = [
      [a, 'a'],
      [b, 'b'],
      [a, 'a'],
    ] as const;
    for (let round = 0; round < ids.length && order.length < ids.length; round++) {
      const running: [string, Claimed][] = [];
      for (const [db, owner] of turns) {
        const c = fx.claim(db, owner);
        if (c) running.push([owner, c]);
      }
      assert.ok(running.length <= 2, 'one running job per session');
      for (const [owner, c] of running) {
        order.push(c.job.id);
        complete(c.job, owner);
      }
    }
    assert.deepEqual(
      order.filter((id) => ids.indexOf(id) % 2 === 0),
      ids.filter((_, i) => i % 2 === 0),
      'session A in submit order',
    );
    assert.deepEqual(order.toSorted(), ids.toSorted());
  });

  describe('claims interleaving with another open transaction (PostgreSQL)', { skip: onlyPostgres }, () => {
    it('a session head locked by another claimer keeps the session waiting; other sessions are claimed', () => {
      const a1 = fx.submit(tenant, 'A');
      fx.submit(tenant, 'A');
      const b1 = fx.submit(tenant, 'B');
      const other = fx.connect();
      fx.db.transaction(() => {
        // This connection has picked (and locked) a1 but not yet taken its lease.
        assert.equal(pickRunnable(fx.db, fx.clock.now())?.id, a1);
        assert.equal(claimed(fx.claim(other, 'other')), b1, 'a1 is skipped, a2 waits behind it');
        assert.equal(fx.claim(other, 'other'), undefined);
      });
      // a1 was picked but not leased: it is free again, and a2 still waits behind it.
      assert.equal(claimed(fx.claim(other, 'other')), a1);
      assert.equal(fx.claim(other, 'other'), undefined);
    });

    it('a session head claimed (not yet committed) by another claimer keeps the session waiting', () => {
      const a1 = fx.submit(tenant, 'A');
      const a2 = fx.submit(tenant, 'A');
      const other = fx.connect();
      const mine = fx.db.transaction(() => {
        const c = fx.claim(fx.db, 'me')!;
        assert.equal(c.job.id, a1);
        assert.equal(fx.claim(other, 'other'), undefined, 'neither a1 (locked) nor a2 (behind it)');
        return c;
      });
      assert.equal(fx.claim(other, 'other'), undefined, 'a1 runs');
      complete(mine.job, 'me');
      assert.equal(claimed(fx.claim(other, 'other')), a2);
    });

    it('an expired job being re-claimed by another claimer is neither taken twice nor overtaken', () => {
      const a1 = fx.submit(tenant, 'A');
      fx.submit(tenant, 'A');
      fx.claim(fx.db, 'crashed', 1000);
      fx.clock.advance(1001);
      const other = fx.connect();
      fx.db.transaction(() => {
        assert.equal(claimed(fx.claim(fx.db, 'me')), a1);
        assert.equal(fx.claim(other, 'other'), undefined);
      });
      assert.equal(jobByIdAnyTenant(fx.db, a1)?.leaseOwner, 'me');
      assert.equal(jobByIdAnyTenant(fx.db, a1)?.attempts, 2);
    });

    it('a claim that loses the race for a session takes nothing and leaves its transaction usable', () => {
      const x = fx.submit(tenant, 'A');
      const other = fx.connect();
      const third = fx.connect();
      let y = '';
      other.transaction(() => {
        let picked: JobRow | undefined;
        fx.db.transaction(() => {
          assert.equal(claimed(fx.claim(fx.db, 'me')), x);
          // A job of the same session appears ahead of x (as if submitted earlier): to `other`, x is
          // still submitted and locked, so y looks runnable.
          y = fx.submit(tenant, 'A', third);
          third.prepare('UPDATE jobs SET ord = ? WHERE id = ?').run(jobByIdAnyTenant(third, x)!.ord - 1, y);
          picked = pickRunnable(other, fx.clock.now());
          assert.equal(picked?.id, y);
        });
        // x is now committed as executing: the unique index refuses y.
        assert.equal(takeLease(other, y, 'other', fx.clock.now(), fx.clock.now() + 1000), false);
        assert.equal(other.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(y), 'submitted');
      });
      assert.equal(status(x), 'executing');
      assert.equal(status(y), 'submitted');
    });
  });
});
