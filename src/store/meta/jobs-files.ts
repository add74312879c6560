import type { DeletedSpec, MetaDb, ResultFormat } from './jobs.ts';
import { byteOrder } from './sql.ts';

/** Result files, stateful sessions and idempotency keys. Each runs inside the caller's transaction. */

/** A published result file. */
export interface FileRow {
  id: string;
  tenantId: string;
  jobId: string;
  batchId: string;
  part: number;
  format: ResultFormat;
  encrypted: boolean;
  rows: number;
  bytes: number;
  createdAt: number;
}

export function insertFile(db: MetaDb, f: FileRow): void {
  db.prepare(
    `INSERT INTO files (id, tenant_id, job_id, batch_id, part, format, encrypted, rows, bytes, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    f.id,
    f.tenantId,
    f.jobId,
    f.batchId,
    f.part,
    f.format,
    f.encrypted ? 1 : 0,
    f.rows,
    f.bytes,
    f.createdAt,
  );
}

/** A tenant's file by id; another tenant's file is not found. */
export function fileById(db: MetaDb, tenantId: string, id: string): FileRow | undefined {
  const r = db.prepare('SELECT * FROM files WHERE id = ? AND tenant_id = ?').get(id, tenantId) as
    | Record<string, unknown>
    | undefined;
  if (!r) return undefined;
  return {
    id: String(r.id),
    tenantId: String(r.tenant_id),
    jobId: String(r.job_id),
    batchId: String(r.batch_id),
    part: Number(r.part),
    format: r.format as ResultFormat,
    encrypted: r.encrypted === 1,
    rows: Number(r.rows),
    bytes: Number(r.bytes),
    createdAt: Number(r.created_at),
  };
}

/** Files created before `before`: tenant and id of each. */
export function filesCreatedBefore(db: MetaDb, before: number): { tenantId: string; id: string }[] {
  return (
    db.prepare('SELECT tenant_id, id FROM files WHERE created_at < ?').all(before) as {
      tenant_id: string;
      id: string;
    }[]
  ).map((r) => ({ tenantId: r.tenant_id, id: r.id }));
}

export function deleteFileRow(db: MetaDb, id: string): void {
  db.prepare('DELETE FROM files WHERE id = ?').run(id);
}

/** Files of finished jobs submitted before `before` (removed with their jobs). */
export function filesOfJobsBefore(db: MetaDb, before: number): { tenantId: string; id: string }[] {
  return (
    db
      .prepare(
        `SELECT tenant_id, id FROM files WHERE job_id IN (SELECT id FROM jobs WHERE submitted_at < ?
         AND status IN ('completed', 'aborted', 'cancelled', 'error'))`,
      )
      .all(before) as { tenant_id: string; id: string }[]
  ).map((r) => ({ tenantId: r.tenant_id, id: r.id }));
}

/** Whether a file id is listed (whatever its tenant). */
export function fileListed(db: MetaDb, id: string): boolean {
  return db.prepare('SELECT 1 FROM files WHERE id = ?').get(id) !== undefined;
}

/** Drops finished jobs submitted before `before`, with their batches and file rows; returns how many. */
export function deleteJobsBefore(db: MetaDb, before: number): number {
  db.prepare(
    `DELETE FROM files WHERE job_id IN (SELECT id FROM jobs WHERE submitted_at < ?
       AND status IN ('completed', 'aborted', 'cancelled', 'error'))`,
  ).run(before);
  return db
    .prepare(
      "DELETE FROM jobs WHERE submitted_at < ? AND status IN ('completed', 'aborted', 'cancelled', 'error')",
    )
    .run(before).changes;
}

/** Every tenant the job tables know of: those with a job record or a stateful session. */
export function knownTenantIds(db: MetaDb): string[] {
  return db
    .prepare(
      `SELECT tenant_id FROM (SELECT tenant_id FROM jobs UNION SELECT tenant_id FROM sessions) t ORDER BY tenant_id${byteOrder(db)}`,
    )
    .pluck()
    .all() as string[];
}

/** A stateful session: where its last completed job left the change sequence. */
export interface SessionRow {
  cursorSeq: number;
  lastJobId: string;
  lastCompletedAt: number;
}

/** What a session remembers of one query, by name: its text, deleted section, and cursor. */
export interface SessionQueryRow {
  name: string;
  query: string;
  deleted: DeletedSpec | null;
  cursorSeq: number;
}

export function sessionOf(
  db: MetaDb,
  tenantId: string,
  partner: string,
  project: string,
): SessionRow | undefined {
  const r = db
    .prepare(
      'SELECT cursor_seq, last_job_id, last_completed_at FROM sessions WHERE tenant_id = ? AND partner = ? AND project = ?',
    )
    .get(tenantId, partner, project) as
    | { cursor_seq: number; last_job_id: string; last_completed_at: number }
    | undefined;
  return r && { cursorSeq: r.cursor_seq, lastJobId: r.last_job_id, lastCompletedAt: r.last_completed_at };
}

export function sessionQueries(
  db: MetaDb,
  tenantId: string,
  partner: string,
  project: string,
): Map<string, SessionQueryRow> {
  const rows = db
    .prepare(
      'SELECT name, query, deleted_spec, cursor_seq FROM session_queries WHERE tenant_id = ? AND partner = ? AND project = ?',
    )
    .all(tenantId, partner, project) as {
    name: string;
    query: string;
    deleted_spec: string | null;
    cursor_seq: number;
  }[];
  return new Map(
    rows.map((r) => [
      r.name,
      {
        name: r.name,
        query: r.query,
        deleted: r.deleted_spec === null ? null : (JSON.parse(r.deleted_spec) as DeletedSpec),
        cursorSeq: r.cursor_seq,
      },
    ]),
  );
}

/** Moves a session's cursor to a completed job's snapshot. */
export function advanceSession(
  db: MetaDb,
  tenantId: string,
  partner: string,
  project: string,
  s: SessionRow,
): void {
  db.prepare(
    `INSERT INTO sessions (tenant_id, partner, project, cursor_seq, last_job_id, last_completed_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, partner, project) DO UPDATE SET cursor_seq = excluded.cursor_seq,
       last_job_id = excluded.last_job_id, last_completed_at = excluded.last_completed_at`,
  ).run(tenantId, partner, project, s.cursorSeq, s.lastJobId, s.lastCompletedAt);
}

export function saveSessionQuery(
  db: MetaDb,
  tenantId: string,
  partner: string,
  project: string,
  q: SessionQueryRow,
): void {
  db.prepare(
    `INSERT INTO session_queries (tenant_id, partner, project, name, query, deleted_spec, cursor_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, partner, project, name) DO UPDATE SET query = excluded.query,
       deleted_spec = excluded.deleted_spec, cursor_seq = excluded.cursor_seq`,
  ).run(
    tenantId,
    partner,
    project,
    q.name,
    q.query,
    q.deleted ? JSON.stringify(q.deleted) : null,
    q.cursorSeq,
  );
}

/** The job an idempotency key was first used for, with the hash of that request's body. */
export function idempotencyKey(
  db: MetaDb,
  tenantId: string,
  key: string,
  since: number,
): { jobId: string; bodyHash: string } | undefined {
  const r = db
    .prepare(
      'SELECT job_id, body_hash FROM idempotency_keys WHERE tenant_id = ? AND key = ? AND created_at >= ?',
    )
    .get(tenantId, key, since) as { job_id: string; body_hash: string } | undefined;
  return r && { jobId: r.job_id, bodyHash: r.body_hash };
}

export function saveIdempotencyKey(
  db: MetaDb,
  tenantId: string,
  key: string,
  bodyHash: string,
  jobId: string,
  now: number,
): void {
  db.prepare(
    `INSERT INTO idempotency_keys (tenant_id, key, body_hash, job_id, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, key) DO UPDATE SET body_hash = excluded.body_hash, job_id = excluded.job_id,
       created_at = excluded.created_at`,
  ).run(tenantId, key, bodyHash, jobId, now);
}

export function deleteIdempotencyKeysBefore(db: MetaDb, before: number): number {
  return db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').run(before).changes;
}
