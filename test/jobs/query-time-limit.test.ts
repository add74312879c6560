import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { batchesOf, filesOnDisk, type ServiceFixture, serviceFixture } from './service-fixture.ts';

describe('90027: a query running past the per-query limit is stopped and its job aborted', () => {
  let fx: ServiceFixture;
  beforeEach(() => {
    fx = serviceFixture({ queryMillis: 1 });
    fx.store.bulkInsert(
      'Account',
      ['Name', 'AccountNumber'],
      Array.from({ length: 20_000 }, (_, i) => [`account ${i}`, `A-${i}`]),
    );
  });
  afterEach(() => fx.close());

  it('aborts the batch with the 90027 message and leaves no file', async () => {
    const { id } = fx.jobs.submit(fx.tenant, {
      queries: [
        { name: 'slow', query: 'select Id, Name, AccountNumber from Account order by Name' },
        { name: 'after', query: 'select Id from Account' },
      ],
    });
    await fx.jobs.runOnce();
    const job = fx.jobs.get(fx.tenant, id as string)!;
    assert.equal(job.status, 'aborted');
    const [slow, after] = batchesOf(job);
    assert.equal(slow!.status, 'aborted');
    assert.equal(slow!.message, 'The query exceeded maximum processing time.');
    assert.equal(after!.status, 'pending');
    assert.deepEqual(filesOnDisk(fx), []);
  });
});
