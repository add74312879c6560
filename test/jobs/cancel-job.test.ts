import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AquaError } from '../../src/errors.ts';
import { thrown } from './helpers.ts';
import { batchesOf, filesOnDisk, type ServiceFixture, serviceFixture } from './service-fixture.ts';

describe('DELETE: cancel a job that has not finished', () => {
  let fx: ServiceFixture;
  beforeEach(() => {
    fx = serviceFixture();
    fx.store.bulkInsert(
      'Account',
      ['Name'],
      Array.from({ length: 20_000 }, (_, i) => [`account ${i}`]),
    );
  });
  afterEach(() => fx.close());

  it('a submitted job becomes cancelled and never runs', async () => {
    const { id } = fx.jobs.submit(fx.tenant, { queries: [{ query: 'select Name from Account' }] });
    const cancelled = fx.jobs.cancel(fx.tenant, id as string);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(batchesOf(cancelled)[0]!.status, 'pending');
    assert.equal(await fx.jobs.runOnce(), false);
  });

  it('a running job stops mid-run: finished batches keep their files, no partial file is left', async () => {
    const { id } = fx.jobs.submit(fx.tenant, {
      queries: [
        { name: 'one', query: 'select Name from Account' },
        { name: 'two', query: 'select Id, Name from Account' },
        { name: 'three', query: 'select Name from Account' },
      ],
    });
    const running = fx.jobs.runOnce();
    // Cancel as soon as the second batch is under way.
    while (batchesOf(fx.jobs.get(fx.tenant, id as string))[1]!.status !== 'executing') {
      await new Promise((r) => setImmediate(r));
    }
    const answer = fx.jobs.cancel(fx.tenant, id as string);
    assert.equal(answer.status, 'cancelled');
    await running;
    const job = fx.jobs.get(fx.tenant, id as string)!;
    assert.equal(job.status, 'cancelled');
    const [one, two, three] = batchesOf(job);
    assert.equal(one!.status, 'completed');
    assert.equal(one!.recordCount, 20_000);
    assert.equal(two!.status, 'aborted');
    assert.equal(two!.message, 'The query execution has been aborted.');
    assert.equal(three!.status, 'pending');
    assert.deepEqual(filesOnDisk(fx), [one!.fileId]);
    assert.equal((await fx.download(one!.fileId as string))?.split('\n').length, 20_002);
  });

  it('a finished job answers 90003 with the job echoed; an unknown id answers 90002', async () => {
    const { id } = fx.jobs.submit(fx.tenant, { queries: [{ query: 'select Name from Account' }] });
    await fx.jobs.runOnce();
    const e = thrown(() => fx.jobs.cancel(fx.tenant, id as string));
    assert.ok(e instanceof AquaError);
    assert.equal(e.code, '90003');
    assert.equal(e.message, 'Invalid Job Id for job cancellation.');
    assert.equal(e.job?.id, id);
    assert.equal(e.job?.status, 'completed');
    const unknown = thrown(() => fx.jobs.cancel(fx.tenant, 'f'.repeat(32)));
    assert.ok(unknown instanceof AquaError);
    assert.equal(unknown.code, '90002');
    const otherTenant = thrown(() => fx.jobs.cancel({ ...fx.tenant, id: 'e'.repeat(32) }, id as string));
    assert.equal((otherTenant as AquaError).code, '90002');
  });
});
