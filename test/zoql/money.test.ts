import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDecimal, parseDecimal, toDecimal } from '../../src/store/tenant/decimal.ts';
import { insert, memoryDb, run } from './db.ts';

describe('exact money aggregates', () => {
  it('sums 0.1 and 0.2 to 0.3', () => {
    const db = memoryDb();
    insert(db, 'Account', { Id: 'a1', Balance: 0.1 });
    insert(db, 'Account', { Id: 'a2', Balance: 0.2 });
    assert.deepEqual(run(db, 'select sum(Balance), avg(Balance), min(Balance), max(Balance) from Account'), [
      ['0.3', '0.15', 0.1, 0.2],
    ]);
  });

  it('sums many cents exactly', () => {
    const db = memoryDb();
    let expected = 0n;
    for (let i = 0; i < 1000; i++) {
      const cents = ((i * 7919) % 100_000) - 30_000;
      expected += BigInt(cents);
      insert(db, 'Account', { Id: `a${i}`, Balance: cents / 100 });
    }
    const text = formatDecimal({ n: expected, scale: 2 });
    assert.deepEqual(run(db, 'select sum(Balance) from Account'), [[text]]);
  });

  it('keeps fifteen significant digits through a sum', () => {
    const db = memoryDb();
    insert(db, 'Account', { Id: 'a1', Balance: 123456789012.345 });
    insert(db, 'Account', { Id: 'a2', Balance: 0.001 });
    insert(db, 'Account', { Id: 'a3', Balance: -0.000000000000001 });
    assert.deepEqual(run(db, 'select sum(Balance) from Account'), [['123456789012.345999999999999']]);
  });

  it('writes plain decimals without exponent or trailing zeros', () => {
    const db = memoryDb();
    insert(db, 'Account', { Id: 'a1', Balance: -11095 });
    insert(db, 'Account', { Id: 'a2', Balance: 1e-7 });
    insert(db, 'Account', { Id: 'a3', Balance: 1e21 });
    assert.deepEqual(run(db, "select sum(Balance) from Account where Id = 'a1'"), [['-11095']]);
    assert.deepEqual(run(db, "select sum(Balance) from Account where Id = 'a2'"), [['0.0000001']]);
    assert.deepEqual(run(db, "select sum(Balance) from Account where Id = 'a3'"), [
      ['1000000000000000000000'],
    ]);
    assert.deepEqual(run(db, "select sum(Balance), avg(Balance) from Account where Id = 'none'"), [
      [null, null],
    ]);
  });

  it('averages to at most ten places, rounding half away from zero', () => {
    const db = memoryDb();
    insert(db, 'Account', { Id: 'a1', Balance: 1, BillCycleDay: 1 });
    insert(db, 'Account', { Id: 'a2', Balance: 0, BillCycleDay: 2 });
    insert(db, 'Account', { Id: 'a3', Balance: 0, BillCycleDay: 2 });
    assert.deepEqual(run(db, 'select avg(Balance), avg(BillCycleDay), sum(BillCycleDay) from Account'), [
      ['0.3333333333', '1.6666666667', 5],
    ]);
    insert(db, 'Account', { Id: 'a4', Balance: -2.5 });
    assert.deepEqual(run(db, "select avg(Balance) from Account where Id = 'a4'"), [['-2.5']]);
  });

  it('compares exact sums in having and sorts them as numbers', () => {
    const db = memoryDb();
    insert(db, 'Account', { Id: 'a1', Status: 'A', Balance: 0.1 });
    insert(db, 'Account', { Id: 'a2', Status: 'A', Balance: 0.2 });
    insert(db, 'Account', { Id: 'a3', Status: 'B', Balance: 9 });
    insert(db, 'Account', { Id: 'a4', Status: 'C', Balance: 10 });
    assert.deepEqual(run(db, 'select Status from Account group by Status having sum(Balance) = 0.3'), [
      ['A'],
    ]);
    assert.deepEqual(
      run(db, 'select Status, sum(Balance) from Account group by Status order by sum(Balance) desc'),
      [
        ['C', '10'],
        ['B', '9'],
        ['A', '0.3'],
      ],
    );
  });

  it('parses decimals exactly from numbers and text', () => {
    assert.deepEqual(toDecimal(0.1), { n: 1n, scale: 1 });
    assert.deepEqual(parseDecimal('-1.50e2'), { n: -150n, scale: 0 });
    assert.equal(formatDecimal(parseDecimal('00012.3400')), '12.34');
  });
});
