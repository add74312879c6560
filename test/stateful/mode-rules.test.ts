import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../api/server.ts';
import { batchCsv, crud, type Json, runJob, type StatefulServer, startServer, submit } from './harness.ts';

const QUERY = 'select Id, Name from Account';
const DELETED = { column: 'Deleted', format: 'Boolean' };

/** A job body with the session fields given (undefined ones left out). */
function body(session: Json, deleted = false): Json {
  return {
    useQueryLabels: true,
    ...session,
    queries: [{ name: 'accounts', query: QUERY, ...(deleted ? { deleted: DELETED } : {}) }],
  };
}

describe('mode rules: stateless for 1.0 or a missing partner/project; a session is tenant + partner + project, exactly', () => {
  let s: StatefulServer;
  let ids: string[];
  before(async () => {
    s = await startServer();
    ids = [await crud.create(s, 'Acme'), await crud.create(s, 'Globex')];
  });
  after(() => s.close());

  const all = () => ids.map((id, i) => `${id},${['Acme', 'Globex'][i]}`).sort();
  async function lines(job: Json): Promise<string[]> {
    return (await batchCsv(s, job.batches[0])).rows.map((r) => r.join(',')).sort();
  }
  async function lastJob(partner: string, project: string): Promise<Json> {
    const res = await call(`${s.url}/v1/batch-query/jobs/partner/${partner}/project/${project}`, {
      headers: s.headers,
    });
    assert.equal(res.status, 200);
    return res.body;
  }
  const unknown = { status: 'error', errorCode: '90002', message: 'Invalid Job Id.' };

  for (const [label, session] of [
    ['version 1.0 with partner and project', { version: '1.0', partner: 'p10', project: 'x' }],
    ['version 1.1 with no project', { version: '1.1', partner: 'p11' }],
    ['version 1.2 with no partner', { version: '1.2', project: 'x12' }],
    ['version 1.1 with a null project', { version: '1.1', partner: 'p11n', project: null }],
    ['version 1.1 with an empty partner', { version: '1.1', partner: '', project: 'x11e' }],
  ] as const) {
    it(`${label} is stateless: every run full with every row, deleted refused (90012), no session`, async () => {
      for (let run = 0; run < 2; run++) {
        const job = await runJob(s, body(session));
        assert.equal(job.batches[0].full, true);
        assert.deepEqual(await lines(job), all());
      }
      const refused = await submit(s, body(session, true));
      assert.equal(refused.errorCode, '90012');
      assert.equal(refused.message, 'Stateless AQuA does not support deleted columns.');
      const partner = 'partner' in session && session.partner ? session.partner : 'p';
      const project = 'project' in session && session.project ? session.project : 'x';
      assert.deepEqual(await lastJob(partner, project), unknown);
    });
  }

  for (const version of ['1.1', '1.2', 1.1]) {
    it(`version ${JSON.stringify(version)} with partner and project is stateful: the second run is incremental`, async () => {
      const session = { version, partner: 'stateful', project: `v${version}-${typeof version}` };
      const first = await runJob(s, body(session, true));
      assert.equal(first.version, String(version));
      assert.equal(first.batches[0].full, true);
      assert.deepEqual(
        await lines(first),
        all().map((l) => `false,${l}`),
      );
      const second = await runJob(s, body(session, true));
      assert.equal(second.batches[0].full, false);
      assert.deepEqual(await lines(second), []);
      assert.equal((await lastJob('stateful', session.project)).id, second.id);
    });
  }

  it('matches the session key exactly: another case of partner or project is another session', async () => {
    const session = { version: '1.1', partner: 'Salesforce', project: 'Acct_1' };
    await runJob(s, body(session));
    const again = await runJob(s, body(session));
    assert.equal(again.batches[0].full, false);
    for (const other of [
      { ...session, partner: 'salesforce' },
      { ...session, project: 'ACCT_1' },
      { ...session, project: 'Acct_1 ' },
    ]) {
      const job = await runJob(s, body(other));
      assert.equal(job.batches[0].full, true, JSON.stringify(other));
      assert.deepEqual(await lines(job), all());
    }
    assert.equal((await lastJob('Salesforce', 'Acct_1')).id, again.id);
    assert.deepEqual(await lastJob('SALESFORCE', 'Acct_1'), unknown);
  });
});
