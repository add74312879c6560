/** A real server on 127.0.0.1 for API tests: a real registry, job service and store in a temp dir. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/index.ts';
import type { RateLimitOptions } from '../../src/api/rate-limit.ts';
import type { Clock } from '../../src/clock.ts';
import { createJobService, type JobService } from '../../src/jobs/index.ts';
import {
  openTenantRegistry,
  type Tenant,
  type TenantCredentials,
  type TenantRegistry,
} from '../../src/tenants/index.ts';
import { testLocation } from '../support/location.ts';

export interface TestTenant {
  tenant: Tenant;
  credentials: TenantCredentials;
  /** `Authorization: Basic ...` of the tenant's user. */
  basic: string;
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  tenants: TenantRegistry;
  jobs: JobService;
  /** Two tenants, to check that neither sees the other's ids. */
  a: TestTenant;
  b: TestTenant;
  close(): Promise<void>;
}

export function basicHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function addTenant(tenants: TenantRegistry, name: string): Promise<TestTenant> {
  const { tenant, credentials } = await tenants.createTenant({ name });
  return { tenant, credentials, basic: basicHeader(credentials.username, credentials.password) };
}

/**
 * Starts a server on a free port. `workers: 0` (the default here) runs no job in the background:
 * a test moves jobs along with `jobs.runOnce()`.
 */
export async function startTestServer(
  opts: { clock?: Clock; workers?: number; rateLimit?: RateLimitOptions } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-api-'));
  const { location, drop } = testLocation(dir);
  const tenants = openTenantRegistry({ location, ...(opts.clock ? { clock: opts.clock } : {}) });
  const a = await addTenant(tenants, 'alpha');
  const b = await addTenant(tenants, 'beta');
  const jobs = createJobService({
    location,
    workers: opts.workers ?? 0,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const app = await buildApp({ tenants, jobs, ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}) });
  if ((opts.workers ?? 0) > 0) jobs.start();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    tenants,
    jobs,
    a,
    b,
    async close() {
      await app.close();
      await jobs.stop();
      tenants.close();
      drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A response body as parsed JSON: its shape is what the assertions check. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
export type Json = any;

/** A JSON request; returns status, headers and the parsed body. */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json'))
    parsed = text === '' ? undefined : JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed };
}
