import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../api/server.ts';
import {
  batchCsv,
  crud,
  dataReader,
  getJob,
  type Json,
  Replica,
  runJob,
  type StatefulServer,
  startServer,
  statelessLines,
  submit,
  waitJob,
} from './harness.ts';

/** Rows of the second query, so that it is still running when the cancel arrives. */
const BIG_ROWS = 60_000;
const SESSION = { version: '1.1', partner: 'p', project: 'repeat', useQueryLabels: true };
const ACCOUNTS = {
  name: 'accounts',
  query: 'select Id, Name from Account',
  deleted: { column: 'Deleted', format: 'Numeric' },
};
/** A big full load every time: its text changes from job to job. */
const products = (k: number) => ({
  name: 'products',
  query: `select Id, Name from Product where Name != 'x${k}'`,
});

describe('a cancelled or aborted job leaves the cursor: the next completed job repeats its window', () => {
  let s: StatefulServer;
  const ids: string[] = [];
  before(async () => {
    s = await startServer();
    for (let i = 0; i < 5; i++) ids.push(await crud.create(s, `acc${i}`));
    s.tenants.store(s.tenant.id).bulkInsert(
      'Product',
      ['Name'],
      Array.from({ length: BIG_ROWS }, (_, i) => [`product ${i}`]),
    );
  });
  after(() => s.close());

  async function lastJobId(): Promise<string> {
    const res = await call(`${s.url}/v1/batch-query/jobs/partner/p/project/repeat`, { headers: s.headers });
    return res.body.id;
  }

  /** Lines of the accounts batch, deleted flag first. */
  async function accountLines(job: Json): Promise<string[]> {
    return (await batchCsv(s, job.batches[0])).rows.map((r) => r.join(',')).sort();
  }

  it('nothing lost, nothing skipped across a cancel mid-run and a run-time abort', async (t) => {
    const replica = new Replica(1);
    const first = await runJob(s, { ...SESSION, queries: [ACCOUNTS, products(0)] });
    replica.apply(first.batches[0], await batchCsv(s, first.batches[0]));
    const applied = replica.lines();
    assert.deepEqual(applied, await statelessLines(s, 'select Id, Name from Account'));

    // Window 1: changes the cancelled job exports but the session must not count as delivered.
    await crud.update(s, ids[0]!, 'acc0 v2');
    await crud.remove(s, ids[1]!);
    const created = await crud.create(s, 'acc5');

    // Cancel over HTTP while the second query is exporting (the first one is done by then). Should the
    // job ever finish before the cancel lands, it is a completed job like any other: try again.
    let cancelled: Json | undefined;
    let lastCompleted = first.id;
    let tries = 0;
    for (let k = 1; k <= 5 && !cancelled; k++) {
      tries = k;
      const job = await submit(s, { ...SESSION, queries: [ACCOUNTS, products(k)] });
      const running = s.jobs.runOnce();
      while ((s.jobs.get(s.tenant, job.id) as Json).batches[1].status !== 'executing') {
        await new Promise((r) => setImmediate(r));
      }
      const res = await call(`${s.url}/v1/batch-query/jobs/${job.id}`, {
        method: 'DELETE',
        headers: s.headers,
      });
      await running;
      if (res.body.status === 'cancelled') cancelled = await getJob(s, job.id);
      else {
        assert.equal(res.body.errorCode, '90003');
        const done = await getJob(s, job.id);
        replica.apply(done.batches[0], await batchCsv(s, done.batches[0]));
        lastCompleted = done.id;
      }
    }
    assert.ok(cancelled, 'a cancel landed while the job was running');
    t.diagnostic(`the cancel landed mid-run on try ${tries}`);
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual(
      cancelled.batches.map((b: Json) => [b.status, b.message]),
      [
        ['completed', ''],
        ['aborted', 'The query execution has been aborted.'],
      ],
    );
    assert.equal(await lastJobId(), lastCompleted);

    // Window 2: a record made in window 1 is deleted; one is made and deleted; another changes.
    await crud.remove(s, created);
    await crud.remove(s, await crud.create(s, 'acc6'));
    await crud.update(s, ids[2]!, 'acc2 v2');

    // A job that fails at run time: its second query reads a table that has gone from the tenant file.
    const raw = dataReader(s);
    raw.exec('ALTER TABLE "Contact" RENAME TO "ContactGone"');
    const failing = await submit(s, {
      ...SESSION,
      queries: [ACCOUNTS, { name: 'contacts', query: 'select Id, FirstName from Contact' }],
    });
    const aborted = await waitJob(s, failing.id);
    raw.exec('ALTER TABLE "ContactGone" RENAME TO "Contact"');
    raw.close();
    assert.equal(aborted.status, 'aborted');
    assert.equal(aborted.batches[0].status, 'completed');
    assert.equal(aborted.batches[1].status, 'aborted');
    assert.match(aborted.batches[1].message, /no such table: Contact|relation "Contact" does not exist/);
    assert.equal(await lastJobId(), lastCompleted);

    // Window 3, then a job that completes: it carries every change since the last completed job.
    await crud.update(s, ids[3]!, 'acc3 v2');
    const before = new Map(replica.lines().map((l) => [l.split(',')[0]!, l]));
    const next = await runJob(s, { ...SESSION, queries: [ACCOUNTS] });
    assert.equal(next.batches[0].full, false);
    const truth = await statelessLines(s, 'select Id, Name from Account');
    const now = new Map(truth.map((l) => [l.split(',')[0]!, l]));
    const expected = [
      ...[...now].filter(([id, line]) => before.get(id) !== line).map(([, line]) => `0,${line}`),
      ...[...before].filter(([id]) => !now.has(id)).map(([, line]) => `1,${line}`),
    ].sort();
    assert.deepEqual(await accountLines(next), expected);
    if (lastCompleted === first.id) {
      // The usual case, where the first cancel landed: the exact window since the first job.
      assert.deepEqual(
        expected,
        [`0,${ids[0]},acc0 v2`, `1,${ids[1]},acc1`, `0,${ids[2]},acc2 v2`, `0,${ids[3]},acc3 v2`].sort(),
      );
    }
    replica.apply(next.batches[0], await batchCsv(s, next.batches[0]));
    assert.deepEqual(replica.lines(), truth);
    assert.equal(await lastJobId(), next.id);
  });
});
