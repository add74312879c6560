import type { Readable } from 'node:stream';
import type { Clock } from '../clock.ts';

/** A tenant as the job service sees it (taken from the credential of each request). */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  /** IANA zone of the tenant's datetimes, `startTime` and `incrementalTime`. */
  readonly timeZone: string;
  /** Whether stateful full loads are split into segment files. */
  readonly segments: boolean;
}

export interface JobServiceOptions {
  /** `meta.sqlite` and `files/` live under it. */
  dataDir: string;
  /** Worker threads running jobs; 0 runs nothing in the background (tests drive `runOnce`). */
  workers: number;
  clock?: Clock;
  /** Lets notifyUrl reach loopback, private and link-local addresses. */
  allowPrivateNotify?: boolean;
  /** The SQLite file of a tenant's data. */
  tenantDataPath(tenantId: string): string;
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
  /** Deletes expired files and job records and leftover temporary files. */
  sweep(): Promise<SweepResult>;
}

/** What one retention sweep removed. */
export interface SweepResult {
  files: number;
  jobs: number;
  tempFiles: number;
}
