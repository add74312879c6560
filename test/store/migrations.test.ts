import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openTenantStore } from '../../src/store/index.ts';
import { tempDir } from './temp-store.ts';

describe('migrations', () => {
  it('create every table once, in WAL mode, and keep data on reopening', () => {
    const { dir, cleanup } = tempDir();
    const file = path.join(dir, 't.db');
    try {
      const first = openTenantStore(file);
      const id = first.create('Account', { Name: 'kept' });
      first.close();
      const second = openTenantStore(file);
      assert.equal(second.get('Account', id)?.Name, 'kept');
      second.close();
      const db = new Database(file, { readonly: true });
      try {
        assert.deepEqual(db.prepare('SELECT "version" FROM "_migrations"').raw().all(), [[1]]);
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
        const tables = db
          .prepare(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
          )
          .pluck()
          .get();
        assert.equal(tables, 35);
      } finally {
        db.close();
      }
    } finally {
      cleanup();
    }
  });

  it('refuse an unknown time zone', () => {
    const { dir, cleanup } = tempDir();
    try {
      assert.throws(
        () => openTenantStore(path.join(dir, 'x.db'), { timeZone: 'Mars/Olympus' }),
        /unknown time zone 'Mars\/Olympus'/,
      );
    } finally {
      cleanup();
    }
  });
});
