import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { query, T0, tempStore } from './temp-store.ts';

describe('purging deleted records', () => {
  it('removes only records deleted before the given time, across objects', () => {
    const { store, clock, done } = tempStore();
    try {
      const a1 = store.create('Account', { Name: 'deleted early' });
      const a2 = store.create('Account', { Name: 'deleted late' });
      store.create('Account', { Name: 'live' });
      const c1 = store.create('Contact', { FirstName: 'deleted early' });
      store.delete('Account', a1);
      store.delete('Contact', c1);
      clock.advance(10_000);
      store.delete('Account', a2);
      assert.equal(store.purgeDeleted(T0 + 10_000), 2);
      assert.deepEqual(query(store, 'SELECT "Name", "_deleted_at" FROM "Account" ORDER BY "Name"'), [
        ['deleted late', T0 + 10_000],
        ['live', null],
      ]);
      assert.deepEqual(query(store, 'SELECT count(*) FROM "Contact"'), [[0]]);
      assert.equal(store.purgeDeleted(T0 + 10_001), 1);
      assert.equal(store.purgeDeleted(T0 + 10_001), 0);
      // Purging is not a change: the sequence stays where the last write left it.
      assert.equal(
        store.snapshot((s) => s.seq),
        7,
      );
    } finally {
      done();
    }
  });
});
