/**
 * The store the suite runs against: `OPENAQUA_TEST_STORE=postgres` runs every store-backed test on
 * PostgreSQL (a fresh database per fixture, on the server test/support/postgres.ts provides); anything
 * else runs on the embedded SQLite store. `npm test` runs the suite once per store.
 */
import { type StoreLocation, storeLocation } from '../../src/store/location.ts';
import { createTestDatabase, testServerUrl } from './postgres.ts';

export const TEST_STORE: 'sqlite' | 'postgres' =
  process.env.OPENAQUA_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

async function pgServer(): Promise<string | undefined> {
  if (TEST_STORE !== 'postgres') return undefined;
  const s = await testServerUrl();
  if ('skip' in s) throw new Error(`OPENAQUA_TEST_STORE=postgres, but ${s.skip}`);
  return s.url;
}

const serverUrl = await pgServer();

/** A store location for one fixture: on SQLite its files go under `dataDir`; on PostgreSQL a new database. */
export interface TestLocation {
  readonly location: StoreLocation;
  /** Removes the PostgreSQL database (the caller removes `dataDir`). */
  drop(): void;
}

/**
 * A fresh location whose local files live in `dataDir`.
 * @example const { location, drop } = testLocation(dir);
 */
export function testLocation(dataDir: string): TestLocation {
  if (serverUrl === undefined) return { location: storeLocation(dataDir), drop() {} };
  const db = createTestDatabase(serverUrl);
  let dropped = false;
  return {
    location: storeLocation(dataDir, db.url),
    drop() {
      if (dropped) return;
      dropped = true;
      db.drop();
    },
  };
}

/** The PostgreSQL server's URL when the suite runs on PostgreSQL (for tests that start server processes). */
export function testServer(): string | undefined {
  return serverUrl;
}
