import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount, download, pollJob, submitJob } from './flows.ts';
import { call, startTestServer, type TestServer } from './server.ts';

const JOB = {
  version: '1.1',
  partner: 'acme',
  project: 'paths',
  useQueryLabels: true,
  queries: [{ name: 'names', query: 'select Name from Account', type: 'zoqlexport' }],
};

describe('path aliases', () => {
  let s: TestServer;
  let headers: Record<string, string>;
  before(async () => {
    s = await startTestServer();
    headers = { authorization: s.a.basic };
    await createAccount(s, headers, 'Acme');
  });
  after(() => s.close());

  it('accepts a submit at every spelling of the batch-query path', async () => {
    for (const path of [
      '/v1/batch-query',
      '/v1/batch-query/',
      '/v1//batch-query/',
      '/apps/api/batch-query/',
    ]) {
      const res = await call(`${s.url}${path}`, {
        method: 'POST',
        headers,
        body: { version: '1.0', queries: JOB.queries },
      });
      assert.equal(res.status, 200, path);
      assert.equal(res.body.status, 'submitted', path);
    }
  });

  it('answers a job at every spelling of its path', async () => {
    const job = await submitJob(s, headers, JOB);
    const finished = await pollJob(s, headers, job.id);
    assert.equal(finished.status, 'completed');
    for (const path of [
      `/v1/batch-query/jobs/${job.id}`,
      `/v1/batch-query/jobs/${job.id}/`,
      `/v1/batch-query//jobs/${job.id}`,
      `/apps/api/batch-query/jobs/${job.id}`,
      `/apps/api//batch-query//jobs/${job.id}/`,
      '/v1/batch-query/jobs/partner/acme/project/paths',
      '/apps/api/batch-query/jobs/partner/acme/project/paths/',
    ]) {
      const res = await call(`${s.url}${path}`, { headers });
      assert.equal(res.status, 200, path);
      assert.deepEqual(res.body, finished, path);
    }
  });

  it("answers another tenant's session and job ids as unknown", async () => {
    const other = { authorization: s.b.basic };
    const unknown = { status: 'error', errorCode: '90002', message: 'Invalid Job Id.' };
    const session = await call(`${s.url}/v1/batch-query/jobs/partner/acme/project/paths`, { headers: other });
    assert.equal(session.status, 200);
    assert.deepEqual(session.body, unknown);
    const mine = await call(`${s.url}/v1/batch-query/jobs/partner/acme/project/paths`, { headers });
    const job = await call(`${s.url}/apps/api/batch-query/jobs/${mine.body.id}`, { headers: other });
    assert.deepEqual(job.body, unknown);
  });

  it('serves a file at every alias', async () => {
    const job = await submitJob(s, headers, { ...JOB, project: 'files' });
    const fileId = (await pollJob(s, headers, job.id)).batches[0].fileId;
    for (const path of [
      '/v1/file',
      '/v1/files',
      '/v1/batch-query/file',
      '/apps/api/file',
      '/apps/api/files',
      '/apps/api/batch-query/file',
      '/v1//file',
    ]) {
      const file = await download(s, headers, fileId, path);
      assert.equal(file.contentType, 'text/csv;charset=UTF-8', path);
      assert.equal(file.text, 'Account.Name\nAcme\n', path);
    }
  });

  it('cancels under /apps/api and answers 90003 for a finished job', async () => {
    const pending = await submitJob(s, headers, { version: '1.0', queries: JOB.queries }, '/apps/api');
    const cancelled = await call(`${s.url}/apps/api/batch-query/jobs/${pending.id}/`, {
      method: 'DELETE',
      headers,
    });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    const again = await call(`${s.url}/v1/batch-query//jobs/${pending.id}`, { method: 'DELETE', headers });
    assert.equal(again.status, 200);
    assert.equal(again.body.errorCode, '90003');
    assert.equal(again.body.message, 'Invalid Job Id for job cancellation.');
    assert.equal(again.body.status, 'error');
  });
});
