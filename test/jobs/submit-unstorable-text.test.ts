import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AquaError } from '../../src/errors.ts';
import { batchesOf, type ServiceFixture, serviceFixture } from './service-fixture.ts';

/** Text no store can hold (a NUL, half a surrogate pair) is refused with a clear answer, never a 90010. */
describe('submit: NUL characters and lone surrogates', () => {
  let fx: ServiceFixture;
  beforeEach(() => {
    fx = serviceFixture();
  });
  afterEach(() => fx.close());

  function submit(body: Record<string, unknown>): Record<string, unknown> {
    try {
      return fx.jobs.submit(fx.tenant, body);
    } catch (e) {
      // A query error is an AquaError carrying the recorded job (HTTP 200 with the error envelope).
      if (e instanceof AquaError && e.job) return { ...e.job, errorCode: e.code };
      return { thrown: (e as Error).message };
    }
  }

  it('a NUL inside a quoted value is a query error at its position; the echo shows U+FFFD there', () => {
    const job = submit({ queries: [{ name: 'q', query: "select Id from Account where Name = 'a\u0000b'" }] });
    assert.equal(job.status, 'error');
    assert.equal(job.errorCode, '90005');
    const [batch] = batchesOf(job);
    assert.equal(batch!.message, 'line 1, column 39: a quoted value may not contain the NUL character');
    assert.equal(batch!.query, "select Id from Account where Name = 'a\uFFFDb'");
    assert.equal(batchesOf(fx.jobs.get(fx.tenant, job.id as string))[0]!.query, batch!.query);
  });

  it('half a surrogate pair anywhere in a query is a query error at its position', () => {
    const job = submit({ queries: [{ name: 'q', query: "select Id from Account where Name = '\uD800'" }] });
    assert.equal(job.errorCode, '90005');
    assert.equal(
      batchesOf(job)[0]!.message,
      'line 1, column 38: this is half of a UTF-16 surrogate pair, not a character',
    );
    assert.equal(batchesOf(job)[0]!.query, "select Id from Account where Name = '\uFFFD'");
  });

  it('a NUL or a lone surrogate in any other field is a request error naming the field', () => {
    const q = [{ query: 'select Id from Account' }];
    assert.deepEqual(submit({ name: 'a\u0000', queries: q }), {
      thrown: 'name may not contain the NUL character',
    });
    assert.match(
      String(submit({ partner: 'p', project: '\uDC00', queries: q }).thrown),
      /^project holds half of a UTF-16 surrogate pair$/,
    );
    assert.match(
      String(submit({ queries: [{ name: 'x\u0000', query: 'select Id from Account' }] }).thrown),
      /^queries\[0\]\.name may not contain the NUL character$/,
    );
  });
});
