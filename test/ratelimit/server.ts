/** A real server on 127.0.0.1 with rate limits on, and requests sent from a chosen loopback address. */

import { request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { RateLimitOptions } from '../../src/api/rate-limit.ts';
import type { JobService } from '../../src/jobs/index.ts';
import type { TenantCredentials, TenantRegistry } from '../../src/tenants/index.ts';
import { basicHeader, startTestServer } from '../api/server.ts';

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
  return basicHeader(c.username, c.password);
}

/** The API test server (tenants alpha and beta) with rate limits on. */
export async function startLimitedServer(rateLimit: RateLimitOptions): Promise<LimitedServer> {
  const s = await startTestServer({ rateLimit });
  return {
    ...s,
    port: Number(new URL(s.url).port),
    alpha: s.a.credentials,
    beta: s.b.credentials,
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
