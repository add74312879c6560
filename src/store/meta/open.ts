import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Dialect } from '../db.ts';
import { META_SCHEMA, type StoreLocation } from '../location.ts';
import { openPgDb } from '../postgres/db.ts';
import { openSqliteDb } from '../sqlite/db.ts';
import type { MetaDb } from './jobs.ts';
import { metaJobsDdl } from './jobs-ddl.ts';
import { lockMigrations, TENANTS_CHANNEL } from './sql.ts';
import { MetaTenants, metaTenantsDdl } from './tenants.ts';
import { listenOn } from './wake.ts';

interface Migration {
  readonly version: number;
  readonly statements: (d: Dialect) => readonly string[];
}

/**
 * Every schema version of the meta tables, in order. Never edit a released one: add the next. Version 1
 * is all `IF NOT EXISTS`, so a meta.sqlite written before versions were recorded (tables made on open,
 * some perhaps missing) takes it as it stands.
 */
const MIGRATIONS: readonly Migration[] = [
  { version: 1, statements: (d) => [...metaTenantsDdl(d), ...metaJobsDdl(d)] },
];

/** The newest meta schema version this code knows. */
export const META_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the meta tables to the newest version in one transaction; returns how many steps ran. SQLite
 * takes the write lock first; PostgreSQL an advisory lock (DDL there is transactional), so processes
 * starting at once wait for each other and apply each step once.
 */
export function migrateMeta(db: MetaDb, now: number): number {
  return db.transaction(() => {
    lockMigrations(db);
    db.exec(
      `CREATE TABLE IF NOT EXISTS meta_migrations (version INTEGER PRIMARY KEY, applied_at ${
        db.dialect === 'postgres' ? 'BIGINT' : 'INTEGER'
      } NOT NULL)${db.dialect === 'postgres' ? '' : ' STRICT'}`,
    );
    const current = db
      .prepare('SELECT coalesce(max(version), 0) FROM meta_migrations')
      .pluck()
      .get() as number;
    let applied = 0;
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      for (const sql of m.statements(db.dialect)) db.exec(sql);
      db.prepare('INSERT INTO meta_migrations (version, applied_at) VALUES (?, ?)').run(m.version, now);
      applied++;
    }
    return applied;
  }, 'immediate');
}

/** The SQLite meta database of a data directory. */
export function metaSqlitePath(dataDir: string): string {
  return join(dataDir, 'meta.sqlite');
}

/**
 * One connection to the meta tables, migrated: `<dataDir>/meta.sqlite`, or the `openaqua` schema of
 * the PostgreSQL database. Open it on the main thread (PostgreSQL connections cannot be opened in
 * worker threads).
 * @example const db = openMetaDb({ kind: 'sqlite', dataDir: './openaqua-data' });
 */
export function openMetaDb(location: StoreLocation): MetaDb {
  let db: MetaDb;
  if (location.kind === 'sqlite') {
    mkdirSync(location.dataDir, { recursive: true });
    db = openSqliteDb(metaSqlitePath(location.dataDir));
  } else {
    db = openPgDb(location.url, { schema: META_SCHEMA });
  }
  try {
    migrateMeta(db, Date.now());
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * The job service's connection to the meta tables (jobs, batches, files, sessions, idempotency keys).
 * @example const db = openMetaJobs(storeLocation(dataDir, process.env.OPENAQUA_DATABASE_URL));
 */
export function openMetaJobs(location: StoreLocation): MetaDb {
  return openMetaDb(location);
}

/**
 * The tenant registry's tables (tenants, credentials, tokens, PGP keys) on a connection of their own.
 * @example const meta = openMetaTenants({ kind: 'sqlite', dataDir }); meta.listTenants();
 */
export function openMetaTenants(location: StoreLocation): MetaTenants {
  const db = openMetaDb(location);
  if (location.kind !== 'postgres') return new MetaTenants(db);
  const url = location.url;
  return new MetaTenants(db, {
    changes: (handlers) => listenOn(url, TENANTS_CHANNEL, handlers, { unref: true }),
  });
}

/** What the job service and the tenant registry work on: one connection each. */
export interface MetaStore {
  readonly jobs: MetaDb;
  readonly tenants: MetaTenants;
  close(): void;
}

/**
 * Opens the meta store of a location: the job tables' connection and the tenant tables.
 * @example
 * const meta = openMeta(storeLocation(dataDir, databaseUrl));
 * meta.tenants.listTenants(); jobById(meta.jobs, tenantId, jobId);
 */
export function openMeta(location: StoreLocation): MetaStore {
  const jobs = openMetaDb(location);
  let tenants: MetaTenants;
  try {
    tenants = openMetaTenants(location);
  } catch (e) {
    jobs.close();
    throw e;
  }
  return {
    jobs,
    tenants,
    close() {
      tenants.close();
      jobs.close();
    },
  };
}
