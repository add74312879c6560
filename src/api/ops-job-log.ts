import type { FastifyBaseLogger } from 'fastify';
import type { JobService } from '../jobs/index.ts';

/**
 * Writes a log line when a job starts, when each of its batches finishes and when it ends, each from a
 * child logger that carries the job's id (and its tenant's), so a job's lines can be picked out of the log.
 * Returns a function that stops it.
 * @example const stop = logJobEvents(jobs, app.log); // {"jobId":"…","tenantId":"…","msg":"job started"}
 */
export function logJobEvents(jobs: JobService, log: FastifyBaseLogger): () => void {
  const forJob = (jobId: string, tenantId: string) => log.child({ jobId, tenantId });
  return jobs.observe({
    jobStarted(e) {
      forJob(e.jobId, e.tenantId).info({ attempt: e.attempt }, 'job started');
    },
    batchFinished(e) {
      forJob(e.jobId, e.tenantId).info(
        { batchId: e.batchId, batch: e.name, rows: e.rows, bytes: e.bytes, seconds: e.seconds },
        'batch finished',
      );
    },
    jobEnded(e) {
      forJob(e.jobId, e.tenantId).info({ status: e.status }, 'job ended');
    },
  });
}
