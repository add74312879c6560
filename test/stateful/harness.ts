/**
 * A real openaqua server on 127.0.0.1 for the stateful-mode tests, with the job service options these
 * tests turn (clock, workers, segment size), and the client side of a stateful sync: submit, poll,
 * download, and a replica that applies a full load and then each increment.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/index.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import { createJobService, type JobService } from '../../src/jobs/index.ts';
import type { SyncDb } from '../../src/store/db.ts';
import { type StoreLocation, sqliteTenantPath, tenantSchema } from '../../src/store/location.ts';
import { openMetaDb } from '../../src/store/meta/open.ts';
import { openPgDb } from '../../src/store/postgres/db.ts';
import { openSqliteDb } from '../../src/store/sqlite/db.ts';
import { openTenantRegistry, type Tenant, type TenantRegistry } from '../../src/tenants/index.ts';
import { call, type Json } from '../api/server.ts';
import { testLocation } from '../support/location.ts';

export type { Json };

export interface StatefulServer {
  url: string;
  dir: string;
  location: StoreLocation;
  app: FastifyInstance;
  tenants: TenantRegistry;
  jobs: JobService;
  tenant: Tenant;
  /** Credentials of the tenant (a fresh bearer token whenever the registry's clock needs one). */
  readonly headers: Record<string, string>;
  /** True when jobs run on worker threads; otherwise polling runs them with `jobs.runOnce()`. */
  background: boolean;
  /** Errors the job service had no caller to give to (a crashed worker): checked empty on close. */
  errors: unknown[];
  close(): Promise<void>;
}

export interface ServerOptions {
  /** The job service's clock (submit, claim, finish times; session idleness; retention). */
  jobClock?: Clock;
  /** The tenant registry's clock, which also stamps record changes. */
  dataClock?: Clock;
  workers?: number;
  /** The deleted-record retention the service is configured with (days). */
  deletedRetentionDays?: number;
  segmentRows?: number;
  timeZone?: string;
}

/** Starts a server with one tenant on a free port of 127.0.0.1, in a temporary directory. */
export async function startServer(opts: ServerOptions = {}): Promise<StatefulServer> {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-stateful-'));
  const { location, drop } = testLocation(dir);
  const tenants = openTenantRegistry({ location, ...(opts.dataClock ? { clock: opts.dataClock } : {}) });
  const { tenant } = await tenants.createTenant({
    name: 'acme',
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  });
  const workers = opts.workers ?? 0;
  const clock = opts.dataClock ?? systemClock;
  let token: { value: string; issued: number; until: number } | undefined;
  const errors: unknown[] = [];
  const jobs = createJobService({
    location,
    workers,
    ...(opts.jobClock ? { clock: opts.jobClock } : {}),
    ...(opts.segmentRows ? { segmentRows: opts.segmentRows } : {}),
    ...(opts.deletedRetentionDays ? { deletedRetentionDays: opts.deletedRetentionDays } : {}),
    onError: (e) => errors.push(e),
  });
  const app = await buildApp({ tenants, jobs });
  if (workers > 0) jobs.start();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    location,
    app,
    tenants,
    jobs,
    tenant,
    // A bearer token: Basic auth verifies a password hash on every request, too slow for a busy writer.
    get headers() {
      const now = clock.now();
      if (!token || now < token.issued || now >= token.until) {
        const t = tenants.issueToken(tenant);
        token = { value: t.accessToken, issued: now, until: now + (t.expiresIn - 60) * 1000 };
      }
      return { authorization: `Bearer ${token.value}` };
    },
    background: workers > 0,
    errors,
    async close() {
      try {
        await app.close();
        await jobs.stop();
        tenants.close();
      } finally {
        drop();
        rmSync(dir, { recursive: true, force: true });
      }
      assert.deepEqual(errors, []);
    },
  };
}

/** A clock that never answers the same instant twice: event order is exactly readable from its times. */
export class StrictClock implements Clock {
  private last = 0;
  now(): number {
    const t = Date.now();
    this.last = t > this.last ? t : this.last + 1;
    return this.last;
  }
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 2));

