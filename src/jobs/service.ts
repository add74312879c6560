import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../clock.ts';
import { AquaError } from '../errors.ts';
import { contentTypeFor } from '../export/index.ts';
import { type FileStore, openFileStore } from '../files/index.ts';
import { newId } from '../ids.ts';
import {
  DELETED_RETENTION_DAYS,
  FILE_RETENTION_DAYS,
  JOB_LEASE_MILLIS,
  JOB_POLL_MILLIS,
  JOB_RETENTION_DAYS,
  MAX_QUERY_MILLIS,
  RETENTION_SWEEP_MILLIS,
  SEGMENT_ROWS,
  STOP_GRACE_MILLIS,
} from '../limits.ts';
import { sqliteTenantPath } from '../store/location.ts';
import { type Checkpointer, checkpointElsewhere } from '../store/meta/checkpoint.ts';
import { batchesOf, type JobRow, jobWithBatches, markNotified } from '../store/meta/jobs.ts';
import { fileById, knownTenantIds } from '../store/meta/jobs-files.ts';
import { jobCountsByStatus, listJobRows } from '../store/meta/jobs-list.ts';
import { metaSqlitePath, openMetaJobs } from '../store/meta/open.ts';
import { waitForJobs } from '../store/meta/wake.ts';
import type { Claimed } from './claim.ts';
import { cancelRun } from './finish.ts';
import { notifyJobEnd } from './notify.ts';
import { WorkerPool } from './pool.ts';
import { jobJson } from './render.ts';
import { purgeDeletedRecords, sweep } from './retention.ts';
import { runJob } from './runner.ts';
import { Scheduler } from './scheduler.ts';
import { lastCompletedJobId } from './sessions.ts';
import { StoreCache } from './store-cache.ts';
import { submitJob } from './submit.ts';
import type { BatchOutput, RunEvents } from './task.ts';
import type { JobObserver, JobService, JobServiceOptions, JobStats, SweepResult, Tenant } from './types.ts';

/**
 * The job service over a store location's job tables and a file store (by default `<data>/files/`).
 * @example
 * const jobs = createJobService({ location: storeLocation('./openaqua-data'), workers: 2 });
 * jobs.start();
 * const job = jobs.submit(tenant, { queries: [{ query: 'select Id from Account', type: 'zoqlexport' }] });
 * await jobs.stop();
 */
