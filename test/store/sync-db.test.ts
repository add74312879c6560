import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type SyncDb, UniqueViolation } from '../../src/store/db.ts';
import { openPgDb } from '../../src/store/postgres/db.ts';
import { rewritePlaceholders } from '../../src/store/postgres/placeholders.ts';
import { openSqliteDb } from '../../src/store/sqlite/db.ts';
import { createTestDatabase, testServerUrl } from '../support/postgres.ts';

const pg = await testServerUrl();
const dir = mkdtempSync(join(tmpdir(), 'openaqua-syncdb-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Open = () => { db: SyncDb; close(): void };
const adapters: [string, Open | string][] = [
  [
    'sqlite',
    () => {
      const db = openSqliteDb(join(dir, `${Math.random()}.sqlite`));
      return { db, close: () => db.close() };
    },
  ],
  [
    'postgres',
    'skip' in pg
      ? pg.skip
      : () => {
          const t = createTestDatabase(pg.url);
          const db = openPgDb(t.url, { schema: 'app' });
          return {
            db,
            close: () => {
              db.close();
              t.drop();
            },
          };
        },
  ],
];

const DDL = `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, amount REAL, big BIGINT);
             CREATE UNIQUE INDEX t_name ON t (name)`;

for (const [name, open] of adapters) {
  describe(`SyncDb on ${name}`, { skip: typeof open === 'string' ? open : false }, () => {
    const withDb = (fn: (db: SyncDb) => void) => () => {
      const { db, close } = (open as Open)();
      try {
        db.exec(DDL);
        fn(db);
      } finally {
        close();
      }
    };

    test(
      'binds ? and @name values and reads rows, plucked values and arrays with JS types',
      withDb((db) => {
        const ins = db.prepare('INSERT INTO t (id, name, amount, big) VALUES (?, ?, ?, ?)');
        assert.equal(ins.run(1, "o'brien; --", 12.5, 1_700_000_000_000).changes, 1);
        ins.run(2, 'b', null, null);
        assert.deepEqual(db.prepare('SELECT id, name, amount, big FROM t WHERE id = @id').get({ id: 1 }), {
          id: 1,
          name: "o'brien; --",
          amount: 12.5,
          big: 1_700_000_000_000,
        });
        assert.deepEqual(db.prepare('SELECT name FROM t ORDER BY id').pluck().all(), ["o'brien; --", 'b']);
        assert.deepEqual(db.prepare('SELECT id, amount FROM t ORDER BY id').raw().all(), [
          [1, 12.5],
          [2, null],
        ]);
        assert.equal(db.prepare('SELECT name FROM t WHERE id = ?').get(99), undefined);
        assert.deepEqual(db.prepare("SELECT '?' AS q, name FROM t WHERE name = ?").get('b'), {
          q: '?',
          name: 'b',
        });
      }),
    );

    test(
      'reports changed rows and maps a unique violation to UniqueViolation',
      withDb((db) => {
        const ins = db.prepare('INSERT INTO t (id, name) VALUES (?, ?)');
        ins.run(1, 'a');
        ins.run(2, 'b');
        assert.equal(db.prepare('UPDATE t SET amount = 1 WHERE id > ?').run(0).changes, 2);
        assert.throws(() => ins.run(3, 'a'), UniqueViolation);
        assert.equal(db.prepare('DELETE FROM t WHERE id = ?').run(2).changes, 1);
      }),
    );

    test(
      'commits a transaction, rolls back a throwing one, and makes nested calls savepoints',
      withDb((db) => {
        const ins = db.prepare('INSERT INTO t (id, name) VALUES (?, ?)');
        db.transaction(() => ins.run(1, 'a'), 'immediate');
        assert.throws(() =>
          db.transaction(() => {
            ins.run(2, 'b');
            throw new Error('boom');
          }),
        );
        db.transaction(() => {
          ins.run(3, 'c');
          assert.equal(db.inTransaction, true);
          assert.throws(() => db.transaction(() => ins.run(4, 'a')), UniqueViolation);
          ins.run(5, 'e');
        });
        assert.equal(db.inTransaction, false);
        assert.deepEqual(db.prepare('SELECT id FROM t ORDER BY id').pluck().all(), [1, 3, 5]);
      }),
    );

    test(
      'streams many rows with iterate inside a transaction, and stops early without harm',
      withDb((db) => {
        const ins = db.prepare('INSERT INTO t (id, name) VALUES (?, ?)');
        db.transaction(() => {
          for (let i = 1; i <= 12_345; i++) ins.run(i, `n${i}`);
        });
        const sum = db.transaction(() => {
          let s = 0;
          for (const row of db.prepare('SELECT id FROM t WHERE id > ? ORDER BY id').raw().iterate(0))
            s += row[0] as number;
          let seen = 0;
          for (const _ of db.prepare('SELECT id FROM t').iterate()) if (++seen === 10) break;
          return s;
        }, 'snapshot');
        assert.equal(sum, (12_345 * 12_346) / 2);
        assert.equal(db.prepare('SELECT count(*) AS n FROM t').pluck().get(), 12_345);
      }),
    );
  });
}

test('placeholders inside literals, quoted names and comments stay as they are', () => {
  const r = rewritePlaceholders(
    `SELECT "a?" , 'it''s ?', x FROM t -- why?\n WHERE a = ? /* @no */ AND b = ?`,
  );
  assert.equal(r.text, `SELECT "a?" , 'it''s ?', x FROM t -- why?\n WHERE a = $1 /* @no */ AND b = $2`);
  const n = rewritePlaceholders('UPDATE t SET a = @a WHERE b = @b OR a = @a');
  assert.equal(n.text, 'UPDATE t SET a = $1 WHERE b = $2 OR a = $1');
  assert.deepEqual(n.names, ['a', 'b']);
  assert.throws(() => rewritePlaceholders('SELECT ? , @a'), /mixes/);
});
