import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../clock.ts';
import { AquaError } from '../errors.ts';
import { contentTypeFor } from '../export/index.ts';
import { LocalFileStore } from '../files/index.ts';
import { newId } from '../ids.ts';
import {
  FILE_RETENTION_DAYS,
  JOB_LEASE_MILLIS,
  JOB_POLL_MILLIS,
  JOB_RETENTION_DAYS,
  MAX_QUERY_MILLIS,
  RETENTION_SWEEP_MILLIS,
  SEGMENT_ROWS,
  STOP_GRACE_MILLIS,
} from '../limits.ts';
import { batchesOf, type JobRow, jobById, markNotified, openMetaJobs } from '../store/sqlite/meta-jobs.ts';
import { fileById } from '../store/sqlite/meta-jobs-files.ts';
import { cancelRun } from './finish.ts';
import { notifyJobEnd } from './notify.ts';
import { WorkerPool } from './pool.ts';
import { jobJson } from './render.ts';
import { sweep } from './retention.ts';
import { runJob } from './runner.ts';
import { Scheduler } from './scheduler.ts';
import { lastCompletedJobId } from './sessions.ts';
import { StoreCache } from './store-cache.ts';
import { submitJob } from './submit.ts';
import type { JobService, JobServiceOptions, SweepResult, Tenant } from './types.ts';

/**
 * The job service over `<data>/meta.sqlite` and `<data>/files/`.
 * @example
 * const jobs = createJobService({ dataDir, workers: 2, tenantDataPath: (id) => join(dataDir, 'tenants', `${id}.sqlite`) });
 * jobs.start();
 * const job = jobs.submit(tenant, { queries: [{ query: 'select Id from Account', type: 'zoqlexport' }] });
 * await jobs.stop();
 */
export function createJobService(opts: JobServiceOptions): JobService {
  mkdirSync(opts.dataDir, { recursive: true });
  const db = openMetaJobs(join(opts.dataDir, 'meta.sqlite'));
  const clock = opts.clock ?? systemClock;
  const files = new LocalFileStore(join(opts.dataDir, 'files'));
  const owner = newId();
  const leaseMillis = opts.leaseMillis ?? JOB_LEASE_MILLIS;
  const onError = opts.onError ?? ((e: unknown) => console.error(e));
  const pool = new WorkerPool(Math.max(0, opts.workers), opts.dataDir);
  const stores = new StoreCache();
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

  const scheduler = new Scheduler({
    db,
    clock,
    files,
    owner,
    leaseMillis,
    queryMillis: opts.queryMillis ?? MAX_QUERY_MILLIS,
    segmentRows: opts.segmentRows ?? SEGMENT_ROWS,
    newId,
    tenantDataPath: (id) => opts.tenantDataPath(id),
    jobEnded: notify,
  });

  function pump(): void {
    if (!started || stopping) return;
    while (pool.hasIdle()) {
      const claimed = scheduler.claim();
      if (!claimed) return;
      scheduler
        .run(claimed, (c, events, signal) => pool.run(c.task, events, signal))
        .catch(onError)
        .finally(() => setImmediate(pump));
    }
  }

  function render(tenant: Tenant, jobId: string): Record<string, unknown> | undefined {
    const job = jobById(db, tenant.id, jobId);
    return job && jobJson(job, batchesOf(db, job.id));
  }

  const service: JobService = {
    submit(tenant, body, submitOpts) {
      const json = submitJob({ db, clock, newId }, tenant, body, submitOpts);
      if (started) setImmediate(pump);
      return json;
    },

    get: render,

    cancel(tenant, jobId) {
      const outcome = cancelRun(db, tenant.id, jobId, clock.now());
      if (!outcome) throw new AquaError('90002');
      const json = jobJson(outcome.job, batchesOf(db, jobId));
      if (!outcome.cancelled) throw new AquaError('90003', undefined, json);
      scheduler.abort(jobId);
      notify(outcome.job, 'cancelled');
      return json;
    },

    lastCompleted(tenant, partner, project) {
      const id = lastCompletedJobId(db, { tenantId: tenant.id, partner, project });
      return id === undefined ? undefined : render(tenant, id);
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
      if (opts.workers > 0) {
        timers.push(setInterval(pump, JOB_POLL_MILLIS));
        timers.push(setInterval(() => scheduler.heartbeat(), Math.max(10, Math.floor(leaseMillis / 3))));
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
      stores.closeAll();
      db.close();
    },

    async runOnce() {
      const claimed = scheduler.claim();
      if (!claimed) return false;
      await scheduler.run(claimed, (c, events, signal) => runJob(c.task, { files, stores }, events, signal));
      return true;
    },

    sweep(): Promise<SweepResult> {
      return sweep(db, files, clock.now(), {
        fileRetentionDays: opts.fileRetentionDays ?? FILE_RETENTION_DAYS,
        jobRetentionDays: opts.jobRetentionDays ?? JOB_RETENTION_DAYS,
      });
    },
  };
  return service;
}
