import { AQUA_MESSAGES, type AquaCode } from '../errors.ts';
import type { BatchRow, BatchStatus, DeletedSpec, JobRow } from '../store/meta/jobs.ts';
import { localParts } from '../time/zone.ts';
import type { JobRequest } from './request.ts';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * An instant as AQuA's `startTime`: wall-clock time in the tenant zone with its offset.
 * @example formatStartTime(Date.UTC(2024, 0, 2, 3, 4, 5), 'America/Los_Angeles') === '2024-01-01T19:04:05-0800'
 */
export function formatStartTime(ms: number, zone: string): string {
  const p = localParts(ms, zone);
  const sign = p.offset < 0 ? '-' : '+';
  const off = Math.abs(p.offset);
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${sign}${pad(Math.floor(off / 60))}${pad(off % 60)}`;
}

function deletedEcho(d: DeletedSpec): Record<string, unknown> {
  return d.forceExport === undefined
    ? { column: d.column, format: d.format }
    : { column: d.column, format: d.format, forceExport: d.forceExport };
}

const FINISHED: ReadonlySet<BatchStatus> = new Set(['completed', 'aborted', 'deleted_notallowed']);

/** One batch as the job JSON shows it. */
export function batchJson(b: BatchRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    batchId: b.id,
    name: b.name,
    query: b.query,
    batchType: b.language,
    apiVersion: b.apiVersion,
    full: b.full,
    recordCount: b.status === 'completed' ? b.recordCount : 0,
    status: b.status,
    localizedStatus: b.status,
  };
  if (b.deleted) out.deleted = deletedEcho(b.deleted);
  if (b.convertToCurrencies) out.convertToCurrencies = b.convertToCurrencies;
  // A query error on a job that never ran leaves its batch pending, with the reason to read.
  if (FINISHED.has(b.status) || b.message) out.message = b.message ?? '';
  if (b.status === 'completed') {
    if (b.segmented) out.segments = b.fileIds;
    else if (b.fileIds[0] !== undefined) out.fileId = b.fileIds[0];
  }
  return out;
}

/**
 * The job JSON of submit, get, cancel and last-job answers. A job that did not fail carries no top-level
 * `message` (one widely used client reads any `message` as failure); a job in `error` carries `errorCode`
 * and the fixed message of its code.
 * @example jobJson(job, batches).batches[0].status === 'pending'
 */
export function jobJson(job: JobRow, batches: readonly BatchRow[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: job.id };
  if (job.name !== null) out.name = job.name;
  out.status = job.status;
  out.version = job.version;
  out.format = job.format.toUpperCase();
  out.encrypted = job.encrypted;
  if (job.partner !== null) out.partner = job.partner;
  if (job.project !== null) out.project = job.project;
  if (job.notifyUrl !== null) out.notifyUrl = job.notifyUrl;
  if (job.incrementalTime !== null) out.incrementalTime = job.incrementalTime;
  out.offset = job.offset;
  out.sourceData = 'LIVE';
  out.useLastCompletedJobQueries = job.useLastCompleted;
  out.startTime = formatStartTime(job.submittedAt, job.timeZone);
  out.batches = batches.map(batchJson);
  if (job.status === 'error' && job.errorCode !== null) {
    out.errorCode = job.errorCode;
    out.message = AQUA_MESSAGES[job.errorCode as AquaCode] ?? job.errorCode;
  }
  return out;
}

/**
 * What an error answer echoes of a request that did not become a job (90004, 90014, 90015, 90016,
 * 90028): the request's fields, batches `pending`, no ids.
 */
export function requestEcho(req: JobRequest, zone: string, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (req.name !== null) out.name = req.name;
  out.status = 'error';
  out.version = req.version;
  out.format = req.format.toUpperCase();
  out.encrypted = req.encrypted;
  if (req.partner !== null) out.partner = req.partner;
  if (req.project !== null) out.project = req.project;
  if (req.notifyUrl !== null) out.notifyUrl = req.notifyUrl;
  out.offset = req.offset;
  out.sourceData = 'LIVE';
  out.useLastCompletedJobQueries = false;
  out.startTime = formatStartTime(now, zone);
  out.batches = req.queries.map((q) => {
    const b: Record<string, unknown> = {
      name: q.name,
      query: q.query,
      batchType: q.type,
      apiVersion: q.apiVersion,
      full: true,
      recordCount: 0,
      status: 'pending',
      localizedStatus: 'pending',
    };
    if (q.deleted) b.deleted = deletedEcho(q.deleted);
    if (q.convertToCurrencies) b.convertToCurrencies = q.convertToCurrencies;
    return b;
  });
  return out;
}
