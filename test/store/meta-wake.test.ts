import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { waitForJobs } from '../../src/store/meta/wake.ts';
import { TEST_STORE } from '../support/location.ts';
import { type MetaFixture, makeTenant, metaFixture } from './meta-fixture.ts';

const tenant = makeTenant();

/** Calls of a waitForJobs callback, as promises to await in turn. */
function calls(): { next(): Promise<void>; readonly onNotify: () => void; count: number } {
  const waiting: (() => void)[] = [];
  let pending = 0;
  const box = {
    count: 0,
    onNotify() {
      box.count++;
      const w = waiting.shift();
      if (w) w();
      else pending++;
    },
    next(): Promise<void> {
      if (pending > 0) {
        pending--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
  };
  return box;
}

describe(`waking idle workers on ${TEST_STORE}`, () => {
  let fx: MetaFixture;
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  it('SQLite: there is nothing to listen to; stopping is harmless', { skip: TEST_STORE !== 'sqlite' }, () => {
    let called = 0;
    const stop = waitForJobs(fx.location, () => called++);
    fx.submit(tenant);
    stop();
    stop();
    assert.equal(called, 0);
  });

  it('PostgreSQL: a submit wakes a listener once committed, so it claims at once', {
    skip: TEST_STORE !== 'postgres' && 'LISTEN/NOTIFY is PostgreSQL',
  }, async () => {
    const worker = fx.connect();
    const woken = calls();
    const claimedIds: string[] = [];
    const stop = waitForJobs(fx.location, () => {
      const c = fx.claim(worker, 'idle-worker');
      if (c) claimedIds.push(c.job.id);
      woken.onNotify();
    });
    try {
      await woken.next(); // listening
      assert.deepEqual(claimedIds, []);
      const id = fx.submit(tenant);
      await woken.next();
      assert.deepEqual(claimedIds, [id], 'the job was visible when the notification arrived');
      // A submit rolled back leaves nothing to claim; the next submit is claimed.
      assert.throws(() =>
        fx.db.transaction(() => {
          fx.submit(tenant);
          throw new Error('rolled back');
        }),
      );
      const second = fx.submit(tenant);
      await woken.next();
      assert.deepEqual(claimedIds, [id, second]);
    } finally {
      stop();
    }
  });

  it('PostgreSQL: a lost listening connection is reported and reopened, and wakes the listener when back', {
    skip: TEST_STORE !== 'postgres' && 'LISTEN/NOTIFY is PostgreSQL',
  }, async () => {
    const woken = calls();
    const errors: unknown[] = [];
    const stop = waitForJobs(fx.location, woken.onNotify, {
      retryMillis: 10,
      onError: (e) => errors.push(e),
    });
    try {
      await woken.next();
      const ended = fx.db
        .prepare(
          `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
        )
        .pluck()
        .get();
      assert.equal(ended, 1);
      await woken.next(); // listening again
      assert.ok(errors.length >= 1);
      fx.submit(tenant);
      await woken.next();
    } finally {
      stop();
    }
  });
});
