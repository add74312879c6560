import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/index.ts';
import type { Config } from '../config.ts';
import { createJobService, type JobService } from '../jobs/index.ts';
import { seedTenant } from '../seed/index.ts';
import { storeLocation } from '../store/location.ts';
import { openTenantRegistry, type TenantCredentials, type TenantRegistry } from '../tenants/index.ts';

/** Seed of the demo tenant's generated world, so every first start shows the same data. */
const DEMO_SEED = 1;

/** A server that is listening. */
export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly tenants: TenantRegistry;
  readonly jobs: JobService;
  /** Set when this start created the demo tenant. */
  readonly demo?: TenantCredentials;
  close(): Promise<void>;
}

async function createDemoTenant(tenants: TenantRegistry, accounts: number): Promise<TenantCredentials> {
  const { tenant, credentials } = await tenants.createTenant({ name: 'demo' });
  seedTenant(tenants.store(tenant.id), { accounts, seed: DEMO_SEED });
  return credentials;
}

function baseUrl(app: FastifyInstance): string {
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Opens the data directory, creates and seeds the demo tenant when there is no tenant yet,
 * starts the job service and listens.
 * @example const server = await startServer(resolveConfig({ port: '0' })); await server.close();
 */
export async function startServer(config: Config): Promise<RunningServer> {
  const location = storeLocation(config.dataDir, config.databaseUrl);
  const tenants = openTenantRegistry({ location });
  const demo = tenants.isEmpty() ? await createDemoTenant(tenants, config.demoAccounts) : undefined;
  // Errors with no request to answer (a failed notification, a crashed worker) go to the server log.
  let report = (err: unknown) => console.error(err);
  const jobs = createJobService({
    location,
    ...(config.files ? { files: config.files } : {}),
    // An API process records jobs and answers for them; worker processes run them.
    workers: config.role === 'api' ? 0 : config.workers,
    exportThreads: config.exportThreads,
    leaseMillis: config.leaseSeconds * 1000,
    allowPrivateNotify: config.allowPrivateNotify,
    fileRetentionDays: config.fileRetentionDays,
    jobRetentionDays: config.jobRetentionDays,
    deletedRetentionDays: config.deletedRetentionDays,
    tenantIds: () => tenants.listTenants().map((t) => t.id),
    onError: (err) => report(err),
  });
  const app = await buildApp({
    tenants,
    jobs,
    logLevel: config.logLevel,
    rateLimit: { requests: config.rateLimit, authFailures: config.authFailureLimit },
    opsOnly: config.role === 'worker',
  });
  report = (err) => app.log.error({ err }, 'job service error');
  jobs.start();
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await jobs.stop();
    tenants.close();
    throw e;
  }
  return {
    url: baseUrl(app),
    app,
    tenants,
    jobs,
    ...(demo ? { demo } : {}),
    async close() {
      await app.close();
      await jobs.stop();
      tenants.close();
    },
  };
}
