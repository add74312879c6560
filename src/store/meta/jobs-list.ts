import type { BindValue } from '../db.ts';
import { type JobRow, type JobStatus, type MetaDb, type Raw, toJob } from './jobs.ts';

/** Which jobs of a tenant to list; every field given narrows the list. */
export interface JobListQuery {
  readonly tenantId: string;
  /** Jobs submitted at or after this instant (epoch ms). */
  readonly since: number;
  readonly status?: JobStatus;
  readonly partner?: string;
  readonly project?: string;
  /** Part of the job name, any case. */
  readonly name?: string;
  readonly limit: number;
}

/**
 * A tenant's jobs, newest first. `name` matches anywhere in the job name, ignoring case; the other
 * filters match exactly.
 * @example listJobRows(db, { tenantId, since: now - 72 * 3600_000, status: 'completed', limit: 200 })
 */
export function listJobRows(db: MetaDb, q: JobListQuery): JobRow[] {
  const where = ['tenant_id = @tenantId', 'submitted_at >= @since'];
  if (q.status !== undefined) where.push('status = @status');
  if (q.partner !== undefined) where.push('partner = @partner');
  if (q.project !== undefined) where.push('project = @project');
  if (q.name !== undefined) {
    const position = db.dialect === 'postgres' ? 'strpos' : 'instr';
    where.push(`${position}(lower(coalesce(name, '')), lower(CAST(@name AS TEXT))) > 0`);
  }
  const sql = `SELECT * FROM jobs WHERE ${where.join(' AND ')} ORDER BY submitted_at DESC, ord DESC LIMIT @limit`;
  const params: Record<string, BindValue> = { tenantId: q.tenantId, since: q.since, limit: q.limit };
  for (const key of ['status', 'partner', 'project', 'name'] as const) {
    if (q[key] !== undefined) params[key] = q[key];
  }
  return (db.prepare(sql).all(params) as Raw[]).map(toJob);
}

/**
 * How many jobs of every tenant are in each status.
 * @example jobCountsByStatus(db).get('submitted') // jobs waiting in the queue
 */
export function jobCountsByStatus(db: MetaDb): Map<JobStatus, number> {
  const rows = db.prepare('SELECT status, count(*) AS n FROM jobs GROUP BY status').all() as {
    status: JobStatus;
    n: number;
  }[];
  return new Map(rows.map((r) => [r.status, r.n]));
}
