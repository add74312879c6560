import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { submitJob } from '../api/flows.ts';
import { call, startTestServer, type TestServer } from '../api/server.ts';

const HOUR = 3_600_000;
const job = (name: string, extra: Record<string, unknown> = {}) => ({
  version: '1.1',
  name,
  ...extra,
  queries: [{ name: 'q', query: 'select Id from Account', type: 'zoqlexport' }],
});

describe('GET /v1/batch-query/jobs (job list)', () => {
  let s: TestServer;
  let headers: Record<string, string>;
  const clock = new FixedClock(Date.UTC(2024, 4, 1, 12));
  const ids = { old: '', first: '', second: '', other: '' };
  before(async () => {
    s = await startTestServer({ clock });
    headers = { authorization: s.a.basic };
    ids.old = (await submitJob(s, headers, job('old'))).id;
    clock.advance(73 * HOUR);
    ids.first = (await submitJob(s, headers, job('first', { partner: 'p', project: 'one' }))).id;
    clock.advance(1000);
    ids.second = (await submitJob(s, headers, job('second'))).id;
    await call(`${s.url}/v1/batch-query/jobs/${ids.second}`, { method: 'DELETE', headers });
    ids.other = (await submitJob(s, { authorization: s.b.basic }, job('theirs'))).id;
  });
  after(() => s.close());

  const list = async (qs = '', h = headers) => {
    const res = await call(`${s.url}/v1/batch-query/jobs${qs}`, { headers: h });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.jobs.map((j: { id: string }) => j.id);
  };

  it("lists the tenant's jobs of the last 72 hours, newest first, as job JSON with times", async () => {
    assert.deepEqual(await list(), [ids.second, ids.first]);
    const res = await call(`${s.url}/apps/api/batch-query/jobs?partner=p`, { headers });
    assert.equal(res.body.jobs.length, 1);
    const first = res.body.jobs[0];
    assert.equal(first.id, ids.first);
    assert.equal(first.name, 'first');
    assert.equal(first.status, 'submitted');
    assert.equal(first.project, 'one');
    assert.equal(first.batches[0].name, 'q');
    assert.equal(first.submittedAt, Date.UTC(2024, 4, 4, 13));
    assert.equal(first.startedAt, null);
    assert.equal(first.finishedAt, null);
  });

  it('filters by status, project, name and hours', async () => {
    assert.deepEqual(await list('?status=cancelled'), [ids.second]);
    assert.deepEqual(await list('?status=submitted&project=one'), [ids.first]);
    assert.deepEqual(await list('?name=SEC'), [ids.second]);
    assert.deepEqual(await list('?hours=100'), [ids.second, ids.first, ids.old]);
    assert.deepEqual(await list('?hours=100&name=old'), [ids.old]);
  });

  it('is scoped to the tenant of the credential', async () => {
    assert.deepEqual(await list('', { authorization: s.b.basic }), [ids.other]);
  });

  it('refuses a bad filter with 400 and missing credentials with 401', async () => {
    const bad = await call(`${s.url}/v1/batch-query/jobs?status=done`, { headers });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, {
      success: false,
      code: 50000090,
      message: "status must be one of submitted, executing, completed, aborted, cancelled, error, not 'done'",
    });
    const hours = await call(`${s.url}/v1/batch-query/jobs?hours=0`, { headers });
    assert.equal(hours.body.message, "hours must be an integer from 1 to 4320, not '0'");
    assert.equal((await call(`${s.url}/v1/batch-query/jobs`)).status, 401);
  });
});
