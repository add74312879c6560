import type { SnapshotReader } from '../tenant/snapshot.ts';
import { type TenantBackend, TenantDataStore, type TenantStoreOptions } from '../tenant/store.ts';
import { copySink } from './copy.ts';
import { openPgDb, type PgDb } from './db.ts';
import { postgresDialect } from './dialect.ts';

/** Idle read connections a store keeps for its next snapshots. */
const IDLE_READERS = 2;

/** The first key of the advisory lock migrations take (the second is the schema's hash). */
const MIGRATION_LOCK = 0x6f61_7131;

function reader(url: string, schema: string): SnapshotReader {
  const db = openPgDb(url);
  try {
    db.exec(`SET search_path TO ${db.pq.escapeIdentifier(schema)}`);
  } catch (e) {
    db.close();
    throw e;
  }
  // Inside the snapshot's transaction each stream is its own server-side cursor.
  return {
    db,
    stream: (q) =>
      db
        .prepare(q.sql)
        .raw()
        .iterate(...q.params),
  };
}

/**
 * The PostgreSQL backend of one tenant: its schema (created on first open) as the search path of a
 * writer connection and of pooled REPEATABLE READ readers, bulk rows through COPY.
 */
export function postgresBackend(url: string, schema: string): TenantBackend {
  const db: PgDb = openPgDb(url, { schema });
  return {
    dialect: postgresDialect,
    db,
    snapshots: {
      open: () => reader(url, schema),
      begin: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      idle: IDLE_READERS,
    },
    rowSink: (_writer, object, columns) => copySink(db, object.name, columns),
    migrationLock: () =>
      db.exec(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK}, hashtext(current_schema()))`),
  };
}

/**
 * Opens (creating and migrating when needed) a tenant's data in `schema` of the database at `url`.
 * Two processes opening a new tenant at once are safe: migrations run under an advisory lock.
 * Connections are synchronous libpq ones, so this works on the main thread only.
 * @example const store = openPostgresTenantStore(url, 'tenant_abc123', { timeZone: 'Europe/Paris' });
 */
export function openPostgresTenantStore(
  url: string,
  schema: string,
  tenant: string,
  opts: TenantStoreOptions = {},
): TenantDataStore {
  return new TenantDataStore(() => postgresBackend(url, schema), tenant, opts);
}
