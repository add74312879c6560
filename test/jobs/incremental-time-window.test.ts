import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { T0 } from './helpers.ts';
import { batchesOf, type ServiceFixture, serviceFixture } from './service-fixture.ts';

const HOUR = 3_600_000;

describe('incrementalTime: a stateful job exports rows changed at or after it (tenant zone)', () => {
  let fx: ServiceFixture;
  const clock = new FixedClock(T0);
  beforeEach(() => {
    clock.set(T0);
    fx = serviceFixture({ clock });
    fx.store.create('Account', { Name: 'early' });
    clock.advance(HOUR);
    fx.store.create('Account', { Name: 'late' });
  });
  afterEach(() => fx.close());

  it('takes the window start from incrementalTime, full false, even on a session’s first job', async () => {
    const { id } = fx.jobs.submit(fx.tenant, {
      version: '1.2',
      partner: 'p',
      project: 'x',
      // T0 is 04:00 in Los Angeles; the second record was written at 05:00.
      incrementalTime: '2024-03-01 04:30:00',
      queries: [{ query: 'select Name from Account' }],
    });
    await fx.jobs.runOnce();
    const job = fx.jobs.get(fx.tenant, id as string)!;
    assert.equal(job.incrementalTime, T0 + HOUR / 2);
    const b = batchesOf(job)[0]!;
    assert.equal(b.full, false);
    assert.equal(await fx.download(b.fileId as string), 'Account: Name\nlate\n');
  });
});
