import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { datetimeFormatter, makeRowFormatter } from '../../src/export/index.ts';

describe('datetime values', () => {
  it('are written in the tenant zone with ±hh:mm, or ±hhmm for dateTimeUtc', () => {
    const la = datetimeFormatter('America/Los_Angeles', false);
    const laUtc = datetimeFormatter('America/Los_Angeles', true);
    assert.equal(la(Date.UTC(2024, 0, 1, 8)), '2024-01-01T00:00:00-08:00');
    assert.equal(laUtc(Date.UTC(2024, 0, 1, 8)), '2024-01-01T00:00:00-0800');
    assert.equal(la(Date.UTC(2024, 6, 1, 19, 5, 9)), '2024-07-01T12:05:09-07:00');
    assert.equal(laUtc(Date.UTC(2024, 6, 1, 19, 5, 9)), '2024-07-01T12:05:09-0700');
    assert.equal(la(Date.UTC(2024, 0, 1, 7, 59, 59, 999)), '2023-12-31T23:59:59-08:00');
  });

  it('follow daylight saving changes in America/Los_Angeles', () => {
    const la = datetimeFormatter('America/Los_Angeles', false);
    const laUtc = datetimeFormatter('America/Los_Angeles', true);
    assert.equal(la(Date.UTC(2024, 2, 10, 9, 59, 59)), '2024-03-10T01:59:59-08:00');
    assert.equal(la(Date.UTC(2024, 2, 10, 10, 0, 0)), '2024-03-10T03:00:00-07:00');
    assert.equal(laUtc(Date.UTC(2024, 2, 10, 10, 0, 0)), '2024-03-10T03:00:00-0700');
    // The repeated hour in November: same wall time, two offsets.
    assert.equal(la(Date.UTC(2024, 10, 3, 8, 30)), '2024-11-03T01:30:00-07:00');
    assert.equal(la(Date.UTC(2024, 10, 3, 9, 30)), '2024-11-03T01:30:00-08:00');
    assert.equal(laUtc(Date.UTC(2024, 10, 3, 9, 30)), '2024-11-03T01:30:00-0800');
  });

  it('handle Asia/Kolkata, half an hour off the hour', () => {
    assert.equal(datetimeFormatter('Asia/Kolkata', false)(Date.UTC(2024, 0, 1)), '2024-01-01T05:30:00+05:30');
    assert.equal(datetimeFormatter('Asia/Kolkata', true)(Date.UTC(2024, 0, 1)), '2024-01-01T05:30:00+0530');
    assert.equal(
      datetimeFormatter('Asia/Kolkata', false)(Date.UTC(2024, 5, 30, 18, 29, 59)),
      '2024-06-30T23:59:59+05:30',
    );
  });

  it('handle Australia/Lord_Howe, whose clocks move by half an hour', () => {
    const lh = datetimeFormatter('Australia/Lord_Howe', false);
    const lhUtc = datetimeFormatter('Australia/Lord_Howe', true);
    assert.equal(lh(Date.UTC(2024, 9, 5, 15, 29, 59)), '2024-10-06T01:59:59+10:30');
    assert.equal(lh(Date.UTC(2024, 9, 5, 15, 30)), '2024-10-06T02:30:00+11:00');
    assert.equal(lhUtc(Date.UTC(2024, 9, 5, 15, 30)), '2024-10-06T02:30:00+1100');
    assert.equal(lh(Date.UTC(2024, 3, 6, 14, 59, 59)), '2024-04-07T01:59:59+11:00');
    assert.equal(lhUtc(Date.UTC(2024, 3, 6, 15, 0)), '2024-04-07T01:30:00+1030');
  });

  it('stay right when many days share the formatter’s cached prefixes', () => {
    const la = datetimeFormatter('America/Los_Angeles', false);
    const day = 86_400_000;
    // Days 1024 apart land in the same cache slot.
    for (const [ms, text] of [
      [Date.UTC(2024, 0, 1, 20), '2024-01-01T12:00:00-08:00'],
      [Date.UTC(2024, 0, 1, 20) + 1024 * day, '2026-10-21T13:00:00-07:00'],
      [Date.UTC(2024, 0, 1, 20), '2024-01-01T12:00:00-08:00'],
      [Date.UTC(1969, 11, 31, 23, 59, 59), '1969-12-31T15:59:59-08:00'],
    ] as const) {
      assert.equal(la(ms), text);
    }
  });

  it('are written by the row formatter in the export zone and style', () => {
    const row = makeRowFormatter(['dateTime', 'date'], { timeZone: 'Asia/Kolkata', dateTimeUtc: true });
    assert.equal(row([Date.UTC(2024, 1, 29, 20), '2024-02-29']), '2024-03-01T01:30:00+0530,2024-02-29\n');
  });
});
