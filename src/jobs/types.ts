import type { Readable } from 'node:stream';
import type { Clock } from '../clock.ts';
import type { StoreLocation } from '../store/location.ts';
import type { Tenant } from '../tenants/types.ts';

/** A tenant as the job service sees it: the same record the tenant registry keeps. */
export type { Tenant } from '../tenants/types.ts';

export interface JobServiceOptions {
  /** Where the job tables and tenant data live; result files go under its data directory unless `files` says. */
  location: StoreLocation;
  /** Where result files are kept: a directory or `s3://bucket/prefix` (default: `files/` in the data directory). */
  files?: string;
  /** Worker threads running jobs; 0 runs nothing in the background (tests drive `runOnce`). */
  workers: number;
  /** Threads one large export is split across, its job's worker included (1: never split; default: cores). */
  exportThreads?: number;
  clock?: Clock;
  /** Lets notifyUrl reach loopback, private and link-local addresses. */
  allowPrivateNotify?: boolean;
  /** Per-query run time before 90027, in ms (default MAX_QUERY_MILLIS). */
  queryMillis?: number;
  /** Records per segment file of a stateful full load (default SEGMENT_ROWS). */
  segmentRows?: number;
  /** How long a claimed job stays leased without a heartbeat, in ms. */
  leaseMillis?: number;
  /** Result files are kept this many days. */
  fileRetentionDays?: number;
  /** Job records are kept this many days. */
  jobRetentionDays?: number;
  /** Soft-deleted records are kept this many days for incremental exports, then purged by the sweep. */
  deletedRetentionDays?: number;
  /**
   * The tenants whose deleted records the sweep purges (e.g. every tenant of the registry). Default: the
   * tenants with a job record or a stateful session.
   */
  tenantIds?(): Iterable<string>;
  /** Delays between notifyUrl tries, in ms (default 1 s then 4 s). */
  notifyBackoffMillis?: readonly number[];
  /** Called with errors that have no caller to go to (a failed notification, a crashed worker). */
  onError?(err: unknown): void;
}

/** What the HTTP layer calls. Every lookup is scoped to the tenant. */
export interface JobService {
  /**
   * Validates and records a job; returns the job JSON to answer with (HTTP 200). Throws AquaError (with
   * `.job` echo) or RequestError (HTTP 400, naming the field).
   */
  submit(tenant: Tenant, body: unknown, opts?: { idempotencyKey?: string }): Record<string, unknown>;
  /** The job JSON, or undefined for an unknown id (or another tenant's). */
  get(tenant: Tenant, jobId: string): Record<string, unknown> | undefined;
  /** Cancels a job that has not finished. Unknown: AquaError 90002; finished: 90003 with the job echo. */
  cancel(tenant: Tenant, jobId: string): Record<string, unknown>;
  /** The last completed job of a stateful session. */
  lastCompleted(tenant: Tenant, partner: string, project: string): Record<string, unknown> | undefined;
  /** A result file to stream, or undefined when unknown or expired. */
  openFile(tenant: Tenant, fileId: string): Promise<{ stream: Readable; contentType: string } | undefined>;
  /** Starts the worker threads, the claim loop, the heartbeat and the retention sweeper. */
  start(): void;
  /**
   * Stops claiming, stops running jobs without finishing them (their leases are released so the next
   * start runs them again), ends the worker threads and closes connections.
   */
  stop(): Promise<void>;
  /** Claims one runnable job and runs it on this thread; false when none was runnable. */
  runOnce(): Promise<boolean>;
  /** A tenant's recent jobs, newest first (an openaqua extension behind the Job Finder and `openaqua jobs`). */
  list(tenant: Tenant, filter: JobListFilter): JobListing[];
  /** Jobs of every tenant by status; throws when the job tables cannot be read. */
  stats(): JobStats;
  /** Tells `observer` when jobs start and end and when batches finish; returns a function that stops it. */
  observe(observer: JobObserver): () => void;
  /**
   * Deletes expired files and job records and leftover temporary files, and purges records deleted more
   * than the deleted-record retention ago from each tenant's data.
   */
  sweep(): Promise<SweepResult>;
}

/** What one retention sweep removed. */
export interface SweepResult {
  files: number;
  jobs: number;
  tempFiles: number;
}

/** Which of a tenant's jobs `list` returns. */
export interface JobListFilter {
  /** Jobs submitted in the last this many hours. */
  hours: number;
  status?: 'submitted' | 'executing' | 'completed' | 'aborted' | 'cancelled' | 'error';
  partner?: string;
  project?: string;
  /** Part of the job name, any case. */
  name?: string;
  /** At most this many jobs (newest first). */
  limit: number;
}

/** One job of a list: its job JSON and the times the JSON does not carry (epoch ms). */
export interface JobListing {
  json: Record<string, unknown>;
  stateful: boolean;
  submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** Counts over the job tables of every tenant. */
export interface JobStats {
  byStatus: Record<'submitted' | 'executing' | 'completed' | 'aborted' | 'cancelled' | 'error', number>;
}

/** What a job observer hears; every event names its job. */
export interface JobObserver {
  jobStarted?(e: { jobId: string; tenantId: string; attempt: number }): void;
  batchFinished?(e: {
    jobId: string;
    tenantId: string;
    batchId: string;
    name: string;
    seconds: number;
    rows: number;
    bytes: number;
  }): void;
  jobEnded?(e: { jobId: string; tenantId: string; status: string }): void;
}
