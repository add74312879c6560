import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount, download, pollJob, submitJob } from './flows.ts';
import { call, type Json, startTestServer, type TestServer } from './server.ts';

/** The stateful job a Singer-style client sends for one object. */
function syncJob() {
  return {
    format: 'csv',
    version: '1.1',
    partner: 'singer',
    project: 'Account_1',
    useQueryLabels: 'true',
    dateTimeUtc: 'true',
    queries: [
      {
        name: 'Account',
        query: 'select Id, Name from Account order by UpdatedDate asc',
        type: 'zoqlexport',
        deleted: { column: 'Deleted', format: 'Boolean' },
      },
    ],
  };
}

/** The client reads `segments` when present, else `fileId`, and parses the files line by line. */
async function rowsOf(s: TestServer, headers: Record<string, string>, batch: Json): Promise<string[]> {
  const ids: string[] = batch.segments ?? [batch.fileId];
  const lines: string[] = [];
  for (const id of ids) {
    const [header, ...rows] = (await download(s, headers, id)).text.split('\n').filter(Boolean);
    assert.equal(header, 'Account.Deleted,Account.Id,Account.Name');
    lines.push(...rows);
  }
  return lines.sort();
}

describe('stateful sync flow', () => {
  let s: TestServer;
  let headers: Record<string, string>;
  const ids: Record<string, string> = {};
  before(async () => {
    s = await startTestServer();
    headers = { authorization: s.a.basic };
    for (const name of ['Acme', 'Globex']) ids[name] = await createAccount(s, headers, name);
  });
  after(() => s.close());

  it('loads everything first, then only the changes, deletions flagged in the first column', async () => {
    const first = await pollJob(s, headers, (await submitJob(s, headers, syncJob())).id);
    assert.equal(first.status, 'completed');
    assert.equal(first.batches[0].full, true);
    assert.deepEqual(
      await rowsOf(s, headers, first.batches[0]),
      [`false,${ids.Acme},Acme`, `false,${ids.Globex},Globex`].sort(),
    );

    await call(`${s.url}/v1/object/account/${ids.Globex}`, {
      method: 'PUT',
      headers,
      body: { Name: 'Globex 2' },
    });
    ids.Hooli = await createAccount(s, headers, 'Hooli');
    await call(`${s.url}/v1/object/account/${ids.Acme}`, { method: 'DELETE', headers });

    const second = await pollJob(s, headers, (await submitJob(s, headers, syncJob())).id);
    assert.equal(second.status, 'completed');
    assert.equal(second.batches[0].full, false);
    assert.deepEqual(
      await rowsOf(s, headers, second.batches[0]),
      [`false,${ids.Globex},Globex 2`, `false,${ids.Hooli},Hooli`, `true,${ids.Acme},Acme`].sort(),
    );

    const last = await call(`${s.url}/v1/batch-query/jobs/partner/singer/project/Account_1`, { headers });
    assert.equal(last.status, 200);
    assert.equal(last.body.id, second.id);

    const third = await pollJob(s, headers, (await submitJob(s, headers, syncJob())).id);
    assert.deepEqual(await rowsOf(s, headers, third.batches[0]), []);
  });

  it('re-runs the last completed queries when a stateful job has none', async () => {
    const job = await submitJob(s, headers, { ...syncJob(), queries: [] });
    assert.equal(job.useLastCompletedJobQueries, true);
    assert.deepEqual(
      job.batches.map((b: Json) => [b.name, b.query]),
      [['Account', 'select Id, Name from Account order by UpdatedDate asc']],
    );
    assert.equal((await pollJob(s, headers, job.id)).status, 'completed');
  });
});
