import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { batchCsv, crud, type Json, runJob, type StatefulServer, startServer, submit } from './harness.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 2, 1, 12);
const SESSION = { version: '1.1', partner: 'p', project: 'x' };
const QUERY = 'select Id, Name from Account';
const BOOLEAN = { column: 'Deleted', format: 'Boolean' };
const NUMERIC = { column: 'IsGone', format: 'Numeric' };

describe('deleted records: flagged in a first column of incremental loads, never in full loads', () => {
  let s: StatefulServer;
  const clock = new FixedClock(T0);
  const ids: Record<string, string> = {};
  beforeEach(async () => {
    clock.set(T0);
    s = await startServer({ jobClock: clock, dataClock: clock });
    for (const name of ['Acme', 'Globex', 'Hooli']) ids[name] = await crud.create(s, name);
  });
  afterEach(() => s.close());

  async function lines(job: Json, i = 0): Promise<{ header: string[]; rows: string[] }> {
    const csv = await batchCsv(s, job.batches[i]);
    return { header: csv.header, rows: csv.rows.map((r) => r.join(',')).sort() };
  }

  it('full load: the column is there, every row false/0, and deleted records are left out', async () => {
    await crud.remove(s, ids.Hooli!);
    const job = await runJob(s, {
      ...SESSION,
      useQueryLabels: false,
      queries: [
        { name: 'bool', query: QUERY, deleted: BOOLEAN },
        { name: 'num', query: QUERY, deleted: NUMERIC },
      ],
    });
    assert.equal(job.batches[0].full, true);
    // The deleted column is `<Object>.<column>` even when the others carry labels.
    assert.deepEqual(await lines(job, 0), {
      header: ['Account.Deleted', 'Account: ID', 'Account: Name'],
      rows: [`false,${ids.Acme},Acme`, `false,${ids.Globex},Globex`].sort(),
    });
    assert.deepEqual((await lines(job, 1)).rows, [`0,${ids.Acme},Acme`, `0,${ids.Globex},Globex`].sort());
  });

  it('incremental: deletions of older records flagged true/1 first; created-and-deleted inside the window left out', async () => {
    const queries = [
      { name: 'bool', query: QUERY, deleted: BOOLEAN },
      { name: 'num', query: QUERY, deleted: NUMERIC },
    ];
    await runJob(s, { ...SESSION, useQueryLabels: true, queries });
    await crud.update(s, ids.Acme!, 'Acme 2');
    await crud.remove(s, ids.Globex!);
    const brief = await crud.create(s, 'Brief');
    await crud.update(s, brief, 'Brief 2');
    await crud.remove(s, brief);
    const kept = await crud.create(s, 'Kept');
    const job = await runJob(s, { ...SESSION, useQueryLabels: true, queries });
    assert.deepEqual(
      job.batches.map((b: Json) => [b.full, b.recordCount]),
      [
        [false, 3],
        [false, 3],
      ],
    );
    assert.deepEqual(await lines(job, 0), {
      header: ['Account.Deleted', 'Account.Id', 'Account.Name'],
      rows: [`false,${ids.Acme},Acme 2`, `true,${ids.Globex},Globex`, `false,${kept},Kept`].sort(),
    });
    assert.deepEqual(await lines(job, 1), {
      header: ['Account.IsGone', 'Account.Id', 'Account.Name'],
      rows: [`0,${ids.Acme},Acme 2`, `1,${ids.Globex},Globex`, `0,${kept},Kept`].sort(),
    });
    // A deletion is reported once: the next window does not repeat it.
    const next = await runJob(s, { ...SESSION, useQueryLabels: true, queries });
    assert.deepEqual((await lines(next, 0)).rows, []);
  });

  it('stateless: deleted refused with 90012 (the job id answered), unless forceExport, which includes deleted rows flagged', async () => {
    await crud.remove(s, ids.Globex!);
    const refused = await submit(s, { queries: [{ name: 'a', query: QUERY, deleted: BOOLEAN }] });
    assert.equal(refused.status, 'error');
    assert.equal(refused.errorCode, '90012');
    assert.equal(refused.message, 'Stateless AQuA does not support deleted columns.');
    assert.match(refused.id, /^[0-9a-f]{32}$/);
    const forced = await runJob(s, {
      useQueryLabels: true,
      queries: [
        { name: 'bool', query: QUERY, deleted: { ...BOOLEAN, forceExport: true } },
        {
          name: 'num',
          query: `${QUERY} where Name != 'Hooli'`,
          deleted: { ...NUMERIC, forceExport: 'true' },
        },
      ],
    });
    assert.deepEqual(forced.batches[0].deleted, { column: 'Deleted', format: 'Boolean', forceExport: true });
    assert.deepEqual(
      (await lines(forced, 0)).rows,
      [`false,${ids.Acme},Acme`, `true,${ids.Globex},Globex`, `false,${ids.Hooli},Hooli`].sort(),
    );
    assert.deepEqual((await lines(forced, 1)).rows, [`0,${ids.Acme},Acme`, `1,${ids.Globex},Globex`].sort());
  });

  it('objects without deleted records: 90017, batch deleted_notallowed, in both modes', async () => {
    for (const mode of [SESSION, {}]) {
      const res = await submit(s, {
        ...mode,
        queries: [
          { name: 'accounts', query: QUERY },
          {
            name: 'periods',
            query: 'select Id, Name from AccountingPeriod',
            deleted: { ...BOOLEAN, forceExport: true },
          },
        ],
      });
      assert.equal(res.status, 'error');
      assert.equal(res.errorCode, '90017');
      assert.equal(
        res.message,
        'Objects included in the queries do not support the querying of deleted records. Remove Deleted section in the JSON request and retry the request',
      );
      assert.deepEqual(
        res.batches.map((b: Json) => b.status),
        ['pending', 'deleted_notallowed'],
      );
    }
  });

  it('the retention sweep purges records deleted more than 30 days ago (injected clock)', async () => {
    await crud.remove(s, ids.Acme!);
    clock.advance(20 * DAY);
    await crud.remove(s, ids.Globex!);
    const forced = {
      useQueryLabels: true,
      queries: [{ name: 'a', query: QUERY, deleted: { ...BOOLEAN, forceExport: true } }],
    };
    const exported = async () => (await lines(await runJob(s, forced))).rows;
    assert.deepEqual(
      await exported(),
      [`true,${ids.Acme},Acme`, `true,${ids.Globex},Globex`, `false,${ids.Hooli},Hooli`].sort(),
    );
    clock.set(T0 + 30 * DAY);
    await s.jobs.sweep();
    assert.equal((await exported()).length, 3, 'kept for exactly 30 days');
    clock.set(T0 + 30 * DAY + 1);
    await s.jobs.sweep();
    assert.deepEqual(await exported(), [`true,${ids.Globex},Globex`, `false,${ids.Hooli},Hooli`].sort());
    clock.set(T0 + 50 * DAY + 1);
    await s.jobs.sweep();
    assert.deepEqual(await exported(), [`false,${ids.Hooli},Hooli`]);
  });
});
