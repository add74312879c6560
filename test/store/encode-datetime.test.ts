import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RecordError } from '../../src/errors.ts';
import { getField, getObject } from '../../src/schema/index.ts';
import { encodeValue, formatDateTime } from '../../src/store/index.ts';

const account = getObject('Account')!;
const created = getField(account, 'CreatedDate')!;
const LA = 'America/Los_Angeles';
const enc = (raw: unknown, zone = LA) => encodeValue(account, created, raw, zone);

describe('datetime encoding', () => {
  it('reads an explicit offset or Z as given', () => {
    assert.equal(enc('2024-03-01T10:20:30Z'), Date.UTC(2024, 2, 1, 10, 20, 30));
    assert.equal(enc('2024-03-01T10:20:30.123Z'), Date.UTC(2024, 2, 1, 10, 20, 30, 123));
    assert.equal(enc('2024-03-01T10:20:30+05:30'), Date.UTC(2024, 2, 1, 4, 50, 30));
    assert.equal(enc('2024-03-01T10:20:30-0800'), Date.UTC(2024, 2, 1, 18, 20, 30));
    assert.equal(enc('2024-03-01T10:20Z'), Date.UTC(2024, 2, 1, 10, 20));
  });

  it('reads a time without offset in the tenant zone, on both sides of a DST change', () => {
    assert.equal(enc('2024-03-10T01:30:00'), Date.UTC(2024, 2, 10, 9, 30));
    assert.equal(enc('2024-03-10 03:30:00'), Date.UTC(2024, 2, 10, 10, 30));
    // 02:30 does not exist that night: it moves forward an hour.
    assert.equal(enc('2024-03-10T02:30:00'), Date.UTC(2024, 2, 10, 10, 30));
    // 01:30 happens twice in November: the earlier instant (still PDT) is taken.
    assert.equal(enc('2024-11-03T01:30:00'), Date.UTC(2024, 10, 3, 8, 30));
    assert.equal(enc('2024-07-01T00:00:00', 'Asia/Shanghai'), Date.UTC(2024, 5, 30, 16));
  });

  it('reads a bare date as midnight in the tenant zone and a number as epoch milliseconds', () => {
    assert.equal(enc('2024-01-01'), Date.UTC(2024, 0, 1, 8));
    assert.equal(enc(1_700_000_000_123), 1_700_000_000_123);
    assert.equal(enc('1700000000123'), 1_700_000_000_123);
  });

  it('refuses impossible or unreadable times with a sentence saying what is expected', () => {
    const expected =
      'expected YYYY-MM-DDThh:mm:ss with an optional .sss and Z or ±hh:mm (none: the tenant time zone)';
    for (const bad of [
      '2024-02-30T00:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T10:60:00Z',
      '2024-01-01T10:00:60Z',
      '2024-01-01T10:00:00+25:00',
      '01/02/2024 10:00',
      'yesterday',
    ]) {
      assert.throws(
        () => enc(bad),
        (e: unknown) =>
          e instanceof RecordError &&
          e.code === 'INVALID_VALUE' &&
          e.message === `invalid dateTime '${bad}' for Account.CreatedDate: ${expected}`,
        bad,
      );
    }
    assert.throws(
      () => enc(1.5),
      (e: unknown) =>
        e instanceof RecordError &&
        e.message === "invalid dateTime '1.5' for Account.CreatedDate: expected whole epoch milliseconds",
    );
  });

  it('formats an instant as ISO text in the zone that reads back to the same instant', () => {
    assert.equal(formatDateTime(Date.UTC(2024, 2, 10, 10, 30), LA), '2024-03-10T03:30:00-07:00');
    assert.equal(formatDateTime(Date.UTC(2024, 2, 10, 9, 30, 0, 5), LA), '2024-03-10T01:30:00.005-08:00');
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.constantFrom(LA, 'UTC', 'Asia/Kolkata', 'Australia/Lord_Howe'),
        (ms, zone) => {
          assert.equal(enc(formatDateTime(ms, zone), zone), ms);
        },
      ),
      { numRuns: 300 },
    );
  });
});
