import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { batchesOf, filesOnDisk, type ServiceFixture, serviceFixture } from './service-fixture.ts';

describe('a batch that fails at run time aborts itself and the job; later batches stay pending', () => {
  let fx: ServiceFixture;
  beforeEach(() => {
    fx = serviceFixture();
    fx.store.create('Account', { Name: 'Acme' });
    // A valid query can still fail on the data: here the Contact table is gone from the tenant file.
    const raw = fx.rawData();
    raw.exec('DROP TABLE "Contact"');
    raw.close();
  });
  afterEach(() => fx.close());

  it('keeps the finished batch, aborts the failing one with its reason, leaves the next pending', async () => {
    const { id } = fx.jobs.submit(fx.tenant, {
      queries: [
        { name: 'accounts', query: 'select Name from Account' },
        { name: 'contacts', query: 'select FirstName from Contact' },
        { name: 'later', query: 'select Name from Account' },
      ],
    });
    assert.equal(await fx.jobs.runOnce(), true);
    const job = fx.jobs.get(fx.tenant, id as string)!;
    assert.equal(job.status, 'aborted');
    assert.equal('message' in job, false);
    const [accounts, contacts, later] = batchesOf(job);
    assert.equal(accounts!.status, 'completed');
    assert.equal(accounts!.recordCount, 1);
    assert.equal(await fx.download(accounts!.fileId as string), 'Account: Name\nAcme\n');
    assert.equal(contacts!.status, 'aborted');
    assert.equal(contacts!.localizedStatus, 'aborted');
    assert.match(contacts!.message as string, /no such table: Contact|relation "contact" does not exist/i);
    assert.equal(contacts!.recordCount, 0);
    assert.equal('fileId' in contacts!, false);
    assert.equal(later!.status, 'pending');
    assert.equal('message' in later!, false);
    // Nothing is left of the failed batch's file.
    assert.deepEqual(filesOnDisk(fx), [accounts!.fileId]);
  });
});
