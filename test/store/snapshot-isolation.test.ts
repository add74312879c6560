import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempStore } from './temp-store.ts';

const COUNT = { sql: 'SELECT count(*), max("_seq") FROM "Account"', params: [] };

describe('snapshots', () => {
  it('do not see writes committed by another connection after they began', () => {
    const { store, reopen, done } = tempStore();
    const other = reopen();
    try {
      store.create('Account', { Name: 'before' });
      const seen = store.snapshot((snap) => {
        const first = [...snap.rows(COUNT)];
        other.create('Account', { Name: 'during, from another connection' });
        store.create('Account', { Name: 'during, from the same store' });
        const second = [...snap.rows(COUNT)];
        return { seq: snap.seq, first, second };
      });
      assert.deepEqual(seen, { seq: 1, first: [[1, 1]], second: [[1, 1]] });
      assert.deepEqual(
        store.snapshot((snap) => ({ seq: snap.seq, rows: [...snap.rows(COUNT)] })),
        { seq: 3, rows: [[3, 3]] },
      );
    } finally {
      done();
    }
  });

  it('last across awaits when the function returns a promise', async () => {
    const { store, done } = tempStore();
    try {
      store.create('Account', { Name: 'a' });
      const rows = await store.snapshot(async (snap) => {
        await new Promise((r) => setTimeout(r, 5));
        store.create('Account', { Name: 'b' });
        await new Promise((r) => setTimeout(r, 5));
        return [...snap.rows(COUNT)];
      });
      assert.deepEqual(rows, [[1, 1]]);
    } finally {
      done();
    }
  });

  it('see exactly a prefix of the change sequence', () => {
    const { store, done } = tempStore();
    try {
      for (let i = 0; i < 20; i++) {
        store.load(
          'Account',
          Array.from({ length: i % 3 }, (_, j) => ({ Name: `n${i}.${j}` })),
        );
        if (i % 4 === 0) store.create('Account', { Name: `c${i}` });
        const [count, below] = store.snapshot((snap) => {
          const rows = [
            ...snap.rows({
              sql: 'SELECT count(*), count(CASE WHEN "_seq" <= ? THEN 1 END) FROM "Account"',
              params: [snap.seq],
            }),
          ];
          return rows[0] as [number, number];
        });
        assert.equal(count, below);
      }
    } finally {
      done();
    }
  });

  it('stream rows as arrays and end their iterators with the snapshot', () => {
    const { store, done } = tempStore();
    try {
      store.load('Account', [
        { Name: 'x', Balance: '1.5' },
        { Name: 'y', Balance: '-2' },
      ]);
      let leaked: (() => unknown) | undefined;
      const first = store.snapshot((snap) => {
        const it = snap.rows({
          sql: 'SELECT "Name", CAST("Balance" AS DOUBLE PRECISION) FROM "Account" ORDER BY "Name"',
          params: [],
        });
        leaked = () => snap.rows(COUNT);
        return it.next().value;
      });
      assert.deepEqual(first, ['x', 1.5]);
      assert.throws(() => leaked!(), /the snapshot has ended/);
      // The connection went back to the pool in a usable state.
      assert.deepEqual(
        store.snapshot((snap) => [...snap.rows(COUNT)]),
        [[2, 1]],
      );
    } finally {
      done();
    }
  });

  it('stream the same query twice at once', () => {
    const { store, done } = tempStore();
    try {
      store.load('Account', [{ Name: 'a' }, { Name: 'b' }]);
      const pairs = store.snapshot((snap) => {
        const q = { sql: 'SELECT "Name" FROM "Account" ORDER BY "Name"', params: [] };
        const out: unknown[] = [];
        for (const [outer] of snap.rows(q)) for (const [inner] of snap.rows(q)) out.push(`${outer}${inner}`);
        return out;
      });
      assert.deepEqual(pairs, ['aa', 'ab', 'ba', 'bb']);
    } finally {
      done();
    }
  });

  it('report the clock time at which they were taken', () => {
    const { store, clock, done } = tempStore();
    try {
      clock.set(Date.UTC(2025, 0, 1));
      assert.equal(
        store.snapshot((snap) => snap.time),
        Date.UTC(2025, 0, 1),
      );
    } finally {
      done();
    }
  });
});
