import { basename, extname } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { SQLITE_IDLE_READERS } from '../../limits.ts';
import { insertSink } from '../tenant/bulk.ts';
import type { SnapshotReader } from '../tenant/snapshot.ts';
import { type TenantBackend, TenantDataStore, type TenantStoreOptions } from '../tenant/store.ts';
import type { CompiledQuery } from '../types.ts';
import { openConnection } from './connection.ts';
import type { SqliteDb } from './db.ts';
import { sqliteDialect } from './dialect.ts';

const CACHED_QUERIES = 64;

/** A read-only connection keeping its prepared queries (native statements, so one can run twice at once). */
class SqliteReader implements SnapshotReader {
  private readonly queries = new Map<string, Statement>();

  constructor(readonly db: SqliteDb) {}

  stream(query: CompiledQuery): IterableIterator<unknown[]> {
    return this.query(query.sql)
      .raw(true)
      .iterate(...query.params) as IterableIterator<unknown[]>;
  }

  private query(sql: string): Statement {
    let s = this.queries.get(sql);
    // The same query streamed twice at once needs a second statement: one cannot iterate twice.
    if (s?.busy) return this.db.native.prepare(sql);
    if (s) {
      // Re-insert to keep the map in least-recently-used order.
      this.queries.delete(sql);
    } else {
      s = this.db.native.prepare(sql);
      if (this.queries.size >= CACHED_QUERIES) this.queries.delete(this.queries.keys().next().value!);
    }
    this.queries.set(sql, s);
    return s;
  }
}

/** The embedded store's backend for one tenant file: a writer connection, WAL readers, multi-row INSERTs. */
export function sqliteBackend(file: string): TenantBackend {
  return {
    dialect: sqliteDialect,
    db: openConnection(file),
    snapshots: {
      open: () => new SqliteReader(openConnection(file, { readOnly: true })),
      // In WAL mode the first read of a transaction fixes what it sees.
      begin: 'BEGIN',
      idle: SQLITE_IDLE_READERS,
      rowId: sqliteDialect.rowId,
    },
    rowSink: insertSink,
  };
}

/**
 * Opens (creating and migrating when needed) the tenant database in `file`. One file per tenant keeps
 * tenants apart by construction.
 * @example
 * const store = openSqliteTenantStore('/var/lib/openaqua/acme.db', { timeZone: 'Europe/Paris' });
 * const id = store.create('Account', { Name: 'Acme', Status: 'Active', Currency: 'EUR' });
 * store.close();
 */
export function openSqliteTenantStore(file: string, opts: TenantStoreOptions = {}): TenantDataStore {
  return new TenantDataStore(() => sqliteBackend(file), basename(file, extname(file)), opts);
}
