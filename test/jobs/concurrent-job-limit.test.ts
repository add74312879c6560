import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AquaError } from '../../src/errors.ts';
import { cancelRun } from '../../src/jobs/finish.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { ACCOUNT_QUERY, makeTenant, metaFixture, thrown } from './helpers.ts';

describe('90028: at most 50 stateless and 50 stateful jobs submitted or executing per tenant', () => {
  let fx: ReturnType<typeof metaFixture>;
  const tenant = makeTenant();
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  const stateless = { queries: [{ query: ACCOUNT_QUERY }] };
  const stateful = (project: string) => ({
    version: '1.1',
    partner: 'p',
    project,
    queries: [{ query: ACCOUNT_QUERY }],
  });

  it('refuses the 51st stateless job, still takes stateful ones and other tenants’ jobs', () => {
    const ids = Array.from({ length: 50 }, () => submitJob(fx.deps, tenant, stateless).id as string);
    const e = thrown(() => submitJob(fx.deps, tenant, stateless));
    assert.ok(e instanceof AquaError);
    assert.equal(e.code, '90028');
    assert.equal(
      e.message,
      'The total number of concurrent jobs has exceeded the limit allowed by the system.',
    );
    assert.equal(e.job?.id, undefined);
    assert.equal(submitJob(fx.deps, tenant, stateful('x')).status, 'submitted');
    assert.equal(submitJob(fx.deps, makeTenant(), stateless).status, 'submitted');
    // A finished job frees its place.
    cancelRun(fx.db, tenant.id, ids[0]!, fx.clock.now());
    assert.equal(submitJob(fx.deps, tenant, stateless).status, 'submitted');
  });

  it('refuses the 51st stateful job, sessions alike', () => {
    for (let i = 0; i < 50; i++) submitJob(fx.deps, tenant, stateful(`proj${i % 3}`));
    const e = thrown(() => submitJob(fx.deps, tenant, stateful('another')));
    assert.ok(e instanceof AquaError);
    assert.equal(e.code, '90028');
    assert.equal(submitJob(fx.deps, tenant, stateless).status, 'submitted');
  });
});
