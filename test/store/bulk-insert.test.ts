import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANALYZE_AFTER_BULK_ROWS } from '../../src/limits.ts';
import { query, T0, tempStore } from './temp-store.ts';

/** PostgreSQL's estimate of a table's rows, -1 before any analysis. */
function estimatedRows(store: ReturnType<typeof tempStore>['store'], table: string): number {
  const rows = query(store, 'SELECT reltuples::int FROM pg_class WHERE oid = to_regclass(?)', [`"${table}"`]);
  return Number(rows[0]?.[0]);
}

describe('bulk insert', () => {
  it('writes encoded rows under one sequence number, stamping what is missing', () => {
    const { store, done } = tempStore();
    try {
      const rows = Array.from({ length: 2345 }, (_, i) => [i.toString(16).padStart(32, '0'), `p${i}`, null]);
      assert.equal(store.bulkInsert('Product', ['Id', 'name', 'Description'], rows), 2345);
      assert.deepEqual(
        query(
          store,
          'SELECT count(*), min("_seq"), max("_created_seq"), min("CreatedDate"), max("UpdatedDate"), min("_changed_at") FROM "Product"',
        ),
        [[2345, 1, 1, T0, T0, T0]],
      );
      assert.equal(store.get('Product', (2344).toString(16).padStart(32, '0'))?.Name, 'p2344');
    } finally {
      done();
    }
  });

  it('generates Ids when the Id column is missing and refuses rows of the wrong width', () => {
    const { store, done } = tempStore();
    try {
      assert.equal(store.bulkInsert('Contact', ['FirstName'], [['a'], ['b']]), 2);
      assert.deepEqual(query(store, 'SELECT count(DISTINCT "Id"), min(length("Id")) FROM "Contact"'), [
        [2, 32],
      ]);
      assert.throws(() => store.bulkInsert('Contact', ['FirstName'], [['a', 'b']]), {
        code: 'INVALID_VALUE',
        message: 'bulk row 1 into Contact has 2 values for 1 columns',
      });
      assert.throws(() => store.bulkInsert('Contact', ['Nope'], []), {
        code: 'INVALID_FIELD',
        message: "unknown field 'Nope' on Contact",
      });
      assert.deepEqual(query(store, 'SELECT count(*) FROM "Contact"'), [[2]]);
    } finally {
      done();
    }
  });

  it('leaves a large PostgreSQL table with statistics, so that the next query plans for its size', (t) => {
    const { store, done } = tempStore();
    try {
      if (store.dialect.name !== 'postgres') {
        t.skip('SQLite plans joins well without statistics');
        return;
      }
      const rows = Array.from({ length: ANALYZE_AFTER_BULK_ROWS }, (_, i) => [`c${i}`]);
      assert.equal(store.bulkInsert('Contact', ['FirstName'], rows), ANALYZE_AFTER_BULK_ROWS);
      assert.equal(estimatedRows(store, 'Contact'), ANALYZE_AFTER_BULK_ROWS);
    } finally {
      done();
    }
  });

  it('leaves a large PostgreSQL table loaded through a load session with statistics too', (t) => {
    const { store, done } = tempStore();
    try {
      if (store.dialect.name !== 'postgres') {
        t.skip('SQLite plans joins well without statistics');
        return;
      }
      const session = store.beginLoad('Contact');
      for (let i = 0; i < ANALYZE_AFTER_BULK_ROWS; i++) session.add({ FirstName: `c${i}` });
      assert.deepEqual(session.commit(), { inserted: ANALYZE_AFTER_BULK_ROWS, updated: 0 });
      assert.equal(estimatedRows(store, 'Contact'), ANALYZE_AFTER_BULK_ROWS);
    } finally {
      done();
    }
  });
});
