import { RequestError } from '../../errors.ts';
import type { JobListFilter } from '../../jobs/index.ts';
import { JOB_LIST_HOURS, MAX_JOB_LIST_HOURS, MAX_LISTED_JOBS } from '../../limits.ts';

const STATUSES = ['submitted', 'executing', 'completed', 'aborted', 'cancelled', 'error'] as const;

/** Every status a job may have, in lifecycle order (the Finder's status choices). */
export const JOB_STATUSES: readonly NonNullable<JobListFilter['status']>[] = STATUSES;

function single(query: Record<string, unknown>, key: string): string | undefined {
  const v = query[key];
  const text = Array.isArray(v) ? v[0] : v;
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

/**
 * The job list filter of a query string: `status`, `partner`, `project`, `name` (part of the name) and
 * `hours` (default 72). Empty values mean "any". Throws RequestError (HTTP 400) naming a bad value.
 * @example listFilter({ status: 'completed', hours: '24' }) // { hours: 24, status: 'completed', limit: 500 }
 */
export function listFilter(query: unknown): JobListFilter {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const filter: JobListFilter = { hours: JOB_LIST_HOURS, limit: MAX_LISTED_JOBS };
  const hours = single(q, 'hours');
  if (hours !== undefined) {
    const n = /^\d+$/.test(hours) ? Number(hours) : Number.NaN;
    if (!(n >= 1 && n <= MAX_JOB_LIST_HOURS)) {
      throw new RequestError(`hours must be an integer from 1 to ${MAX_JOB_LIST_HOURS}, not '${hours}'`);
    }
    filter.hours = n;
  }
  const status = single(q, 'status');
  if (status !== undefined) {
    const known = STATUSES.find((s) => s === status.toLowerCase());
    if (!known) throw new RequestError(`status must be one of ${STATUSES.join(', ')}, not '${status}'`);
    filter.status = known;
  }
  for (const key of ['partner', 'project', 'name'] as const) {
    const v = single(q, key);
    if (v !== undefined) filter[key] = v;
  }
  return filter;
}
