import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, type Value } from '../../src/zoql/index.ts';
import { assertQueryError } from './errors.ts';

/** The typed value of the single comparison in `where <cond>` on Account. */
function typedValueOf(cond: string): Value {
  const w = analyze(`select Id from Account where ${cond}`, 'zoqlexport').where;
  if (w?.kind !== 'compare') throw new Error(`not a comparison: ${cond}`);
  const right = w.right;
  if (right.kind === 'field' || right.kind === 'aggregate' || right.kind === 'dateFunction') {
    throw new Error(`not a comparison with a value: ${cond}`);
  }
  return right;
}

describe('literals', () => {
  it('reads strings with doubled quotes', () => {
    assert.deepEqual(typedValueOf("Name = 'San Francisco''s Finest'"), {
      kind: 'string',
      value: "San Francisco's Finest",
    });
  });

  it('reads numbers quoted or not, and numbers as text for text fields', () => {
    assert.deepEqual(typedValueOf('Balance > 10.5'), { kind: 'number', value: 10.5 });
    assert.deepEqual(typedValueOf("Balance > '-3'"), { kind: 'number', value: -3 });
    assert.deepEqual(typedValueOf('BillCycleDay = 7'), { kind: 'number', value: 7 });
    assert.deepEqual(typedValueOf('AccountNumber = 00123'), { kind: 'string', value: '00123' });
  });

  it('reads booleans bare or quoted', () => {
    assert.deepEqual(typedValueOf('AutoPay = true'), { kind: 'boolean', value: true });
    assert.deepEqual(typedValueOf("AutoPay != 'FALSE'"), { kind: 'boolean', value: false });
  });

  it('reads dates and datetimes with and without zone', () => {
    assert.deepEqual(typedValueOf("LastInvoiceDate = '2024-02-29'"), { kind: 'date', y: 2024, m: 2, d: 29 });
    assert.deepEqual(typedValueOf("CreatedDate >= '2024-02-27T12:52:04+00:00'"), {
      kind: 'instant',
      wall: { y: 2024, m: 2, d: 27, h: 12, mi: 52, s: 4, ms: 0 },
      zone: { offsetMinutes: 0 },
    });
    assert.deepEqual(typedValueOf("CreatedDate < '2024-02-27T12:52'"), {
      kind: 'instant',
      wall: { y: 2024, m: 2, d: 27, h: 12, mi: 52, s: 0, ms: 0 },
      zone: undefined,
    });
    assert.deepEqual(typedValueOf('CreatedDate < 2024-02-27T12:52:00Z'), {
      kind: 'instant',
      wall: { y: 2024, m: 2, d: 27, h: 12, mi: 52, s: 0, ms: 0 },
      zone: { offsetMinutes: 0 },
    });
    assert.deepEqual(typedValueOf("CreatedDate < '2024-02-27T12:52:00-08:00'"), {
      kind: 'instant',
      wall: { y: 2024, m: 2, d: 27, h: 12, mi: 52, s: 0, ms: 0 },
      zone: { offsetMinutes: -480 },
    });
  });

  it('reads relative times with every unit, singular or plural, and an optional zone', () => {
    assert.deepEqual(typedValueOf("UpdatedDate > 'now - 1 day'"), {
      kind: 'relative',
      base: 'now',
      amount: -1,
      unit: 'day',
      zone: undefined,
    });
    assert.deepEqual(typedValueOf("UpdatedDate > 'today - 30 days (-08:00)'"), {
      kind: 'relative',
      base: 'today',
      amount: -30,
      unit: 'day',
      zone: { offsetMinutes: -480 },
    });
    assert.deepEqual(typedValueOf("UpdatedDate > 'Today + 1 Week (America/Los_Angeles)'"), {
      kind: 'relative',
      base: 'today',
      amount: 1,
      unit: 'week',
      zone: { name: 'America/Los_Angeles' },
    });
    for (const unit of ['second', 'minute', 'hour', 'day', 'week', 'month', 'year']) {
      for (const written of [unit, `${unit}s`]) {
        const v = typedValueOf(`UpdatedDate > 'now - 2 ${written}'`);
        assert.deepEqual(v, { kind: 'relative', base: 'now', amount: -2, unit, zone: undefined });
      }
    }
  });

  it('refuses values that do not fit the field type', () => {
    assertQueryError(
      "select Id from Account where Balance = 'abc'",
      'zoqlexport',
      "'abc' is not a valid value for Account.Balance, a decimal field",
      1,
      40,
    );
    assertQueryError(
      'select Id from Account where AutoPay = 1',
      'zoqlexport',
      '1 is not a valid value for Account.AutoPay, a boolean field',
      1,
      40,
    );
    assertQueryError(
      'select Id from Account where Name = true',
      'zoqlexport',
      'true is not a valid value for Account.Name, a text field',
      1,
      37,
    );
    assertQueryError(
      'select Id from Account where BillCycleDay = 2024-01-01',
      'zoqlexport',
      '2024-01-01 is not a valid value for Account.BillCycleDay, an integer field',
      1,
      45,
    );
  });

  it('refuses invalid dates, times, zones and relative times', () => {
    assertQueryError(
      "select Id from Account where LastInvoiceDate = '2023-02-29'",
      'zoqlexport',
      "'2023-02-29' is not a valid date",
      1,
      48,
    );
    assertQueryError(
      "select Id from Account where CreatedDate = '2024-13-01'",
      'zoqlexport',
      "'2024-13-01' is not a valid date",
      1,
      44,
    );
    assertQueryError(
      "select Id from Account where CreatedDate = '2024-01-01T24:00:00'",
      'zoqlexport',
      "'2024-01-01T24:00:00' is not a valid time of day",
      1,
      44,
    );
    assertQueryError(
      "select Id from Account where CreatedDate > 'today - 3 days (Mars/Olympus)'",
      'zoqlexport',
      "'Mars/Olympus' is not a time zone: write an offset like -08:00 or a name like America/Los_Angeles",
      1,
      44,
    );
    assertQueryError(
      "select Id from Account where CreatedDate > 'yesterday'",
      'zoqlexport',
      "'yesterday' is not a valid date or datetime for Account.CreatedDate: write YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss][Z|±hh:mm], or a relative time like 'today - 30 days'",
      1,
      44,
    );
    assertQueryError(
      "select Id from Account where CreatedDate > 'now - 3 fortnights'",
      'zoqlexport',
      "'now - 3 fortnights' is not a valid date or datetime for Account.CreatedDate: write YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss][Z|±hh:mm], or a relative time like 'today - 30 days'",
      1,
      44,
    );
  });

  it('accepts a picklist value outside its list', () => {
    assert.deepEqual(typedValueOf("Status = 'Unheard Of'"), { kind: 'string', value: 'Unheard Of' });
  });
});
