import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FixedClock } from '../../src/clock.ts';
import { openTenantStore, type TenantDataStore, type TenantStoreOptions } from '../../src/store/index.ts';
import { type StoreLocation, tenantSchema } from '../../src/store/location.ts';
import { openPgDb } from '../../src/store/postgres/db.ts';
import { TEST_STORE, testLocation } from '../support/location.ts';

/** 2024-01-15T12:00:00Z: the time tests start at. */
export const T0 = Date.UTC(2024, 0, 15, 12);

/** A temporary directory removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openaqua-store-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

let shared: StoreLocation | undefined;

/**
 * The PostgreSQL database tenant stores of this test process share (tenants are schemas with random
 * ids), created on first use and dropped at exit.
 */
export function sharedPostgres(): Extract<StoreLocation, { kind: 'postgres' }> {
  if (!shared) {
    const { dir, cleanup } = tempDir();
    const t = testLocation(dir);
    shared = t.location;
    process.once('exit', () => {
      cleanup();
      try {
        t.drop();
      } catch {
        // The throwaway server may already be gone.
      }
    });
  }
  if (shared.kind !== 'postgres') throw new Error('the tests run on SQLite');
  return shared;
}

/** Where a new tenant store goes: a temporary directory per call on SQLite, the shared database on PostgreSQL. */
function location(): { location: StoreLocation; cleanup: () => void } {
  if (TEST_STORE === 'sqlite') {
    const { dir, cleanup } = tempDir();
    return { location: { kind: 'sqlite', dataDir: dir }, cleanup };
  }
  return { location: sharedPostgres(), cleanup: () => {} };
}

/** Removes a tenant's PostgreSQL schema. */
function dropSchema(url: string, tenantId: string): void {
  const db = openPgDb(url);
  try {
    db.exec(`DROP SCHEMA IF EXISTS ${db.pq.escapeIdentifier(tenantSchema(tenantId))} CASCADE`);
  } finally {
    db.close();
  }
}

/** A new tenant id: letters and digits. */
export function newTenantId(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

/**
 * A store for a new tenant on the test store (SQLite file or PostgreSQL schema) with a fixed clock;
 * `reopen` opens the same tenant's data again (another connection, as another process would);
 * `done` closes both and removes the data.
 */
export function tempStore(opts: TenantStoreOptions = {}): {
  store: TenantDataStore;
  clock: FixedClock;
  location: StoreLocation;
  tenantId: string;
  reopen: (more?: TenantStoreOptions) => TenantDataStore;
  done: () => void;
} {
  const { location: loc, cleanup } = location();
  const clock = new FixedClock(T0);
  const tenantId = newTenantId();
  const base = { clock, timeZone: 'America/Los_Angeles', ...opts };
  const opened: TenantDataStore[] = [];
  const reopen = (more: TenantStoreOptions = {}) => {
    const s = openTenantStore(loc, tenantId, { ...base, ...more });
    opened.push(s);
    return s;
  };
  const store = reopen();
  return {
    store,
    clock,
    location: loc,
    tenantId,
    reopen,
    done: () => {
      for (const s of opened) s.close();
      if (loc.kind === 'postgres') dropSchema(loc.url, tenantId);
      cleanup();
    },
  };
}

/** Runs a query in a snapshot and returns every row. */
export function query(store: TenantDataStore, sql: string, params: unknown[] = []): unknown[][] {
  return store.snapshot((snap) => [...snap.rows({ sql, params: params as never })]);
}
