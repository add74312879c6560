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
import { openTenantStore, type SqliteTenantStore } from '../../src/store/index.ts';
import { makeTenant, tempDir } from './helpers.ts';

export interface ServiceFixture {
  dir: string;
  jobs: JobService;
  tenant: Tenant;
  /** The tenant's data, to write records the jobs then read. */
  store: SqliteTenantStore;
  dataPath(tenantId: string): string;
  /** The text of a result file (undefined when it is gone). */
  download(fileId: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** A job service on a temporary data directory with one tenant; `workers: 0` unless told. */
export function serviceFixture(
  opts: Partial<Omit<JobServiceOptions, 'dataDir' | 'tenantDataPath'>> & { clock?: Clock } = {},
): ServiceFixture {
  const { dir, cleanup } = tempDir();
  mkdirSync(join(dir, 'tenants'));
  const dataPath = (id: string) => join(dir, 'tenants', `${id}.sqlite`);
  const tenant = makeTenant();
  const store = openTenantStore(dataPath(tenant.id), {
    timeZone: tenant.timeZone,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const jobs = createJobService({ workers: 0, ...opts, dataDir: dir, tenantDataPath: dataPath });
  return {
    dir,
    jobs,
    tenant,
    store,
    dataPath,
    async download(fileId) {
      const file = await jobs.openFile(tenant, fileId);
      return file && text(file.stream);
    },
    async close() {
      await jobs.stop();
      store.close();
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
