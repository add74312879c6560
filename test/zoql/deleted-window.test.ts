import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insert, memoryDb, NOW, run } from './db.ts';

/**
 * Sequence history: a window after seq 10.
 * - live-old: created at 5, untouched since → outside the window
 * - live-new: created at 5, updated at 12 → in the window
 * - born-in: created at 11 → in the window
 * - deleted-in: created at 5, deleted at 13 → deleted in the window
 * - born-and-died: created at 11, deleted at 14 → never seen by the session
 * - deleted-old: created at 2, deleted at 8 → deleted before the window
 */
function seed() {
  const db = memoryDb();
  insert(db, 'Account', { Id: 'live-old', Name: 'x' }, { seq: 5, createdSeq: 5, changedAt: NOW - 5000 });
  insert(db, 'Account', { Id: 'live-new', Name: 'x' }, { seq: 12, createdSeq: 5, changedAt: NOW - 1200 });
  insert(db, 'Account', { Id: 'born-in', Name: 'y' }, { seq: 11, createdSeq: 11, changedAt: NOW - 1100 });
  insert(
    db,
    'Account',
    { Id: 'deleted-in', Name: 'x' },
    { seq: 13, createdSeq: 5, changedAt: NOW - 1000, deletedAt: NOW - 1000 },
  );
  insert(
    db,
    'Account',
    { Id: 'born-and-died', Name: 'x' },
    { seq: 14, createdSeq: 11, changedAt: NOW - 900, deletedAt: NOW - 900 },
  );
  insert(
    db,
    'Account',
    { Id: 'deleted-old', Name: 'x' },
    { seq: 8, createdSeq: 2, changedAt: NOW - 8000, deletedAt: NOW - 8000 },
  );
  return db;
}

describe('deleted rows and change windows', () => {
  it('reads only live rows by default, with a 0 flag when asked', () => {
    const db = seed();
    assert.deepEqual(run(db, 'select Id from Account order by Id', { deleted: true }), [
      [0, 'born-in'],
      [0, 'live-new'],
      [0, 'live-old'],
    ]);
  });

  it('reads live rows changed in the window, and rows deleted in it that existed before it', () => {
    const db = seed();
    const rows = run(db, 'select Id from Account order by Id', {
      deleted: true,
      includeDeleted: 'window',
      window: { afterSeq: 10 },
    });
    assert.deepEqual(rows, [
      [0, 'born-in'],
      [1, 'deleted-in'],
      [0, 'live-new'],
    ]);
  });

  it('applies the where clause to deleted rows too', () => {
    const db = seed();
    const rows = run(db, "select Id from Account where Name = 'y' order by Id", {
      deleted: true,
      includeDeleted: 'window',
      window: { afterSeq: 10 },
    });
    assert.deepEqual(rows, [[0, 'born-in']]);
  });

  it('bounds the window by change time on both ends', () => {
    const db = seed();
    assert.deepEqual(
      run(db, 'select Id from Account order by Id', { window: { fromTime: NOW - 1150, toTime: NOW - 1000 } }),
      [['born-in']],
    );
    assert.deepEqual(
      run(db, 'select Id from Account order by Id', {
        deleted: true,
        includeDeleted: 'window',
        window: { afterSeq: 10, toTime: NOW - 1000 },
      }),
      [
        [0, 'born-in'],
        [1, 'deleted-in'],
        [0, 'live-new'],
      ],
    );
  });

  it('reads every matching row, deleted or not, for a forced stateless export', () => {
    const db = seed();
    assert.deepEqual(
      run(db, "select Id from Account where Name = 'x' order by Id", {
        deleted: true,
        includeDeleted: 'all',
      }),
      [
        [1, 'born-and-died'],
        [1, 'deleted-in'],
        [1, 'deleted-old'],
        [0, 'live-new'],
        [0, 'live-old'],
      ],
    );
  });

  it('puts the deleted flag before every selected column', () => {
    const db = seed();
    assert.deepEqual(run(db, "select Name, Id from Account where Id = 'live-old'", { deleted: true }), [
      [0, 'x', 'live-old'],
    ]);
  });

  it('counts live rows only in grouped queries, with a 0 flag', () => {
    const db = seed();
    assert.deepEqual(run(db, 'select count(*) from Account', { deleted: true, includeDeleted: 'all' }), [
      [0, 3],
    ]);
  });
});
