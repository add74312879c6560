import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AquaError } from '../../src/errors.ts';
import { cancelRun } from '../../src/jobs/finish.ts';
import { jobJson } from '../../src/jobs/render.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import { batchesOf, jobById } from '../../src/store/meta/jobs.ts';
import { ACCOUNT_QUERY, makeTenant, metaFixture, thrown } from './helpers.ts';

type Json = Record<string, unknown>;

describe('submit: a query error records the job in error and answers with its id', () => {
  let fx: ReturnType<typeof metaFixture>;
  const tenant = makeTenant();
  beforeEach(() => {
    fx = metaFixture();
  });
  afterEach(() => fx.close());

  function aquaError(body: unknown): AquaError & { job: Json } {
    const e = thrown(() => submitJob(fx.deps, tenant, body));
    assert.ok(e instanceof AquaError, `expected an AquaError, got ${String(e)}`);
    assert.ok(e.job, 'the error carries the job');
    return e as AquaError & { job: Json };
  }
  const batches = (job: Json) => job.batches as Json[];
  const stateful = { version: '1.1', partner: 'p', project: 'x' };

  it('90005: the job exists in error, the failing batch says where, the others stay pending', () => {
    const e = aquaError({
      queries: [
        { name: 'good', query: ACCOUNT_QUERY },
        { name: 'bad', query: 'select Foo from Account' },
      ],
    });
    assert.equal(e.code, '90005');
    assert.equal(e.message, 'There is a syntax error in one of the queries in the AQuA input');
    assert.match(e.job.id as string, /^[0-9a-f]{32}$/);
    assert.equal(e.job.status, 'error');
    const [good, bad] = batches(e.job);
    assert.equal(good!.status, 'pending');
    assert.equal('message' in good!, false);
    assert.equal(bad!.status, 'pending');
    assert.equal(bad!.message, "line 1, column 8: unknown field 'Foo' on Account");
    const row = jobById(fx.db, tenant.id, e.job.id as string)!;
    assert.equal(row.status, 'error');
    assert.equal(row.errorCode, '90005');
    assert.deepEqual(jobJson(row, batchesOf(fx.db, row.id)), e.job);
  });

  it('a job in error cannot be cancelled (90003 territory): it has finished', () => {
    const e = aquaError({ queries: [{ query: 'selec Id from Account' }] });
    const outcome = cancelRun(fx.db, tenant.id, e.job.id as string, fx.clock.now());
    assert.equal(outcome?.cancelled, false);
    assert.equal(outcome?.job.status, 'error');
  });

  it('a job in error does not count toward the concurrent job limit', () => {
    aquaError({ queries: [{ query: 'selec Id from Account' }] });
    assert.equal(
      fx.db.prepare("SELECT count(*) FROM jobs WHERE status IN ('submitted', 'executing')").pluck().get(),
      0,
    );
  });

  it('90005 for a query longer than 20,000 characters', () => {
    const long = `select Id from Account where Name = '${'x'.repeat(20_000)}'`;
    const e = aquaError({ queries: [{ query: long }] });
    assert.equal(e.code, '90005');
    assert.equal(batches(e.job)[0]!.message, `the query is ${long.length} characters long; at most 20000`);
  });

  it('90012: a stateless job with a deleted section, unless forceExport', () => {
    const deleted = { column: 'Deleted', format: 'Boolean' };
    const e = aquaError({ queries: [{ query: ACCOUNT_QUERY, deleted }] });
    assert.equal(e.code, '90012');
    assert.equal(e.message, 'Stateless AQuA does not support deleted columns.');
    assert.equal(
      batches(e.job)[0]!.message,
      'a stateless job cannot export deleted records unless deleted.forceExport is true',
    );
    const forced = submitJob(fx.deps, tenant, {
      queries: [{ query: ACCOUNT_QUERY, deleted: { ...deleted, forceExport: true } }],
    });
    assert.equal(forced.status, 'submitted');
    const stateful1 = submitJob(fx.deps, tenant, {
      ...stateful,
      queries: [{ query: ACCOUNT_QUERY, deleted }],
    });
    assert.equal(stateful1.status, 'submitted');
  });

  it('90017: deleted on an object without delete support, batch deleted_notallowed, stateful or not', () => {
    for (const body of [stateful, { version: '1.0' }]) {
      const e = aquaError({
        ...body,
        queries: [
          {
            query: 'select Id from AccountingPeriod',
            deleted: { column: 'D', format: 'Numeric', forceExport: true },
          },
        ],
      });
      assert.equal(e.code, '90017');
      assert.equal(
        e.message,
        'Objects included in the queries do not support the querying of deleted records. Remove Deleted section in the JSON request and retry the request',
      );
      const b = batches(e.job)[0]!;
      assert.equal(b.status, 'deleted_notallowed');
      assert.equal(b.localizedStatus, 'deleted_notallowed');
      assert.equal(b.message, 'AccountingPeriod does not support the querying of deleted records');
    }
  });

  it('90017 is answered before 90012, so a deleted probe of such an object reads 90017', () => {
    const e = aquaError({
      queries: [{ query: 'select Id from AccountingPeriod', deleted: { column: 'D', format: 'Numeric' } }],
    });
    assert.equal(e.code, '90017');
  });

  it('90021: an invalid currency code; valid ISO 4217 codes are accepted in any case', () => {
    const e = aquaError({ queries: [{ query: ACCOUNT_QUERY, convertToCurrencies: ['USD', 'XQZ'] }] });
    assert.equal(e.code, '90021');
    assert.equal(e.message, 'Invalid currency specified in the convertToCurrencies request parameter.');
    assert.equal(batches(e.job)[0]!.message, "'XQZ' is not an ISO 4217 currency code");
    const ok = submitJob(fx.deps, tenant, {
      queries: [{ query: ACCOUNT_QUERY, convertToCurrencies: 'usd, EUR' }],
    });
    assert.equal(ok.status, 'submitted');
  });

  it('the first failing query decides the code; each failing batch carries its own reason', () => {
    const e = aquaError({
      ...stateful,
      queries: [
        { query: 'select Id from AccountingPeriod', deleted: { column: 'D', format: 'Numeric' } },
        { query: 'select Nope from Account' },
      ],
    });
    assert.equal(e.code, '90017');
    assert.deepEqual(
      batches(e.job).map((b) => [b.status, b.message]),
      [
        ['deleted_notallowed', 'AccountingPeriod does not support the querying of deleted records'],
        ['pending', "line 1, column 8: unknown field 'Nope' on Account"],
      ],
    );
  });
});
