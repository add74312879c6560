import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { claimNext } from '../../src/jobs/claim.ts';
import { finishRun } from '../../src/jobs/finish.ts';
import { planSession } from '../../src/jobs/sessions.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { batchesOf } from '../../src/store/meta/jobs.ts';
import { sessionOf } from '../../src/store/meta/jobs-files.ts';
import { ACCOUNT_QUERY, makeTenant, metaFixture } from './helpers.ts';

const DAY = 86_400_000;
type Json = Record<string, unknown>;

describe('stateful sessions: full or incremental per query, cursor moved only by a completed job', () => {
  let fx: ReturnType<typeof metaFixture>;
  const tenant = makeTenant();
  const key = { tenantId: tenant.id, partner: 'p', project: 'x' };
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  const deleted = { column: 'Deleted', format: 'Boolean' } as const;
  const submit = (queries: unknown[], extra: Json = {}) =>
    submitJob(fx.deps, tenant, { version: '1.1', partner: 'p', project: 'x', queries, ...extra });
  /** Claims and ends the next job; returns the claimed batches' plans. */
  const run = (status: 'completed' | 'aborted', seq: number) => {
    const c = claimNext(fx.db, {
      owner: 'w',
      now: fx.clock.now(),
      leaseMillis: 60_000,
      queryMillis: 1,
      segmentRows: 10,
      tenantDataPath: (id) => id,
    })!;
    const result =
      status === 'completed'
        ? ({ status, snapshotSeq: seq } as const)
        : ({ status, batchId: c.task.batches[0]!.id, message: 'boom' } as const);
    assert.equal(finishRun(fx.db, c.job, 'w', result, fx.clock.now()), true);
    return c.task.batches.map((b) => ({ name: b.name, full: b.full, afterSeq: b.afterSeq }));
  };
  const q = (name: string, query = ACCOUNT_QUERY, del: unknown = undefined) => ({
    name,
    query,
    ...(del ? { deleted: del } : {}),
  });

  it('the first job of a session runs every query full; the next runs them after its snapshot', () => {
    submit([q('a'), q('b', 'select Id from Contact')]);
    assert.deepEqual(run('completed', 17), [
      { name: 'a', full: true, afterSeq: null },
      { name: 'b', full: true, afterSeq: null },
    ]);
    assert.deepEqual(sessionOf(fx.db, tenant.id, 'p', 'x')?.cursorSeq, 17);
    const second = submit([q('a'), q('b', 'select Id from Contact')]);
    assert.deepEqual(
      (second.batches as Json[]).map((b) => b.full),
      [false, false],
    );
    assert.deepEqual(run('completed', 25), [
      { name: 'a', full: false, afterSeq: 17 },
      { name: 'b', full: false, afterSeq: 17 },
    ]);
  });

  it('runs a query full again when its text, its deleted section or its name changes', () => {
    submit([
      q('same'),
      q('text'),
      q('added'),
      q('dropped', ACCOUNT_QUERY, deleted),
      q('column', ACCOUNT_QUERY, deleted),
      q('format', ACCOUNT_QUERY, deleted),
    ]);
    run('completed', 5);
    const plans = planSession(
      fx.db,
      key,
      [
        { name: 'same', query: ACCOUNT_QUERY, deleted: null },
        { name: 'text', query: 'select Id from Account', deleted: null },
        { name: 'added', query: ACCOUNT_QUERY, deleted },
        { name: 'dropped', query: ACCOUNT_QUERY, deleted: null },
        { name: 'column', query: ACCOUNT_QUERY, deleted: { column: 'Gone', format: 'Boolean' } },
        { name: 'format', query: ACCOUNT_QUERY, deleted: { column: 'Deleted', format: 'Numeric' } },
        { name: 'new', query: ACCOUNT_QUERY, deleted: null },
      ],
      fx.clock.now(),
    );
    assert.deepEqual(
      plans.map((p) => p.full),
      [false, true, true, true, true, true, true],
    );
  });

  it('starts over with full loads once the last completed job is older than 180 days', () => {
    submit([q('a')]);
    run('completed', 5);
    fx.clock.advance(180 * DAY);
    assert.equal(
      planSession(fx.db, key, [{ name: 'a', query: ACCOUNT_QUERY, deleted: null }], fx.clock.now())[0]!.full,
      false,
    );
    fx.clock.advance(1);
    assert.equal(
      planSession(fx.db, key, [{ name: 'a', query: ACCOUNT_QUERY, deleted: null }], fx.clock.now())[0]!.full,
      true,
    );
  });

  it('an aborted job leaves the cursor where it was, so the next job repeats its window', () => {
    submit([q('a')]);
    run('completed', 5);
    submit([q('a')]);
    assert.deepEqual(run('aborted', 9), [{ name: 'a', full: false, afterSeq: 5 }]);
    assert.equal(sessionOf(fx.db, tenant.id, 'p', 'x')?.cursorSeq, 5);
    submit([q('a')]);
    assert.deepEqual(run('completed', 12), [{ name: 'a', full: false, afterSeq: 5 }]);
  });

  it('decides at claim time: a job queued behind its session’s first job runs incrementally', () => {
    submit([q('a')]);
    const queued = submit([q('a')]);
    assert.equal((queued.batches as Json[])[0]!.full, true, 'provisional at submit: nothing completed yet');
    run('completed', 3);
    assert.deepEqual(run('completed', 4), [{ name: 'a', full: false, afterSeq: 3 }]);
    assert.equal(batchesOf(fx.db, queued.id as string)[0]!.full, false);
  });

  it('an empty query list re-runs the last completed job’s queries', () => {
    submit([q('a'), q('b', 'select Id from Contact', deleted)]);
    run('completed', 8);
    const again = submit([]);
    assert.equal(again.useLastCompletedJobQueries, true);
    assert.deepEqual(
      (again.batches as Json[]).map((b) => [b.name, b.query, b.full, b.deleted]),
      [
        ['a', ACCOUNT_QUERY, false, undefined],
        ['b', 'select Id from Contact', false, deleted],
      ],
    );
  });

  it('incrementalTime makes every query incremental from that time', () => {
    submit([q('a')], { incrementalTime: '2024-01-01 00:00:00' });
    assert.deepEqual(run('completed', 2), [{ name: 'a', full: false, afterSeq: null }]);
  });

  it('sessions are told apart by tenant, partner and project, case preserved', () => {
    submit([q('a')]);
    run('completed', 8);
    for (const other of [
      { ...key, project: 'X' },
      { ...key, partner: 'P' },
      { ...key, tenantId: makeTenant().id },
    ]) {
      assert.equal(
        planSession(fx.db, other, [{ name: 'a', query: ACCOUNT_QUERY, deleted: null }], fx.clock.now())[0]!
          .full,
        true,
      );
    }
  });
});
