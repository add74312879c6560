import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isoWeek, sundayWeek } from '../../src/store/tenant/calendar.ts';
import { localParts } from '../../src/time/zone.ts';
import { insert, memoryDb, run } from './db.ts';

describe('date functions', () => {
  it('reads dateTime parts in the tenant zone', () => {
    const db = memoryDb();
    // 2024-01-01T05:00Z is still 2023-12-31 in Los Angeles.
    insert(db, 'Account', { Id: 'a1', CreatedDate: Date.UTC(2024, 0, 1, 5) });
    assert.deepEqual(
      run(
        db,
        'select DATE(CreatedDate), YEAR(CreatedDate), MONTH(CreatedDate), QUARTER(CreatedDate), ' +
          'WEEK(CreatedDate), WEEKOFYEAR(CreatedDate) from Account',
      ),
      [['2023-12-31', 2023, 12, 4, 53, 52]],
    );
    assert.deepEqual(
      run(db, 'select DATE(CreatedDate), YEAR(CreatedDate) from Account', { timeZone: 'UTC' }),
      [['2024-01-01', 2024]],
    );
  });

  it('reads date fields as they are, whatever the zone', () => {
    const db = memoryDb();
    insert(db, 'Account', { Id: 'a1', LastInvoiceDate: '2021-01-03' });
    assert.deepEqual(
      run(
        db,
        'select DATE(LastInvoiceDate), YEAR(LastInvoiceDate), QUARTER(LastInvoiceDate), WEEK(LastInvoiceDate), WEEKOFYEAR(LastInvoiceDate) from Account',
      ),
      [['2021-01-03', 2021, 1, 1, 53]],
    );
  });

  it('gives null for null', () => {
    const db = memoryDb();
    insert(db, 'Account', { Id: 'a1' });
    assert.deepEqual(run(db, 'select YEAR(CreatedDate), DATE(LastInvoiceDate) from Account'), [[null, null]]);
  });

  it('numbers WEEK from the first Sunday (0 before it) and WEEKOFYEAR by ISO 8601', () => {
    assert.deepEqual(
      [sundayWeek(2022, 1, 1), sundayWeek(2022, 1, 2), sundayWeek(2022, 12, 31), sundayWeek(2023, 1, 1)],
      [0, 1, 52, 1],
    );
    assert.deepEqual(
      [
        isoWeek(2020, 12, 31),
        isoWeek(2021, 1, 3),
        isoWeek(2021, 1, 4),
        isoWeek(2026, 1, 1),
        isoWeek(2024, 12, 30),
      ],
      [53, 53, 1, 1, 1],
    );
  });

  it('groups and filters by date functions', () => {
    const db = memoryDb();
    insert(db, 'Account', { Id: 'a1', CreatedDate: Date.UTC(2023, 5, 1, 12), Balance: 1.1 });
    insert(db, 'Account', { Id: 'a2', CreatedDate: Date.UTC(2023, 8, 1, 12), Balance: 2.2 });
    insert(db, 'Account', { Id: 'a3', CreatedDate: Date.UTC(2024, 1, 1, 12), Balance: 3.3 });
    assert.deepEqual(
      run(
        db,
        'select YEAR(CreatedDate) as "y", count(*), sum(Balance) from Account group by YEAR(CreatedDate) order by y',
      ),
      [
        [2023, 2, '3.3'],
        [2024, 1, '3.3'],
      ],
    );
    assert.deepEqual(
      run(
        db,
        'select QUARTER(CreatedDate), count(*) from Account group by QUARTER(CreatedDate) having QUARTER(CreatedDate) >= 2 order by QUARTER(CreatedDate)',
      ),
      [
        [2, 1],
        [3, 1],
      ],
    );
  });

  it('agree with the calendar arithmetic for any instant, date and zone', () => {
    const zones = [
      'UTC',
      'America/Los_Angeles',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'America/St_Johns',
    ];
    const parts = (y: number, m: number, d: number) => [
      `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      y,
      m,
      Math.floor((m - 1) / 3) + 1,
      sundayWeek(y, m, d),
      isoWeek(y, m, d),
    ];
    const instant = fc.integer({ min: Date.UTC(1972, 0, 1), max: Date.UTC(2100, 0, 1) });
    // Mostly around the turn of a year, where weeks are decided.
    const nearNewYear = fc
      .tuple(fc.integer({ min: 1972, max: 2099 }), fc.integer({ min: -4 * 86_400_000, max: 4 * 86_400_000 }))
      .map(([y, off]) => Date.UTC(y, 0, 1) + off);
    const day = fc.date({
      min: new Date(Date.UTC(1, 0, 1)),
      max: new Date(Date.UTC(9999, 11, 31)),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(fc.tuple(fc.oneof(instant, nearNewYear), day), { minLength: 1, maxLength: 20 }),
        (zone, values) => {
          const db = memoryDb();
          try {
            values.forEach(([ms, date], i) => {
              insert(db, 'Account', {
                Id: `a${String(i).padStart(2, '0')}`,
                CreatedDate: ms,
                LastInvoiceDate: date.toISOString().slice(0, 10),
              });
            });
            const actual = run(
              db,
              'select DATE(CreatedDate), YEAR(CreatedDate), MONTH(CreatedDate), QUARTER(CreatedDate), WEEK(CreatedDate), WEEKOFYEAR(CreatedDate), ' +
                'DATE(LastInvoiceDate), YEAR(LastInvoiceDate), MONTH(LastInvoiceDate), QUARTER(LastInvoiceDate), WEEK(LastInvoiceDate), WEEKOFYEAR(LastInvoiceDate) from Account order by Id',
              { timeZone: zone },
            );
            const expected = values.map(([ms, date]) => {
              const p = localParts(ms, zone);
              return [
                ...parts(p.y, p.m, p.d),
                ...parts(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()),
              ];
            });
            assert.deepEqual(actual, expected);
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
