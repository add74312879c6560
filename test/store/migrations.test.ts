import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openTenantStore } from '../../src/store/index.ts';
import { sqliteTenantPath, tenantSchema } from '../../src/store/location.ts';
import { openPgDb } from '../../src/store/postgres/db.ts';
import { newTenantId, tempStore } from './temp-store.ts';

/** The applied versions, the journal mode (SQLite) and how many data tables a tenant has. */
function inspect(t: ReturnType<typeof tempStore>): { versions: unknown[]; tables: unknown; wal: boolean } {
  const loc = t.location;
  if (loc.kind === 'sqlite') {
    const db = new Database(sqliteTenantPath(loc.dataDir, t.tenantId), { readonly: true });
    try {
      return {
        versions: db.prepare('SELECT "version" FROM "_migrations"').pluck().all(),
        wal: db.pragma('journal_mode', { simple: true }) === 'wal',
        tables: db
          .prepare(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
          )
          .pluck()
          .get(),
      };
    } finally {
      db.close();
    }
  }
  const db = openPgDb(loc.url, { schema: tenantSchema(t.tenantId) });
  try {
    return {
      versions: db.prepare('SELECT "version" FROM "_migrations"').pluck().all(),
      wal: true,
      tables: db
        .prepare(
          "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_%'",
        )
        .pluck()
        .get(),
    };
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('create every table once and keep data on reopening', () => {
    const t = tempStore();
    try {
      const id = t.store.create('Account', { Name: 'kept' });
      t.store.close();
      const second = t.reopen();
      assert.equal(second.get('Account', id)?.Name, 'kept');
      second.close();
      assert.deepEqual(inspect(t), { versions: [1], wal: true, tables: 35 });
    } finally {
      t.done();
    }
  });

  it('apply each step once when several connections open a new tenant at the same moment', () => {
    const t = tempStore();
    try {
      // Another tenant opened by several stores in turn, each running the migration check.
      const id = newTenantId();
      const stores = Array.from({ length: 4 }, () => openTenantStore(t.location, id));
      try {
        stores[0]!.create('Account', { Name: 'one' });
        assert.equal(
          stores[3]!.snapshot((s) => s.seq),
          1,
        );
      } finally {
        for (const s of stores) s.close();
      }
    } finally {
      t.done();
    }
  });

  it('refuse an unknown time zone', () => {
    const t = tempStore();
    try {
      assert.throws(() => t.reopen({ timeZone: 'Mars/Olympus' }), /unknown time zone 'Mars\/Olympus'/);
    } finally {
      t.done();
    }
  });
});
