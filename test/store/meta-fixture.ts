import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../../src/clock.ts';
import { newId } from '../../src/ids.ts';
import { type ClaimOptions, claimNext } from '../../src/jobs/claim.ts';
import type { Tenant } from '../../src/jobs/index.ts';
import { submitJob } from '../../src/jobs/submit.ts';
import type { StoreLocation } from '../../src/store/location.ts';
import type { MetaDb } from '../../src/store/meta/jobs.ts';
import { openMetaDb } from '../../src/store/meta/open.ts';
import { testLocation } from '../support/location.ts';

/** 2024-03-01T12:00:00Z. */
export const T0 = Date.UTC(2024, 2, 1, 12, 0, 0);
export const ACCOUNT_QUERY = 'select Id, Name from Account';

export function makeTenant(over: Partial<Tenant> = {}): Tenant {
  return { id: newId(), name: 'acme', timeZone: 'UTC', segments: false, ...over };
}

/**
 * A meta store at a fresh test location (SQLite, or a new PostgreSQL database when
 * OPENAQUA_TEST_STORE=postgres) with a fixed clock. `connect()` opens further connections, as other
 * processes would; `close()` closes them all and removes the location.
 */
export interface MetaFixture {
  readonly location: StoreLocation;
  readonly db: MetaDb;
  readonly clock: FixedClock;
  connect(): MetaDb;
  /** Submits a job as the API does (on `on`, default `db`): stateless, or in session `p`/`project`. */
  submit(tenant: Tenant, project?: string, on?: MetaDb): string;
  /** Claims on `db` as `owner` at the clock's time. */
  claim(db: MetaDb, owner: string, leaseMillis?: number): ReturnType<typeof claimNext>;
  close(): void;
}

export function metaFixture(): MetaFixture {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-meta-'));
  const { location, drop } = testLocation(dir);
  const clock = new FixedClock(T0);
  const open: MetaDb[] = [];
  const connect = (): MetaDb => {
    const db = openMetaDb(location);
    open.push(db);
    // A test that interleaves two transactions on one thread fails instead of hanging when one waits.
    if (db.dialect === 'postgres') db.exec("SET lock_timeout = '10s'");
    return db;
  };
  const db = connect();
  const claimOptions = (owner: string, leaseMillis: number): ClaimOptions => ({
    owner,
    now: clock.now(),
    leaseMillis,
    queryMillis: 1000,
    segmentRows: 500_000,
    tenantDataPath: (id) => `/data/${id}.sqlite`,
  });
  return {
    location,
    db,
    clock,
    connect,
    submit(tenant, project, on = db) {
      const body = project
        ? { version: '1.1', partner: 'p', project, queries: [{ query: ACCOUNT_QUERY }] }
        : { queries: [{ query: ACCOUNT_QUERY }] };
      return submitJob({ db: on, clock, newId }, tenant, body).id as string;
    },
    claim(on, owner, leaseMillis = 60_000) {
      return claimNext(on, claimOptions(owner, leaseMillis));
    },
    close() {
      for (const c of open.splice(0)) c.close();
      drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
