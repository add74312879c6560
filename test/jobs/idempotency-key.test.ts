import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type AquaError, RequestError } from '../../src/errors.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { ACCOUNT_QUERY, makeTenant, metaFixture, thrown } from './helpers.ts';

describe('Idempotency-Key: same key and same body within 24 h return the first job', () => {
  let fx: ReturnType<typeof metaFixture>;
  const tenant = makeTenant();
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  const body = { format: 'csv', name: 'once', queries: [{ name: 'a', query: ACCOUNT_QUERY }] };
  const count = () => fx.db.prepare('SELECT count(*) FROM jobs').pluck().get();

  it('returns the first job for a repeat, with the keys of the body in any order', () => {
    const first = submitJob(fx.deps, tenant, body, { idempotencyKey: 'k1' });
    fx.clock.advance(23 * 3_600_000);
    const reordered = { queries: [{ query: ACCOUNT_QUERY, name: 'a' }], name: 'once', format: 'csv' };
    const again = submitJob(fx.deps, tenant, reordered, { idempotencyKey: 'k1' });
    assert.deepEqual(again, first);
    assert.equal(count(), 1);
  });

  it('makes a new job once 24 hours have passed', () => {
    const first = submitJob(fx.deps, tenant, body, { idempotencyKey: 'k1' });
    fx.clock.advance(24 * 3_600_000 + 1);
    const later = submitJob(fx.deps, tenant, body, { idempotencyKey: 'k1' });
    assert.notEqual(later.id, first.id);
    assert.equal(count(), 2);
  });

  it('refuses the same key with a different body', () => {
    submitJob(fx.deps, tenant, body, { idempotencyKey: 'k1' });
    const e = thrown(() => submitJob(fx.deps, tenant, { ...body, name: 'twice' }, { idempotencyKey: 'k1' }));
    assert.ok(e instanceof RequestError);
    assert.equal(e.message, 'Idempotency-Key was already used with a different request body');
    assert.equal(count(), 1);
  });

  it('keys are per tenant, and requests without a key are never merged', () => {
    const a = submitJob(fx.deps, tenant, body, { idempotencyKey: 'k1' });
    const b = submitJob(fx.deps, makeTenant(), body, { idempotencyKey: 'k1' });
    assert.notEqual(a.id, b.id);
    const c = submitJob(fx.deps, tenant, body);
    const d = submitJob(fx.deps, tenant, body);
    assert.notEqual(c.id, d.id);
    assert.equal(count(), 4);
  });

  it('a repeat of a request that failed on a query answers the same error with the same job id', () => {
    const bad = { queries: [{ query: 'select Foo from Account' }] };
    const first = thrown(() => submitJob(fx.deps, tenant, bad, { idempotencyKey: 'k2' })) as AquaError;
    const again = thrown(() => submitJob(fx.deps, tenant, bad, { idempotencyKey: 'k2' })) as AquaError;
    assert.equal(again.code, '90005');
    assert.equal(again.job?.id, first.job?.id);
    assert.equal(count(), 1);
  });
});
