import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LocalFileStore } from '../../src/files/index.ts';
import { newId } from '../../src/ids.ts';
import { claimNext } from '../../src/jobs/claim.ts';
import type { RunResult } from '../../src/jobs/finish.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { jobById } from '../../src/store/meta/jobs.ts';
import { ACCOUNT_QUERY, makeTenant, metaFixture } from './helpers.ts';

describe('heartbeat: renews the leases of running jobs and stops runs whose job was taken over', () => {
  let fx: ReturnType<typeof metaFixture>;
  const tenant = makeTenant();
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  const scheduler = (owner: string) =>
    new Scheduler({
      db: fx.db,
      clock: fx.clock,
      files: new LocalFileStore(join(fx.dir, 'files')),
      owner,
      leaseMillis: 30_000,
      queryMillis: 1000,
      segmentRows: 10,
      newId,
      tenantDataPath: (id) => id,
      jobEnded: () => {},
    });

  /** Runs a claimed job with an execution that only ends when its signal aborts. */
  function runUntilStopped(s: Scheduler): { done: Promise<void>; started: Promise<void> } {
    let started!: () => void;
    const startedP = new Promise<void>((r) => {
      started = r;
    });
    const claimed = s.claim()!;
    const done = s.run(claimed, (_c, _events, signal) => {
      started();
      return new Promise<RunResult>((resolve) =>
        signal.addEventListener('abort', () => resolve({ status: 'cancelled' }), { once: true }),
      );
    });
    return { done, started: startedP };
  }

  it('keeps the job while renewing, and stops the run once another claimer took it', async () => {
    const id = submitJob(fx.deps, tenant, { queries: [{ query: ACCOUNT_QUERY }] }).id as string;
    const mine = scheduler('mine');
    const run = runUntilStopped(mine);
    await run.started;
    fx.clock.advance(20_000);
    mine.heartbeat();
    fx.clock.advance(20_000);
    assert.equal(
      claimNext(fx.db, {
        owner: 'thief',
        now: fx.clock.now(),
        leaseMillis: 30_000,
        queryMillis: 1,
        segmentRows: 1,
        tenantDataPath: (t) => t,
      }),
      undefined,
    );
    assert.equal(mine.size, 1);
    // No heartbeat for longer than the lease: another process takes the job over.
    fx.clock.advance(30_001);
    const stolen = claimNext(fx.db, {
      owner: 'thief',
      now: fx.clock.now(),
      leaseMillis: 30_000,
      queryMillis: 1,
      segmentRows: 1,
      tenantDataPath: (t) => t,
    });
    assert.equal(stolen?.job.id, id);
    mine.heartbeat();
    await run.done;
    assert.equal(mine.size, 0);
    const row = jobById(fx.db, tenant.id, id)!;
    assert.equal(row.status, 'executing');
    assert.equal(row.leaseOwner, 'thief');
  });

  it('a run stopped by shutdown releases its lease so the next claimer starts at once', async () => {
    const id = submitJob(fx.deps, tenant, { queries: [{ query: ACCOUNT_QUERY }] }).id as string;
    const mine = scheduler('mine');
    const run = runUntilStopped(mine);
    await run.started;
    await mine.stopAll();
    await run.done;
    assert.equal(scheduler('next').claim()?.job.id, id);
  });
});