/** POSTs a submit body; answers the parsed body (HTTP 200 expected, AQuA errors included). */
export async function submit(s: StatefulServer, body: unknown): Promise<Json> {
  const res = await call(`${s.url}/v1/batch-query/`, { method: 'POST', headers: s.headers, body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** GETs a job. */
export async function getJob(s: StatefulServer, id: string): Promise<Json> {
  const res = await call(`${s.url}/v1/batch-query/jobs/${id}`, { headers: s.headers });
  assert.equal(res.status, 200);
  return res.body;
}

/** Polls a job until it has ended; without background workers each poll runs the next queued job. */
export async function waitJob(s: StatefulServer, id: string): Promise<Json> {
  for (let i = 0; i < 5000; i++) {
    const job = await getJob(s, id);
    if (job.status !== 'submitted' && job.status !== 'executing') return job;
    if (s.background || !(await s.jobs.runOnce())) await tick();
  }
  throw new Error(`job ${id} did not end`);
}

/** Submits and waits for the job to end; checks it completed. */
export async function runJob(s: StatefulServer, body: unknown): Promise<Json> {
  const submitted = await submit(s, body);
  assert.equal(submitted.status, 'submitted', JSON.stringify(submitted));
  const job = await waitJob(s, submitted.id);
  assert.equal(job.status, 'completed', JSON.stringify(job));
  return job;
}

/** The text of a result file. */
export async function download(s: StatefulServer, fileId: string): Promise<string> {
  const res = await fetch(`${s.url}/v1/file/${fileId}`, { headers: s.headers });
  assert.equal(res.status, 200);
  return res.text();
}

/** A CSV result: header and rows. */
export interface Csv {
  header: string[];
  rows: string[][];
}

export function parseCsv(text: string): Csv {
  const [header = [], ...rows] = parse(text, { relaxColumnCount: false }) as string[][];
  return { header, rows };
}

/** The rows of a completed batch, from its `segments` or its `fileId`; every file must carry `header`. */
export async function batchCsv(s: StatefulServer, batch: Json): Promise<Csv> {
  const ids: string[] = batch.segments ?? [batch.fileId];
  let header: string[] | undefined;
  const rows: string[][] = [];
  for (const id of ids) {
    const csv = parseCsv(await download(s, id));
    if (header) assert.deepEqual(csv.header, header);
    header = csv.header;
    rows.push(...csv.rows);
  }
  return { header: header ?? [], rows };
}

export const ACCOUNT = { Status: 'Active', Currency: 'USD', BillCycleDay: 1, PaymentTerm: 'Net 30' };

/** CRUD over HTTP on Account. */
export const crud = {
  async create(s: StatefulServer, name: string): Promise<string> {
    const res = await call(`${s.url}/v1/object/account`, {
      method: 'POST',
      headers: s.headers,
      body: { ...ACCOUNT, Name: name },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.Id;
  },
  async update(s: StatefulServer, id: string, name: string): Promise<void> {
    const res = await call(`${s.url}/v1/object/account/${id}`, {
      method: 'PUT',
      headers: s.headers,
      body: { Name: name },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  },
  async remove(s: StatefulServer, id: string): Promise<void> {
    const res = await call(`${s.url}/v1/object/account/${id}`, { method: 'DELETE', headers: s.headers });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  },
};

/**
 * What a sync client keeps: the rows of one query by Id. A full load replaces everything; an increment
 * upserts by Id, and removes the rows its deleted column (the first) flags.
 */
export class Replica {
  readonly rows = new Map<string, string[]>();

  constructor(
    /** Position of the Id column in a row, deleted column included. */
    private readonly idAt: number,
  ) {}

  apply(batch: Json, csv: Csv): void {
    if (batch.full) this.rows.clear();
    const deletedAt = batch.deleted ? 0 : -1;
    for (const row of csv.rows) {
      const id = row[this.idAt]!;
      const flag = deletedAt < 0 ? undefined : row[deletedAt];
      const data = deletedAt < 0 ? row : row.slice(1);
      if (flag === 'true' || flag === '1') this.rows.delete(id);
      else this.rows.set(id, data);
    }
  }

  /** The rows as sorted CSV lines. */
  lines(): string[] {
    return [...this.rows.values()].map((r) => r.join(',')).sort();
  }
}

/** A connection to the service's job tables (start and finish times, snapshot sequences). */
export function metaReader(s: StatefulServer): SyncDb {
  return openMetaDb(s.location);
}

/** A connection to the tenant's data (change sequence of records), on whichever store holds it. */
export function dataReader(s: StatefulServer): SyncDb {
  s.tenants.store(s.tenant.id);
  return s.location.kind === 'postgres'
    ? openPgDb(s.location.url, { schema: tenantSchema(s.tenant.id) })
    : openSqliteDb(sqliteTenantPath(s.location.dataDir, s.tenant.id));
}

/** The rows of a stateless full export of a query, as sorted CSV lines. */
export async function statelessLines(s: StatefulServer, query: string): Promise<string[]> {
  const job = await runJob(s, { format: 'csv', useQueryLabels: true, queries: [{ name: 'all', query }] });
  const csv = await batchCsv(s, job.batches[0]);
  return csv.rows.map((r) => r.join(',')).sort();
}
