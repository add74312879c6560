import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { query, tempStore } from './temp-store.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('loads', () => {
  it('upsert by Id: a known Id changes only the fields given', () => {
    const { store, done } = tempStore();
    try {
      store.create('Account', { Id: A, Name: 'Acme', Balance: '10.5', Status: 'Active' });
      const result = store.load('Account', [
        { Id: A, Balance: '-3.25' },
        { Id: B, Name: 'Beta', AutoPay: 'true' },
      ]);
      assert.deepEqual(result, { inserted: 1, updated: 1 });
      assert.deepEqual(
        query(
          store,
          'SELECT "Id", "Name", CAST("Balance" AS DOUBLE PRECISION), "Status", "AutoPay" FROM "Account" ORDER BY "Id"',
        ),
        [
          [A, 'Acme', -3.25, 'Active', null],
          [B, 'Beta', null, null, 1],
        ],
      );
    } finally {
      done();
    }
  });

  it('write nothing when any record is bad, naming the record', () => {
    const { store, done } = tempStore();
    try {
      assert.throws(() => store.load('Account', [{ Id: A }, { Id: B, Status: 'Gone' }]), {
        code: 'INVALID_VALUE',
        message:
          "record 2: invalid picklist 'Gone' for Account.Status: expected one of 'Draft', 'Active', 'Canceled'",
      });
      assert.deepEqual(query(store, 'SELECT count(*) FROM "Account"'), [[0]]);
    } finally {
      done();
    }
  });

  it('fed record by record apply at commit, in one transaction', () => {
    const { store, done } = tempStore();
    try {
      store.create('Account', { Id: A, Name: 'Acme' });
      const session = store.beginLoad('account');
      for (let i = 0; i < 2500; i++) session.add({ Name: `n${i}`, Balance: i / 100 });
      session.add({ Id: A, Name: 'Acme 2' });
      // Nothing is visible before commit, and other writes still go through.
      assert.deepEqual(query(store, 'SELECT count(*) FROM "Account"'), [[1]]);
      store.create('Contact', { FirstName: 'meanwhile' });
      assert.deepEqual(session.commit(), { inserted: 2500, updated: 1 });
      assert.deepEqual(
        query(
          store,
          'SELECT count(*), count(CASE WHEN "_seq" = 3 THEN 1 END), CAST(max("Balance") AS DOUBLE PRECISION) FROM "Account"',
        ),
        [[2501, 2501, 24.99]],
      );
      assert.equal(store.get('Account', A)?.Name, 'Acme 2');
      assert.throws(() => session.add({ Name: 'late' }), /this load has ended/);
    } finally {
      done();
    }
  });

  it('fed record by record refuse a bad record at once and write nothing when aborted', () => {
    const { store, done } = tempStore();
    try {
      const session = store.beginLoad('Account');
      session.add({ Name: 'ok' });
      assert.throws(() => session.add({ Mrr: 'x' }), { code: 'INVALID_VALUE' });
      session.abort();
      assert.deepEqual(query(store, 'SELECT count(*) FROM "Account"'), [[0]]);
      assert.equal(
        store.snapshot((s) => s.seq),
        0,
      );
    } finally {
      done();
    }
  });

  it('fed record by record end as the same records loaded at once would', () => {
    const C = 'c'.repeat(32);
    const D = 'd'.repeat(32);
    const records = [
      { Id: A, Name: 'live, updated' },
      { Id: B, Name: 'deleted, created again', Balance: '2.5' },
      { Id: C, Name: 'new', Status: 'Draft' },
      { Id: C, Balance: '-1' },
      { Name: 'no Id', AutoPay: 'true' },
      { Id: A, Status: 'Canceled' },
      { Id: D, Name: 'new, then given twice more' },
      ...Array.from({ length: 1200 }, (_, i) => ({ Name: `n${i}`, Balance: i % 7 === 0 ? '' : String(i) })),
      { Id: D, Name: 'second' },
      { Id: D, BillCycleDay: 3 },
    ];
    const state = (store: ReturnType<typeof tempStore>['store']) =>
      query(
        store,
        'SELECT "Id", "Name", CAST("Balance" AS DOUBLE PRECISION), "Status", "AutoPay", "BillCycleDay", "_seq", "_created_seq", "_deleted_at" FROM "Account" WHERE "Id" IN (?, ?, ?, ?) ORDER BY "Id"',
        [A, B, C, D],
      );
    const runs = [0, 1].map((staged) => {
      const t = tempStore();
      try {
        t.store.create('Account', { Id: A, Name: 'Acme', Status: 'Active' });
        t.store.create('Account', { Id: B, Name: 'Beta' });
        t.store.delete('Account', B);
        let result: unknown;
        if (staged) {
          const session = t.store.beginLoad('Account');
          for (const r of records) session.add(r);
          result = session.commit();
        } else result = t.store.load('Account', records);
        const counts = query(
          t.store,
          'SELECT count(*), count("Balance"), count(DISTINCT "Id") FROM "Account"',
        );
        return { result, rows: state(t.store), counts };
      } finally {
        t.done();
      }
    });
    assert.deepEqual(runs[1], runs[0]);
    assert.deepEqual(runs[0]!.result, { inserted: 1204, updated: 5 });
    assert.deepEqual(runs[0]!.counts, [[1205, 1200 - 172 + 2, 1205]]);
  });

  it('refuse an unknown object', () => {
    const { store, done } = tempStore();
    try {
      assert.throws(() => store.load('Nope', [{}]), {
        code: 'INVALID_TYPE',
        message: "unknown object 'Nope'",
      });
    } finally {
      done();
    }
  });
});
