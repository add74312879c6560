/**
 * The job service: submit and validate AQuA jobs, queue them per session, run them on worker threads in
 * one snapshot each, publish their files, notify, and sweep what has expired.
 *
 * Jobs run off the HTTP thread: the main thread claims jobs (the jobs table is the queue), keeps their
 * leases alive and publishes their results; each of `workers` threads runs `runner.ts` on its own
 * tenant store connections, one job at a time.
 *
 * @example
 * import { createJobService } from './jobs/index.ts';
 * const jobs = createJobService({ location: storeLocation(dataDir, process.env.OPENAQUA_DATABASE_URL), workers: 2 });
 * jobs.start();
 * const job = jobs.submit(tenant, { format: 'csv', queries: [{ query: 'select Id from Account', type: 'zoqlexport' }] });
 * jobs.get(tenant, job.id as string)?.status; // 'submitted', then 'executing', then 'completed'
 * await jobs.stop();
 */
export { isPrivateAddress, type NotifyOutcome, NotifyRefused, notifyJobEnd } from './notify.ts';
export { formatStartTime } from './render.ts';
export { type JobRequest, type QueryRequest, readJobRequest } from './request.ts';
export { createJobService } from './service.ts';
export type {
  JobListFilter,
  JobListing,
  JobObserver,
  JobService,
  JobServiceOptions,
  JobStats,
  SweepResult,
  Tenant,
} from './types.ts';
