import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import type { Clock } from '../../src/clock.ts';
import {
  createJobService,
  type JobService,
  type JobServiceOptions,
  type Tenant,
} from '../../src/jobs/index.ts';
import type { SyncDb } from '../../src/store/db.ts';
import { type StoreLocation, sqliteTenantPath, tenantSchema } from '../../src/store/location.ts';
import { openPgDb } from '../../src/store/postgres/db.ts';
import { openSqliteDb } from '../../src/store/sqlite/db.ts';
import { openTenantStoreAt } from '../../src/store/tenant/open.ts';
import type { TenantDataStore } from '../../src/store/tenant/store.ts';
import { testLocation } from '../support/location.ts';
import { makeTenant, tempDir } from './helpers.ts';

export interface ServiceFixture {
  dir: string;
  jobs: JobService;
  tenant: Tenant;
  /** Where the service keeps its data (SQLite under `dir`, or a PostgreSQL database). */
  location: StoreLocation;
  /** The tenant's data, to write records the jobs then read. */
  store: TenantDataStore;
  /** A raw connection to the tenant's data, for tests that damage it. */
  rawData(): SyncDb;
  /** The text of a result file (undefined when it is gone). */
  download(fileId: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** A job service on a temporary data directory with one tenant; `workers: 0` unless told. */
export function serviceFixture(
  opts: Partial<Omit<JobServiceOptions, 'location'>> & { clock?: Clock } = {},
): ServiceFixture {
  const { dir, cleanup } = tempDir();
  mkdirSync(join(dir, 'tenants'));
  const { location, drop } = testLocation(dir);
  const tenant = makeTenant();
  const store = openTenantStoreAt(location, tenant.id, {
    timeZone: tenant.timeZone,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const jobs = createJobService({ workers: 0, ...opts, location });
  return {
    dir,
    location,
    jobs,
    tenant,
    store,
    rawData: () =>
      location.kind === 'postgres'
        ? openPgDb(location.url, { schema: tenantSchema(tenant.id) })
        : openSqliteDb(sqliteTenantPath(location.dataDir, tenant.id)),
    async download(fileId) {
      const file = await jobs.openFile(tenant, fileId);
      return file && text(file.stream);
    },
    async close() {
      await jobs.stop();
      store.close();
      drop();
      cleanup();
    },
  };
}

export type Json = Record<string, unknown>;

/** The names in a tenant's file directory (none when it was never made). */
export function filesOnDisk(fx: ServiceFixture): string[] {
  const dir = join(fx.dir, 'files', fx.tenant.id);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** The batches of a job JSON. */
export function batchesOf(job: Json | undefined): Json[] {
  return (job?.batches ?? []) as Json[];
}