export function createJobService(opts: JobServiceOptions): JobService {
  const { location } = opts;
  mkdirSync(location.dataDir, { recursive: true });
  const db = openMetaJobs(location);
  const clock = opts.clock ?? systemClock;
  const files: FileStore = openFileStore(opts.files, join(location.dataDir, 'files'));
  const owner = newId();
  const leaseMillis = opts.leaseMillis ?? JOB_LEASE_MILLIS;
  const deletedRetentionDays = opts.deletedRetentionDays ?? DELETED_RETENTION_DAYS;
  const onError = opts.onError ?? ((e: unknown) => console.error(e));
  const pool = new WorkerPool(Math.max(0, opts.workers), {
    location,
    files: opts.files,
    exportThreads: opts.exportThreads,
  });
  const stores = new StoreCache(location);
  let stopWaking: (() => void) | undefined;
  let checkpointer: Checkpointer | undefined;
  const timers: NodeJS.Timeout[] = [];
  let started = false;
  let stopping = false;
  let sweeping: Promise<unknown> = Promise.resolve();

  function notify(job: JobRow, status: string): void {
    if (!job.notifyUrl || !markNotified(db, job.id, 'sent')) return;
    notifyJobEnd(job.notifyUrl, job.id, status, {
      allowPrivate: opts.allowPrivateNotify ?? false,
      ...(opts.notifyBackoffMillis ? { backoffMs: opts.notifyBackoffMillis } : {}),
    }).then((o) => {
      if (!o.delivered)
        onError(new Error(`notifyUrl of job ${job.id} failed after ${o.tries} tries: ${o.error}`));
    }, onError);
  }

  const observers = new Set<JobObserver>();
  function tell(fn: (o: JobObserver) => void): void {
    for (const o of observers) {
      try {
        fn(o);
      } catch (e) {
        onError(e);
      }
    }
  }

  /** The run's events, timed and told to the observers before they go on to the scheduler. */
  function observed(claimed: Claimed, events: RunEvents): RunEvents {
    const { id: jobId, tenantId } = claimed.job;
    const names = new Map(claimed.task.batches.map((b) => [b.id, b.name]));
    let since = performance.now();
    tell((o) => o.jobStarted?.({ jobId, tenantId, attempt: claimed.task.attempt }));
    return {
      batchStarted(batchId) {
        since = performance.now();
        events.batchStarted(batchId);
      },
      batchFinished(output: BatchOutput) {
        const seconds = (performance.now() - since) / 1000;
        const bytes = output.files.reduce((sum, f) => sum + f.bytes, 0);
        const name = names.get(output.batchId) ?? '';
        tell((o) =>
          o.batchFinished?.({
            jobId,
            tenantId,
            batchId: output.batchId,
            name,
            seconds,
            rows: output.recordCount,
            bytes,
          }),
        );
        return events.batchFinished(output);
      },
    };
  }

  const scheduler = new Scheduler({
    db,
    clock,
    files,
    owner,
    leaseMillis,
    queryMillis: opts.queryMillis ?? MAX_QUERY_MILLIS,
    segmentRows: opts.segmentRows ?? SEGMENT_ROWS,
    deletedRetentionDays,
    newId,
    tenantDataPath: (id) => sqliteTenantPath(location.dataDir, id),
    jobEnded: (job, status) => {
      tell((o) => o.jobEnded?.({ jobId: job.id, tenantId: job.tenantId, status }));
      notify(job, status);
    },
  });

  function pump(): void {
    if (!started || stopping) return;
    while (pool.hasIdle()) {
      const claimed = scheduler.claim();
      if (!claimed) return;
      scheduler
        .run(claimed, (c, events, signal) => pool.run(c.task, observed(c, events), signal))
        .catch(onError)
        .finally(() => setImmediate(pump));
    }
  }

  function render(tenant: Tenant, jobId: string): Record<string, unknown> | undefined {
    const found = jobWithBatches(db, tenant.id, jobId);
    return found && jobJson(found.job, found.batches);
  }

  const service: JobService = {
    submit(tenant, body, submitOpts) {
      const json = submitJob({ db, clock, newId, deletedRetentionDays }, tenant, body, submitOpts);
      if (started) setImmediate(pump);
      return json;
    },

    get: render,

    cancel(tenant, jobId) {
      const outcome = cancelRun(db, tenant.id, jobId, clock.now());
      if (!outcome) throw new AquaError('90002');
      const json = jobJson(outcome.job, outcome.batches);
      if (!outcome.cancelled) throw new AquaError('90003', undefined, json);
      scheduler.abort(jobId);
      tell((o) => o.jobEnded?.({ jobId, tenantId: tenant.id, status: 'cancelled' }));
      notify(outcome.job, 'cancelled');
      return json;
    },

    lastCompleted(tenant, partner, project) {
      const id = lastCompletedJobId(db, { tenantId: tenant.id, partner, project });
      return id === undefined ? undefined : render(tenant, id);
    },

    list(tenant, filter) {
      const rows = listJobRows(db, {
        tenantId: tenant.id,
        since: clock.now() - filter.hours * 3_600_000,
        limit: filter.limit,
        ...(filter.status !== undefined ? { status: filter.status } : {}),
        ...(filter.partner !== undefined ? { partner: filter.partner } : {}),
        ...(filter.project !== undefined ? { project: filter.project } : {}),
        ...(filter.name !== undefined ? { name: filter.name } : {}),
      });
      return rows.map((job) => ({
        json: jobJson(job, batchesOf(db, job.id)),
        stateful: job.stateful,
        submittedAt: job.submittedAt,
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
      }));
    },

    stats(): JobStats {
      const counts = jobCountsByStatus(db);
      const byStatus: JobStats['byStatus'] = {
        submitted: 0,
        executing: 0,
        completed: 0,
        aborted: 0,
        cancelled: 0,
        error: 0,
      };
      for (const key of Object.keys(byStatus) as (keyof JobStats['byStatus'])[])
        byStatus[key] = counts.get(key) ?? 0;
      return { byStatus };
    },

    observe(observer) {
      observers.add(observer);
      return () => observers.delete(observer);
    },

    async openFile(tenant, fileId) {
      const row = fileById(db, tenant.id, fileId);
      if (!row) return undefined;
      const stream = await files.open(tenant.id, fileId);
      return stream && { stream, contentType: contentTypeFor(row.format, row.encrypted ? 'pgp' : 'none') };
    },

    start() {
      if (started) return;
      started = true;
      // On SQLite the WAL's checkpoints (and their fsyncs) happen on a thread of their own, not inside a
      // commit of this one.
      checkpointer = checkpointElsewhere(db, metaSqlitePath(location.dataDir), onError);
      if (opts.workers > 0) {
        timers.push(setInterval(pump, JOB_POLL_MILLIS));
        timers.push(setInterval(() => scheduler.heartbeat(), Math.max(10, Math.floor(leaseMillis / 3))));
        // On PostgreSQL a submit in any process wakes the idle workers at once; the poll is the fallback.
        stopWaking = waitForJobs(location, () => setImmediate(pump), { onError });
      }
      const sweepNow = (): void => {
        sweeping = service.sweep().catch(onError);
      };
      timers.push(setInterval(sweepNow, RETENTION_SWEEP_MILLIS));
      for (const t of timers) t.unref();
      sweepNow();
      pump();
    },

    async stop() {
      if (stopping) return;
      stopping = true;
      for (const t of timers.splice(0)) clearInterval(t);
      // A worker stuck in one long database step does not hold up shutdown: its thread is ended.
      await Promise.race([scheduler.stopAll(), new Promise((r) => setTimeout(r, STOP_GRACE_MILLIS).unref())]);
      await pool.close();
      await scheduler.stopAll();
      await sweeping;
      stopWaking?.();
      await stores.closeAll();
      await checkpointer?.stop();
      db.close();
    },

    async runOnce() {
      const claimed = scheduler.claim();
      if (!claimed) return false;
      await scheduler.run(claimed, (c, events, signal) =>
        runJob(c.task, { files, stores }, observed(c, events), signal),
      );
      return true;
    },

    async sweep(): Promise<SweepResult> {
      const now = clock.now();
      const result = await sweep(db, files, now, {
        fileRetentionDays: opts.fileRetentionDays ?? FILE_RETENTION_DAYS,
        jobRetentionDays: opts.jobRetentionDays ?? JOB_RETENTION_DAYS,
      });
      // Tenants are read after the job sweep, so one whose jobs were just removed is still named by its session.
      const tenantIds = opts.tenantIds ? [...opts.tenantIds()] : knownTenantIds(db);
      purgeDeletedRecords(tenantIds, location, now, deletedRetentionDays);
      return result;
    },
  };
  return service;
}
