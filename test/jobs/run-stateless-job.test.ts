import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { T0 } from './helpers.ts';
import { batchesOf, type Json, type ServiceFixture, serviceFixture } from './service-fixture.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('running a stateless job: batches in order, files published, job completed', () => {
  let fx: ServiceFixture;
  const clock = new FixedClock(T0);
  beforeEach(() => {
    fx = serviceFixture({ clock });
    fx.store.create('Account', { Id: A, Name: 'Acme', Status: 'Active' });
    fx.store.create('Account', { Id: B, Name: 'Bolt, Inc.', Status: 'Draft' });
  });
  afterEach(() => fx.close());

  it('completes every batch with its record count, an empty message and a file', async () => {
    const submitted = fx.jobs.submit(fx.tenant, {
      name: 'two',
      queries: [
        { name: 'names', query: 'select Id, Name from Account order by Name', type: 'zoqlexport' },
        { name: 'active', query: "select Id from Account where Status = 'Active'", type: 'zoql' },
      ],
    });
    assert.equal(await fx.jobs.runOnce(), true);
    assert.equal(await fx.jobs.runOnce(), false);
    const job = fx.jobs.get(fx.tenant, submitted.id as string)!;
    assert.equal(job.status, 'completed');
    assert.equal('message' in job, false);
    const [names, active] = batchesOf(job);
    assert.deepEqual(
      { ...names, batchId: 'x', fileId: 'y' },
      {
        batchId: 'x',
        name: 'names',
        query: 'select Id, Name from Account order by Name',
        batchType: 'zoqlexport',
        apiVersion: '145.0',
        full: true,
        recordCount: 2,
        status: 'completed',
        localizedStatus: 'completed',
        message: '',
        fileId: 'y',
      },
    );
    assert.match(names!.fileId as string, /^[0-9a-f]{32}$/);
    assert.equal(active!.recordCount, 1);
    assert.equal(
      await fx.download(names!.fileId as string),
      `Account: ID,Account: Name\n${A},Acme\n${B},"Bolt, Inc."\n`,
    );
    assert.equal(await fx.download(active!.fileId as string), `Account: ID\n${A}\n`);
    const file = await fx.jobs.openFile(fx.tenant, names!.fileId as string);
    assert.equal(file?.contentType, 'text/csv;charset=UTF-8');
    file?.stream.destroy();
  });

  it('useQueryLabels true gives API names in the header', async () => {
    const { id } = fx.jobs.submit(fx.tenant, {
      useQueryLabels: 'true',
      queries: [{ query: "select Id, Name from Account where Name = 'Acme'" }],
    });
    await fx.jobs.runOnce();
    const b = batchesOf(fx.jobs.get(fx.tenant, id as string))[0]!;
    assert.equal(await fx.download(b.fileId as string), `Account.Id,Account.Name\n${A},Acme\n`);
  });

  it('forceExport on a stateless job puts the deleted flag first, named <Object>.<column>, deleted rows included', async () => {
    fx.store.delete('Account', B);
    for (const [labels, header] of [
      [false, 'Account.IsDeleted,Account: Name'],
      [true, 'Account.IsDeleted,Account.Name'],
    ] as const) {
      const { id } = fx.jobs.submit(fx.tenant, {
        useQueryLabels: labels,
        queries: [
          {
            query: 'select Name from Account order by Name',
            deleted: { column: 'IsDeleted', format: 'Boolean', forceExport: true },
          },
        ],
      });
      await fx.jobs.runOnce();
      const b = batchesOf(fx.jobs.get(fx.tenant, id as string))[0]!;
      assert.deepEqual(b.deleted, { column: 'IsDeleted', format: 'Boolean', forceExport: true });
      assert.equal(await fx.download(b.fileId as string), `${header}\nfalse,Acme\ntrue,"Bolt, Inc."\n`);
    }
  });

  it('a job of another tenant is unknown, and so are its files', async () => {
    const { id } = fx.jobs.submit(fx.tenant, { queries: [{ query: 'select Id from Account' }] });
    await fx.jobs.runOnce();
    const other = { ...fx.tenant, id: 'f'.repeat(32) };
    assert.equal(fx.jobs.get(other, id as string), undefined);
    const fileId = batchesOf(fx.jobs.get(fx.tenant, id as string))[0]!.fileId as string;
    assert.equal(await fx.jobs.openFile(other, fileId), undefined);
    assert.equal(await fx.jobs.openFile(fx.tenant, 'not-an-id'), undefined);
  });

  it('the job is executing while it runs and carries the time it was submitted as startTime', async () => {
    const submitted = fx.jobs.submit(fx.tenant, { queries: [{ query: 'select Id from Account' }] }) as Json;
    clock.advance(5000);
    await fx.jobs.runOnce();
    assert.equal(fx.jobs.get(fx.tenant, submitted.id as string)?.startTime, submitted.startTime);
  });
});
