import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { LocalFileStore } from '../../src/files/index.ts';
import { claimNext } from '../../src/jobs/claim.ts';
import { sqliteTenantPath } from '../../src/store/location.ts';
import { openMetaJobs } from '../../src/store/meta/open.ts';
import { T0 } from './helpers.ts';
import { batchesOf, type ServiceFixture, serviceFixture } from './service-fixture.ts';

describe('crash recovery: a run that died is run again once its lease expires; its temporary files are swept', () => {
  let fx: ServiceFixture;
  const clock = new FixedClock(T0);
  beforeEach(() => {
    fx = serviceFixture({ clock, leaseMillis: 30_000 });
    fx.store.create('Account', { Name: 'Acme' });
  });
  afterEach(() => fx.close());

  it('re-claims, completes and leaves only the new attempt’s file', async () => {
    const { id } = fx.jobs.submit(fx.tenant, { queries: [{ query: 'select Name from Account' }] });
    // Another process claimed the job, wrote part of a file, and died.
    const other = openMetaJobs(fx.location);
    const claimed = claimNext(other, {
      owner: 'dead-process',
      now: clock.now(),
      leaseMillis: 30_000,
      queryMillis: 1000,
      segmentRows: 500_000,
      tenantDataPath: (id) => sqliteTenantPath(fx.dir, id),
    })!;
    other.close();
    const files = new LocalFileStore(join(fx.dir, 'files'));
    const partial = files.tempPath(fx.tenant.id, id as string, claimed.task.attempt);
    writeFileSync(partial, 'Account: Na');

    assert.equal(await fx.jobs.runOnce(), false, 'the lease still holds');
    assert.equal(fx.jobs.get(fx.tenant, id as string)?.status, 'executing');
    clock.advance(30_001);
    assert.equal(await fx.jobs.runOnce(), true);
    const job = fx.jobs.get(fx.tenant, id as string)!;
    assert.equal(job.status, 'completed');
    const fileId = batchesOf(job)[0]!.fileId as string;
    assert.equal(await fx.download(fileId), 'Account: Name\nAcme\n');
    assert.deepEqual(await fx.jobs.sweep(), { files: 0, jobs: 0, tempFiles: 1 });
    assert.equal(existsSync(partial), false);
  });
});
