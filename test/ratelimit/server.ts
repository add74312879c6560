/** A real server on 127.0.0.1 with rate limits on, and requests sent from a chosen loopback address. */

import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/index.ts';
import type { RateLimitOptions } from '../../src/api/rate-limit.ts';
import { createJobService, type JobService } from '../../src/jobs/index.ts';
import { openTenantRegistry, type TenantCredentials, type TenantRegistry } from '../../src/tenants/index.ts';
import { testLocation } from '../support/location.ts';

export interface LimitedServer {
  url: string;
  port: number;
  app: FastifyInstance;
  tenants: TenantRegistry;
  jobs: JobService;
  alpha: TenantCredentials;
  beta: TenantCredentials;
  close(): Promise<void>;
}

export function basic(c: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

export async function startLimitedServer(rateLimit: RateLimitOptions): Promise<LimitedServer> {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-ratelimit-'));
  const { location, drop } = testLocation(dir);
  const tenants = openTenantRegistry({ location });
  const alpha = (await tenants.createTenant({ name: 'alpha' })).credentials;
  const beta = (await tenants.createTenant({ name: 'beta' })).credentials;
  const jobs = createJobService({ location, workers: 0 });
  const app = await buildApp({ tenants, jobs, rateLimit });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    tenants,
    jobs,
    alpha,
    beta,
    async close() {
      await app.close();
      await jobs.stop();
      tenants.close();
      drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request to the server from `from` (any 127.x.y.z address reaches 127.0.0.1 on Linux), so that
 * tests can play several clients.
 */
export function send(
  s: { port: number },
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string; from?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: s.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: opts.headers ?? {},
        localAddress: opts.from ?? '127.0.0.1',
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The three RateLimit headers of an answer (undefined when absent). */
export function limitHeaders(a: Answer): [unknown, unknown, unknown] {
  return [a.headers['ratelimit-limit'], a.headers['ratelimit-remaining'], a.headers['ratelimit-reset']];
}
