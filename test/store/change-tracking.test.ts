import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { query, T0, tempStore } from './temp-store.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

function tracking(store: Parameters<typeof query>[0], id: string): unknown[] | undefined {
  return query(
    store,
    'SELECT "_seq", "_created_seq", "_changed_at", "_deleted_at" FROM "Account" WHERE "Id" = ?',
    [id],
  )[0];
}

describe('change tracking', () => {
  it('stamps each writing transaction with the next sequence number and the clock time', () => {
    const { store, clock, done } = tempStore();
    try {
      store.create('Account', { Id: A, Name: 'One' });
      assert.deepEqual(tracking(store, A), [1, 1, T0, null]);
      clock.advance(1000);
      store.create('Account', { Id: B, Name: 'Two' });
      assert.deepEqual(tracking(store, B), [2, 2, T0 + 1000, null]);
      clock.advance(1000);
      store.update('Account', A, { Name: 'One again' });
      assert.deepEqual(tracking(store, A), [3, 1, T0 + 2000, null]);
      assert.equal(
        store.snapshot((s) => s.seq),
        3,
      );
    } finally {
      done();
    }
  });

  it('gives a whole load one sequence number', () => {
    const { store, done } = tempStore();
    try {
      store.create('Account', { Id: A, Name: 'One' });
      const result = store.load('Account', [
        { Id: A, Name: 'Changed' },
        { Id: B, Name: 'New' },
        { Name: 'No Id' },
      ]);
      assert.deepEqual(result, { inserted: 2, updated: 1 });
      assert.deepEqual(query(store, 'SELECT DISTINCT "_seq" FROM "Account"'), [[2]]);
      assert.deepEqual(
        query(store, 'SELECT "Id", "_created_seq" FROM "Account" WHERE "Id" IN (?, ?) ORDER BY "Id"', [A, B]),
        [
          [A, 1],
          [B, 2],
        ],
      );
    } finally {
      done();
    }
  });

  it('sets CreatedDate and UpdatedDate from the clock unless given; update moves UpdatedDate only', () => {
    const { store, clock, done } = tempStore();
    try {
      store.create('Account', { Id: A });
      store.create('Account', {
        Id: B,
        CreatedDate: '2020-05-01T00:00:00Z',
        UpdatedDate: '2021-05-01T00:00:00Z',
      });
      assert.deepEqual(query(store, 'SELECT "CreatedDate", "UpdatedDate" FROM "Account" ORDER BY "Id"'), [
        [T0, T0],
        [Date.UTC(2020, 4, 1), Date.UTC(2021, 4, 1)],
      ]);
      clock.advance(60_000);
      store.update('Account', B, { Name: 'x' });
      assert.deepEqual(store.get('Account', B)?.CreatedDate, '2020-04-30T17:00:00-07:00');
      assert.deepEqual(store.get('Account', B)?.UpdatedDate, '2024-01-15T04:01:00-08:00');
      store.update('Account', A, { UpdatedDate: '2024-01-01T00:00:00Z' });
      assert.deepEqual(store.get('Account', A)?.UpdatedDate, '2023-12-31T16:00:00-08:00');
    } finally {
      done();
    }
  });

  it('treats an empty CreatedDate or UpdatedDate as not given', () => {
    const { store, clock, done } = tempStore();
    try {
      store.create('Account', { Id: A, CreatedDate: '', UpdatedDate: null });
      clock.advance(1000);
      store.update('Account', A, { CreatedDate: '', UpdatedDate: '' });
      assert.deepEqual(query(store, 'SELECT "CreatedDate", "UpdatedDate" FROM "Account"'), [[T0, T0 + 1000]]);
    } finally {
      done();
    }
  });

  it('stamps date-typed CreatedDate (PaymentMethod) with the date in the tenant zone', () => {
    const { store, done } = tempStore();
    try {
      // T0 is 04:00 on 2024-01-15 in Los Angeles.
      const id = store.create('PaymentMethod', { Type: 'Cash' });
      assert.equal(store.get('PaymentMethod', id)?.CreatedDate, '2024-01-15');
    } finally {
      done();
    }
  });

  it('rolls back a failed write without using up a sequence number', () => {
    const { store, done } = tempStore();
    try {
      store.create('Account', { Id: A });
      assert.throws(
        () => store.load('Account', [{ Id: B }, { Balance: 'lots' }]),
        /record 2: invalid decimal 'lots'/,
      );
      assert.throws(() => store.update('Account', B, { Name: 'x' }), /no Account with Id b{32}/);
      assert.equal(store.get('Account', B), undefined);
      store.create('Account', { Id: B });
      assert.deepEqual(tracking(store, B), [2, 2, T0, null]);
    } finally {
      done();
    }
  });

  it('refuses to create a live Id twice and to change an Id', () => {
    const { store, done } = tempStore();
    try {
      store.create('Account', { Id: A });
      assert.throws(() => store.create('Account', { Id: A }), {
        code: 'INVALID_ID',
        message: `Account ${A} already exists`,
      });
      assert.throws(() => store.update('Account', A, { Id: B }), {
        code: 'INVALID_ID',
        message: `the Id of Account ${A} cannot be changed to ${B}`,
      });
    } finally {
      done();
    }
  });

  it('generates a 32-hex Id when none is given', () => {
    const { store, done } = tempStore();
    try {
      const id = store.create('Account', { Name: 'x' });
      assert.match(id, /^[0-9a-f]{32}$/);
      assert.equal(store.get('Account', id)?.Name, 'x');
    } finally {
      done();
    }
  });
});
