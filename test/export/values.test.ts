import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { datetimeFormatter, formatDecimal, makeRowFormatter } from '../../src/export/index.ts';

const utc = { timeZone: 'UTC', dateTimeUtc: false };

describe('decimal values', () => {
  it('are plain, exact and without trailing zeros', () => {
    assert.equal(formatDecimal(0), '0');
    assert.equal(formatDecimal(-0), '0');
    assert.equal(formatDecimal(-11095), '-11095');
    assert.equal(formatDecimal(77.86), '77.86');
    assert.equal(formatDecimal(1e-7), '0.0000001');
    assert.equal(formatDecimal(1.5e-10), '0.00000000015');
    assert.equal(formatDecimal(1e21), '1000000000000000000000');
    assert.equal(formatDecimal(123456789012345), '123456789012345');
  });

  it('normalise exact decimal strings from aggregates', () => {
    assert.equal(formatDecimal('0.3'), '0.3');
    assert.equal(formatDecimal('10.5000000000'), '10.5');
    assert.equal(formatDecimal('-0.000'), '0');
    assert.equal(formatDecimal('0012.340'), '12.34');
    assert.equal(formatDecimal('5.'), '5');
    assert.equal(formatDecimal('-1.25e2'), '-125');
  });
});

describe('datetime values', () => {
  it('are written in the tenant zone with ±hh:mm, or ±hhmm for dateTimeUtc', () => {
    const la = datetimeFormatter('America/Los_Angeles', false);
    const laCompact = datetimeFormatter('America/Los_Angeles', true);
    assert.equal(la(Date.UTC(2024, 0, 1, 8)), '2024-01-01T00:00:00-08:00');
    assert.equal(laCompact(Date.UTC(2024, 0, 1, 8)), '2024-01-01T00:00:00-0800');
    assert.equal(la(Date.UTC(2024, 6, 1, 19, 5, 9)), '2024-07-01T12:05:09-07:00');
  });

  it('follow daylight saving changes', () => {
    const la = datetimeFormatter('America/Los_Angeles', false);
    assert.equal(la(Date.UTC(2024, 2, 10, 9, 59, 59)), '2024-03-10T01:59:59-08:00');
    assert.equal(la(Date.UTC(2024, 2, 10, 10, 0, 0)), '2024-03-10T03:00:00-07:00');
    assert.equal(la(Date.UTC(2024, 10, 3, 8, 59, 59)), '2024-11-03T01:59:59-07:00');
    assert.equal(la(Date.UTC(2024, 10, 3, 9, 0, 0)), '2024-11-03T01:00:00-08:00');
  });

  it('handle zones with half-hour offsets and half-hour shifts', () => {
    assert.equal(datetimeFormatter('Asia/Kolkata', false)(Date.UTC(2024, 0, 1)), '2024-01-01T05:30:00+05:30');
    assert.equal(datetimeFormatter('Asia/Kolkata', true)(Date.UTC(2024, 0, 1)), '2024-01-01T05:30:00+0530');
    const lh = datetimeFormatter('Australia/Lord_Howe', false);
    assert.equal(lh(Date.UTC(2024, 9, 5, 15, 29)), '2024-10-06T01:59:00+10:30');
    assert.equal(lh(Date.UTC(2024, 9, 5, 15, 30)), '2024-10-06T02:30:00+11:00');
  });
});

describe('row formatting', () => {
  it('renders every type as the contract says', () => {
    const row = makeRowFormatter(
      ['ID', 'string', 'decimal', 'integer', 'boolean', 'date', 'dateTime', 'picklist'],
      utc,
    );
    assert.equal(
      row(['2c92c0f8', 'Acme, Inc.', 0.1, 42, 1, '2024-02-29', Date.UTC(2024, 1, 29, 23, 59, 59), 'Active']),
      '2c92c0f8,"Acme, Inc.",0.1,42,true,2024-02-29,2024-02-29T23:59:59+00:00,Active\n',
    );
    assert.equal(row(['x', 'y', -5, 0, 0, null, null, null]), 'x,y,-5,0,false,,,\n');
  });

  it('writes nullReplacement for nulls only, quoted when it needs quotes', () => {
    const row = makeRowFormatter(['string', 'string', 'decimal'], { ...utc, nullReplacement: 'N/A' });
    assert.equal(row([null, '', null]), 'N/A,,N/A\n');
    const odd = makeRowFormatter(['string'], { ...utc, nullReplacement: 'a,b' });
    assert.equal(odd([null]), '"a,b"\n');
  });

  it('puts the deleted flag first, as 1/0 or true/false', () => {
    const numeric = makeRowFormatter(['ID'], { ...utc, deleted: { format: 'Numeric' } });
    assert.equal(numeric([1, 'a']), '1,a\n');
    assert.equal(numeric([0, 'b']), '0,b\n');
    const bool = makeRowFormatter(['ID'], { ...utc, deleted: { format: 'Boolean' } });
    assert.equal(bool([1, 'a']), 'true,a\n');
    assert.equal(bool([0, 'b']), 'false,b\n');
  });

  it('quotes commas, quotes, CR and LF, and drops NUL characters', () => {
    const row = makeRowFormatter(['string', 'string', 'string', 'string'], utc);
    assert.equal(
      row(['a"b', 'line\nbreak', 'cr\rhere', 'nul\0gone']),
      '"a""b","line\nbreak","cr\rhere",nulgone\n',
    );
    assert.equal(row(['é 中文 🙂', ' lead', 'trail ', '']), 'é 中文 🙂, lead,trail ,\n');
  });
});
