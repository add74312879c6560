import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { T0 } from './helpers.ts';
import { batchesOf, type ServiceFixture, serviceFixture } from './service-fixture.ts';

const DAY = 86_400_000;

describe('an expired result file answers as unknown (404); the job record outlives it', () => {
  let fx: ServiceFixture;
  const clock = new FixedClock(T0);
  beforeEach(() => {
    fx = serviceFixture({ clock, fileRetentionDays: 7, jobRetentionDays: 180 });
    fx.store.create('Account', { Name: 'Acme' });
  });
  afterEach(() => fx.close());

  it('is downloadable for 7 days, then gone; the job is gone after 180 days', async () => {
    const { id } = fx.jobs.submit(fx.tenant, { queries: [{ query: 'select Name from Account' }] });
    await fx.jobs.runOnce();
    const fileId = batchesOf(fx.jobs.get(fx.tenant, id as string))[0]!.fileId as string;
    clock.advance(7 * DAY);
    await fx.jobs.sweep();
    assert.equal(await fx.download(fileId), 'Account: Name\nAcme\n');
    clock.advance(1);
    assert.deepEqual(await fx.jobs.sweep(), { files: 1, jobs: 0, tempFiles: 0 });
    assert.equal(await fx.jobs.openFile(fx.tenant, fileId), undefined);
    assert.equal(fx.jobs.get(fx.tenant, id as string)?.status, 'completed');
    clock.advance(173 * DAY);
    assert.deepEqual(await fx.jobs.sweep(), { files: 0, jobs: 1, tempFiles: 0 });
    assert.equal(fx.jobs.get(fx.tenant, id as string), undefined);
  });
});
