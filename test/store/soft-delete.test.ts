import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { query, T0, tempStore } from './temp-store.ts';

const A = 'a'.repeat(32);

describe('soft deletes', () => {
  it('keep the row with its deletion time and sequence number, and hide it from get', () => {
    const { store, clock, done } = tempStore();
    try {
      store.create('Account', { Id: A, Name: 'Acme' });
      clock.advance(5000);
      store.delete('Account', A);
      assert.equal(store.get('Account', A), undefined);
      assert.deepEqual(
        query(
          store,
          'SELECT "Name", "_seq", "_created_seq", "_changed_at", "_deleted_at", "UpdatedDate" FROM "Account"',
        ),
        [['Acme', 2, 1, T0 + 5000, T0 + 5000, T0 + 5000]],
      );
    } finally {
      done();
    }
  });

  it('refuse update and delete of a deleted or unknown record with INVALID_ID', () => {
    const { store, done } = tempStore();
    try {
      store.create('Account', { Id: A });
      store.delete('Account', A);
      const gone = { code: 'INVALID_ID', message: `no Account with Id ${A}` };
      assert.throws(() => store.delete('Account', A), gone);
      assert.throws(() => store.update('Account', A, { Name: 'x' }), gone);
      assert.throws(() => store.delete('Invoice', A), {
        code: 'INVALID_ID',
        message: `no Invoice with Id ${A}`,
      });
      assert.equal(
        store.snapshot((s) => s.seq),
        2,
      );
    } finally {
      done();
    }
  });

  it('let a load or create bring the Id back as a new record', () => {
    const { store, done } = tempStore();
    try {
      store.create('Account', { Id: A, Name: 'old', Balance: 5 });
      store.delete('Account', A);
      assert.deepEqual(store.load('Account', [{ Id: A, Name: 'new' }]), { inserted: 1, updated: 0 });
      assert.equal(store.get('Account', A)?.Name, 'new');
      assert.equal(store.get('Account', A)?.Balance, null);
      // A new record, but it keeps the first creation's sequence number (see recreated-record.test.ts).
      assert.deepEqual(query(store, 'SELECT "_seq", "_created_seq", "_deleted_at" FROM "Account"'), [
        [3, 1, null],
      ]);
      store.delete('Account', A);
      store.create('Account', { Id: A, Name: 'again' });
      assert.equal(store.get('Account', A)?.Name, 'again');
    } finally {
      done();
    }
  });
});
