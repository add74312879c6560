import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../api/server.ts';
import {
  batchCsv,
  crud,
  getJob,
  type Json,
  runJob,
  type StatefulServer,
  startServer,
  submit,
  waitJob,
} from './harness.ts';

const SESSION = { version: '1.2', partner: 'Partner', project: 'Acct_1', useQueryLabels: true };
const QUERIES = [
  {
    name: 'accounts',
    query: 'select Id, Name from Account',
    type: 'zoqlexport',
    deleted: { column: 'Deleted', format: 'Numeric' },
  },
  { name: 'contacts', query: 'select Id, FirstName from Contact', type: 'zoql', apiVersion: '60.0' },
];
const UNKNOWN = { status: 'error', errorCode: '90002', message: 'Invalid Job Id.' };

describe('an empty stateful query list re-runs the last completed job; the last completed job by session', () => {
  let s: StatefulServer;
  before(async () => {
    s = await startServer();
    await crud.create(s, 'Acme');
  });
  after(() => s.close());

  async function lastJob(partner: string, project: string, prefix = '/v1'): Promise<Json> {
    const res = await call(`${s.url}${prefix}/batch-query/jobs/partner/${partner}/project/${project}`, {
      headers: s.headers,
    });
    assert.equal(res.status, 200);
    return res.body;
  }

  it('an unknown session answers 90002; a session with no completed job too; no queries to re-run is 90016', async () => {
    assert.deepEqual(await lastJob('Partner', 'Acct_1'), UNKNOWN);
    const empty = await submit(s, { ...SESSION, queries: [] });
    assert.equal(empty.errorCode, '90016');
    const stateless = await submit(s, { version: '1.0', queries: [] });
    assert.equal(stateless.errorCode, '90016');
    assert.equal(stateless.message, 'There are no queries included in the AQuA version 1.0 request.');
    const queued = await submit(s, { ...SESSION, queries: QUERIES });
    assert.deepEqual(await lastJob('Partner', 'Acct_1'), UNKNOWN, 'submitted is not completed');
    assert.equal((await waitJob(s, queued.id)).status, 'completed');
  });

  it('re-runs the last completed job’s queries incrementally, answering useLastCompletedJobQueries: true', async () => {
    const last = await lastJob('Partner', 'Acct_1');
    assert.equal(last.status, 'completed');
    assert.equal(last.useLastCompletedJobQueries, false);
    const id = await crud.create(s, 'Globex');
    for (const queries of [[], undefined]) {
      const body: Json = { ...SESSION };
      if (queries) body.queries = queries;
      const submitted = await submit(s, body);
      assert.equal(submitted.useLastCompletedJobQueries, true);
      assert.deepEqual(
        submitted.batches.map((b: Json) => [b.name, b.query, b.batchType, b.apiVersion, b.deleted]),
        [
          ['accounts', QUERIES[0]!.query, 'zoqlexport', '145.0', { column: 'Deleted', format: 'Numeric' }],
          ['contacts', QUERIES[1]!.query, 'zoql', '60.0', undefined],
        ],
      );
      const job = await waitJob(s, submitted.id);
      assert.equal(job.status, 'completed');
      assert.deepEqual(
        job.batches.map((b: Json) => b.full),
        [false, false],
      );
      const rows = (await batchCsv(s, job.batches[0])).rows.map((r) => r.join(','));
      assert.deepEqual(rows, queries ? [`0,${id},Globex`] : []);
      assert.equal((await lastJob('Partner', 'Acct_1')).id, job.id);
    }
  });

  it('answers the last completed job, not a later cancelled or failed one, also under /apps/api', async () => {
    const completed = await runJob(s, { ...SESSION, queries: QUERIES });
    const cancelled = await submit(s, { ...SESSION, queries: [] });
    const res = await call(`${s.url}/v1/batch-query/jobs/${cancelled.id}`, {
      method: 'DELETE',
      headers: s.headers,
    });
    assert.equal(res.body.status, 'cancelled');
    const failed = await submit(s, {
      ...SESSION,
      queries: [{ name: 'bad', query: 'select Nope from Account' }],
    });
    assert.equal(failed.errorCode, '90005');
    assert.deepEqual(await lastJob('Partner', 'Acct_1'), await getJob(s, completed.id));
    assert.equal((await lastJob('Partner', 'Acct_1', '/apps/api')).id, completed.id);
    // The re-run takes the completed job's queries, not the failed job's.
    const again = await submit(s, { ...SESSION, queries: [] });
    assert.deepEqual(
      again.batches.map((b: Json) => b.name),
      ['accounts', 'contacts'],
    );
    assert.equal((await waitJob(s, again.id)).status, 'completed');
    assert.deepEqual(await lastJob('partner', 'Acct_1'), UNKNOWN);
    assert.deepEqual(await lastJob('Partner', 'acct_1'), UNKNOWN);
  });
});
