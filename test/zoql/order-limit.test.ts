import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstColumn, insert, memoryDb, run } from './db.ts';

function seed() {
  const db = memoryDb();
  insert(db, 'Account', { Id: 'a1', Name: 'b', BillCycleDay: 2 });
  insert(db, 'Account', { Id: 'a2', Name: 'a', BillCycleDay: 2 });
  insert(db, 'Account', { Id: 'a3', Name: 'c', BillCycleDay: 1 });
  insert(db, 'Account', { Id: 'a4', Name: 'd', BillCycleDay: 3 });
  return db;
}

describe('order by and limit', () => {
  it('orders by several keys, ascending by default', () => {
    const db = seed();
    assert.deepEqual(firstColumn(run(db, 'select Id from Account order by BillCycleDay desc, Name')), [
      'a4',
      'a2',
      'a1',
      'a3',
    ]);
    assert.deepEqual(firstColumn(run(db, 'select Id from Account order by Name asc')), [
      'a2',
      'a1',
      'a3',
      'a4',
    ]);
  });

  it('limits to n rows, or skips offset rows then takes count', () => {
    const db = seed();
    assert.deepEqual(firstColumn(run(db, 'select Id from Account order by Name limit 2')), ['a2', 'a1']);
    assert.deepEqual(firstColumn(run(db, 'select Id from Account order by Name limit 1, 2')), ['a1', 'a3']);
    assert.deepEqual(firstColumn(run(db, 'select Id from Account order by Name limit 0')), []);
  });

  it('orders by an alias', () => {
    const db = seed();
    assert.deepEqual(
      run(
        db,
        'select BillCycleDay as "day", count(*) as n from Account group by BillCycleDay order by n desc, "day"',
      ),
      [
        [2, 2],
        [1, 1],
        [3, 1],
      ],
    );
  });
});
