import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { batchesOf, type Json, type ServiceFixture, serviceFixture } from './service-fixture.ts';

const A1 = '1'.repeat(32);
const A2 = '2'.repeat(32);
const A3 = '3'.repeat(32);
const A4 = '4'.repeat(32);

describe('a stateful session end to end: a full load, then only what changed, deletes flagged', () => {
  let fx: ServiceFixture;
  beforeEach(() => {
    fx = serviceFixture();
    fx.store.create('Account', { Id: A1, Name: 'one' });
    fx.store.create('Account', { Id: A2, Name: 'two' });
  });
  afterEach(() => fx.close());

  const session = { version: '1.1', partner: 'salesforce', project: 'Account_1', useQueryLabels: true };
  const query = {
    name: 'Account',
    query: 'select Id, Name from Account order by Name',
    deleted: { column: 'Deleted', format: 'Boolean' },
  };

  async function runJob(body: Json): Promise<{ job: Json; csv: string | undefined }> {
    const { id } = fx.jobs.submit(fx.tenant, body);
    assert.equal(await fx.jobs.runOnce(), true);
    const job = fx.jobs.get(fx.tenant, id as string)!;
    assert.equal(job.status, 'completed');
    return { job, csv: await fx.download(batchesOf(job)[0]!.fileId as string) };
  }

  it('exports everything first, then creations, updates and deletions since the previous completed job', async () => {
    const first = await runJob({ ...session, queries: [query] });
    assert.equal(batchesOf(first.job)[0]!.full, true);
    assert.equal(first.csv, `Account.Deleted,Account.Id,Account.Name\nfalse,${A1},one\nfalse,${A2},two\n`);

    fx.store.update('Account', A1, { Name: 'one, renamed' });
    fx.store.create('Account', { Id: A3, Name: 'three' });
    fx.store.delete('Account', A2);
    // Created and deleted inside the window: not exported at all.
    fx.store.create('Account', { Id: A4, Name: 'four' });
    fx.store.delete('Account', A4);

    const second = await runJob({ ...session, queries: [] });
    assert.equal(second.job.useLastCompletedJobQueries, true);
    assert.equal(batchesOf(second.job)[0]!.full, false);
    assert.equal(
      second.csv,
      `Account.Deleted,Account.Id,Account.Name\nfalse,${A1},"one, renamed"\nfalse,${A3},three\ntrue,${A2},two\n`,
    );

    const third = await runJob({ ...session, queries: [query] });
    assert.equal(third.csv, 'Account.Deleted,Account.Id,Account.Name\n');
    assert.equal(batchesOf(third.job)[0]!.recordCount, 0);

    assert.deepEqual(fx.jobs.lastCompleted(fx.tenant, 'salesforce', 'Account_1'), third.job);
    assert.equal(fx.jobs.lastCompleted(fx.tenant, 'salesforce', 'account_1'), undefined);
  });

  it('a changed query text runs full again', async () => {
    await runJob({ ...session, queries: [query] });
    const changed = await runJob({
      ...session,
      queries: [{ ...query, query: 'select Name from Account order by Name' }],
    });
    assert.equal(batchesOf(changed.job)[0]!.full, true);
    assert.equal(changed.csv, 'Account.Deleted,Account.Name\nfalse,one\nfalse,two\n');
  });

  it('an aborted or cancelled job does not move the cursor: the next job repeats the window', async () => {
    await runJob({ ...session, queries: [query] });
    fx.store.create('Account', { Id: A3, Name: 'three' });
    const { id } = fx.jobs.submit(fx.tenant, { ...session, queries: [] });
    fx.jobs.cancel(fx.tenant, id as string);
    const next = await runJob({ ...session, queries: [] });
    assert.equal(next.csv, `Account.Deleted,Account.Id,Account.Name\nfalse,${A3},three\n`);
  });
});
