import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AquaError } from '../../src/errors.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { ACCOUNT_QUERY, makeTenant, metaFixture, thrown } from './helpers.ts';

describe('submit: errors of the request as a whole record no job and echo the request', () => {
  let fx: ReturnType<typeof metaFixture>;
  const tenant = makeTenant();
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  function aquaError(body: unknown): AquaError {
    const e = thrown(() => submitJob(fx.deps, tenant, body));
    assert.ok(e instanceof AquaError, `expected an AquaError, got ${String(e)}`);
    assert.equal(fx.db.prepare('SELECT count(*) FROM jobs').pluck().get(), 0);
    return e;
  }

  it('90004 for 51 queries, 50 being accepted', () => {
    const queries = (n: number) => Array.from({ length: n }, () => ({ query: ACCOUNT_QUERY }));
    const e = aquaError({ queries: queries(51) });
    assert.equal(e.code, '90004');
    assert.equal(
      e.message,
      'Invalid number of queries allowed. A maximum of 50 queries are supported in an AQuA request.',
    );
    assert.equal((e.job!.batches as unknown[]).length, 51);
    assert.equal(submitJob(fx.deps, tenant, { queries: queries(50) }).status, 'submitted');
  });

  it('90014 for a notifyUrl of 5000 characters, 4999 being accepted', () => {
    const url = (n: number) => `https://example.com/${'a'.repeat(n - 'https://example.com/'.length)}`;
    const e = aquaError({ notifyUrl: url(5000), queries: [{ query: ACCOUNT_QUERY }] });
    assert.equal(e.code, '90014');
    assert.equal(e.message, 'notifyURL must be less than 5000 characters in length.');
    const ok = submitJob(fx.deps, tenant, { notifyUrl: url(4999), queries: [{ query: ACCOUNT_QUERY }] });
    assert.equal(ok.status, 'submitted');
  });

  for (const bad of [
    '2024-13-01 00:00:00',
    '2024-02-30 00:00:00',
    '2024-02-01 24:00:00',
    'yesterday',
    1706745600000,
  ]) {
    it(`90015 for incrementalTime ${JSON.stringify(bad)}`, () => {
      const e = aquaError({
        version: '1.1',
        partner: 'p',
        project: 'x',
        incrementalTime: bad,
        queries: [{ query: ACCOUNT_QUERY }],
      });
      assert.equal(e.code, '90015');
      assert.equal(e.message, 'The incremental timestamp is invalid.');
    });
  }

  it('90016 for a version 1.0 request without queries, absent or empty', () => {
    for (const body of [{}, { version: '1.0', queries: [] }]) {
      const e = aquaError(body);
      assert.equal(e.code, '90016');
      assert.equal(e.message, 'There are no queries included in the AQuA version 1.0 request.');
    }
  });

  it('90016 for a stateless 1.1 request without queries and for a new session without queries', () => {
    assert.equal(aquaError({ version: '1.1', queries: [] }).code, '90016');
    assert.equal(aquaError({ version: '1.1', partner: 'p', project: 'new', queries: [] }).code, '90016');
  });

  it('echoes the request without ids: status error, batches pending', () => {
    const e = aquaError({
      format: 'zip',
      version: 1.1,
      name: 'nightly',
      partner: 'p',
      project: 'x',
      incrementalTime: 'soon',
      queries: [{ name: 'accounts', query: ACCOUNT_QUERY, type: 'zoql' }],
    });
    assert.deepEqual(e.job, {
      name: 'nightly',
      status: 'error',
      version: '1.1',
      format: 'ZIP',
      encrypted: 'none',
      partner: 'p',
      project: 'x',
      offset: 0,
      sourceData: 'LIVE',
      useLastCompletedJobQueries: false,
      startTime: '2024-03-01T04:00:00-0800',
      batches: [
        {
          name: 'accounts',
          query: ACCOUNT_QUERY,
          batchType: 'zoql',
          apiVersion: '145.0',
          full: true,
          recordCount: 0,
          status: 'pending',
          localizedStatus: 'pending',
        },
      ],
    });
  });
});
