import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { firstColumn, insert, memoryDb, type QueryDb, run } from './db.ts';

// NOW is 2024-03-15T12:00:00Z, 05:00 in the tenant zone (America/Los_Angeles, PDT since March 10).
describe('date and time literals on the embedded store', () => {
  let db: QueryDb;
  const ids = (cond: string) => firstColumn(run(db, `select Id from Account where ${cond} order by Id`));

  before(() => {
    db = memoryDb();
    // Around 2024-03-01 in Los Angeles (PST, -08:00): the day is [08:00Z on Mar 1, 08:00Z on Mar 2).
    insert(db, 'Account', {
      Id: 'a1',
      CreatedDate: Date.UTC(2024, 2, 1, 7, 59, 59),
      LastInvoiceDate: '2024-02-29',
    });
    insert(db, 'Account', {
      Id: 'a2',
      CreatedDate: Date.UTC(2024, 2, 1, 8, 0, 0),
      LastInvoiceDate: '2024-03-01',
    });
    insert(db, 'Account', {
      Id: 'a3',
      CreatedDate: Date.UTC(2024, 2, 2, 7, 59, 59, 999),
      LastInvoiceDate: '2024-03-01',
    });
    insert(db, 'Account', {
      Id: 'a4',
      CreatedDate: Date.UTC(2024, 2, 2, 8, 0, 0),
      LastInvoiceDate: '2024-03-02',
    });
    insert(db, 'Account', {
      Id: 'a5',
      CreatedDate: Date.UTC(2024, 2, 15, 11, 30),
      LastInvoiceDate: '2024-02-15',
    });
  });

  it('lets a bare date cover the whole day of a dateTime, in the tenant zone', () => {
    assert.deepEqual(ids("CreatedDate = '2024-03-01'"), ['a2', 'a3']);
    assert.deepEqual(ids("CreatedDate != '2024-03-01'"), ['a1', 'a4', 'a5']);
    assert.deepEqual(ids("CreatedDate < '2024-03-01'"), ['a1']);
    assert.deepEqual(ids("CreatedDate <= '2024-03-01'"), ['a1', 'a2', 'a3']);
    assert.deepEqual(ids("CreatedDate > '2024-03-01'"), ['a4', 'a5']);
    assert.deepEqual(ids("CreatedDate >= '2024-03-01'"), ['a2', 'a3', 'a4', 'a5']);
    assert.deepEqual(ids('CreatedDate = 2024-03-01'), ['a2', 'a3']);
  });

  it('reads zone-less datetimes in the tenant zone and zoned ones in theirs', () => {
    assert.deepEqual(ids("CreatedDate = '2024-03-01T00:00:00'"), ['a2']);
    assert.deepEqual(ids("CreatedDate = '2024-03-01T00:00'"), ['a2']);
    assert.deepEqual(ids("CreatedDate = '2024-03-01T08:00:00Z'"), ['a2']);
    assert.deepEqual(ids("CreatedDate = '2024-03-01T03:00:00-05:00'"), ['a2']);
    assert.deepEqual(ids("CreatedDate >= '2024-03-02T07:59:59.999+00:00'"), ['a3', 'a4', 'a5']);
  });

  it('resolves relative times from the clock, in the tenant zone or the one given', () => {
    assert.deepEqual(ids("CreatedDate >= 'now - 1 hour'"), ['a5']);
    assert.deepEqual(ids("CreatedDate < 'now - 1 day'"), ['a1', 'a2', 'a3', 'a4']);
    // Today in Los Angeles is March 15; 14 days back is March 1, a whole day there.
    assert.deepEqual(ids("CreatedDate = 'today - 14 days'"), ['a2', 'a3']);
    assert.deepEqual(ids("CreatedDate >= 'today - 2 weeks'"), ['a2', 'a3', 'a4', 'a5']);
    // In UTC, March 1 starts eight hours earlier.
    assert.deepEqual(ids("CreatedDate >= 'today - 14 days (+00:00)'"), ['a1', 'a2', 'a3', 'a4', 'a5']);
    assert.deepEqual(ids("CreatedDate = 'today - 14 days (UTC)'"), ['a1', 'a2']);
    assert.deepEqual(ids("CreatedDate = 'today - 14 days (America/New_York)'"), ['a1', 'a2']);
    assert.deepEqual(ids("CreatedDate >= 'today'"), ['a5']);
    assert.deepEqual(ids("CreatedDate < 'today + 1 week'"), ['a1', 'a2', 'a3', 'a4', 'a5']);
    assert.deepEqual(ids("CreatedDate < 'today - 1 year'"), []);
    assert.deepEqual(ids("CreatedDate >= 'now - 30 minutes'"), ['a5']);
    assert.deepEqual(ids("CreatedDate > 'now - 1800 seconds'"), []);
  });

  it('compares date fields by day', () => {
    assert.deepEqual(ids("LastInvoiceDate = '2024-03-01'"), ['a2', 'a3']);
    assert.deepEqual(ids("LastInvoiceDate < '2024-03-01'"), ['a1', 'a5']);
    assert.deepEqual(ids("LastInvoiceDate = 'today - 1 month'"), ['a5']);
    assert.deepEqual(ids("LastInvoiceDate >= 'today - 15 days'"), ['a1', 'a2', 'a3', 'a4']);
  });

  it('compares a date field with a moment as the first moment of that date', () => {
    assert.deepEqual(ids("LastInvoiceDate >= '2024-03-01T00:00:00'"), ['a2', 'a3', 'a4']);
    assert.deepEqual(ids("LastInvoiceDate >= '2024-03-01T12:00:00'"), ['a4']);
    assert.deepEqual(ids("LastInvoiceDate < '2024-03-01T12:00:00'"), ['a1', 'a2', 'a3', 'a5']);
    assert.deepEqual(ids("LastInvoiceDate = '2024-03-01T12:00:00'"), []);
    assert.deepEqual(ids("LastInvoiceDate != '2024-03-01T12:00:00'"), ['a1', 'a2', 'a3', 'a4', 'a5']);
    assert.deepEqual(ids("LastInvoiceDate = '2024-03-01T08:00:00Z'"), ['a2', 'a3']);
  });

  it('reads relative months at month ends by the calendar', () => {
    const db2 = memoryDb();
    insert(db2, 'Account', { Id: 'b1', LastInvoiceDate: '2024-02-29' });
    insert(db2, 'Account', { Id: 'b2', LastInvoiceDate: '2024-03-01' });
    const at = Date.UTC(2024, 2, 31, 18); // March 31 in Los Angeles
    assert.deepEqual(
      firstColumn(run(db2, "select Id from Account where LastInvoiceDate = 'today - 1 month'", { now: at })),
      ['b1'],
    );
  });
});
