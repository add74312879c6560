import { DELETED_RETENTION_DAYS, SESSION_IDLE_DAYS } from '../limits.ts';
import type { DeletedSpec, MetaDb } from '../store/meta/jobs.ts';
import {
  advanceSession,
  type SessionQueryRow,
  saveSessionQuery,
  sessionOf,
  sessionQueries,
} from '../store/meta/jobs-files.ts';

const DAY = 86_400_000;

/** A stateful session: the tenant and the partner/project pair, matched exactly. */
export interface SessionKey {
  readonly tenantId: string;
  readonly partner: string;
  readonly project: string;
}

/** How one query of a stateful job runs: full, or incrementally after a change sequence. */
export interface QueryPlan {
  readonly full: boolean;
  readonly afterSeq: number | null;
}

/** The part of a query that decides full or incremental. */
export interface PlannedQuery {
  readonly name: string;
  readonly query: string;
  readonly deleted: DeletedSpec | null;
}

/** The key that serialises a session's jobs in the queue; a stateless job is a session of its own. */
export function sessionKeyOf(tenantId: string, jobId: string, session: SessionKey | null): string {
  return session
    ? `stateful:${JSON.stringify([tenantId, session.partner, session.project])}`
    : `job:${jobId}`;
}

function sameDeleted(a: DeletedSpec | null, b: DeletedSpec | null): boolean {
  if (a === null || b === null) return a === b;
  return a.column === b.column && a.format === b.format;
}

/**
 * Decides per query whether a stateful job runs full or incrementally. Full: the session has no completed
 * job, it is idle longer than SESSION_IDLE_DAYS, or the query is new to it by name, its text changed, or
 * its deleted section was added, dropped, or changed column or format. Otherwise incremental from the
 * change sequence at which the query last completed. A query with a deleted section also runs full after
 * `deletedRetentionDays` (the sweeper's setting) idle, since deletions older than that may have been purged.
 * @example planSession(db, key, [{ name: 'q', query: 'select Id from Account', deleted: null }], now)[0].full
 */
export function planSession(
  db: MetaDb,
  key: SessionKey,
  queries: readonly PlannedQuery[],
  now: number,
  deletedRetentionDays: number = DELETED_RETENTION_DAYS,
): QueryPlan[] {
  const session = sessionOf(db, key.tenantId, key.partner, key.project);
  if (!session || now - session.lastCompletedAt > SESSION_IDLE_DAYS * DAY) {
    return queries.map(() => ({ full: true, afterSeq: null }));
  }
  const known = sessionQueries(db, key.tenantId, key.partner, key.project);
  // Deleted records are purged after DELETED_RETENTION_DAYS: past that, an increment could miss deletions.
  const deletionsPurged = now - session.lastCompletedAt > deletedRetentionDays * DAY;
  return queries.map((q) => {
    const prev = known.get(q.name);
    if (!prev || prev.query !== q.query || !sameDeleted(prev.deleted, q.deleted)) {
      return { full: true, afterSeq: null };
    }
    if (q.deleted && deletionsPurged) return { full: true, afterSeq: null };
    return { full: false, afterSeq: prev.cursorSeq };
  });
}

/**
 * Moves a session forward to a completed job's snapshot: run only inside the transaction that completes
 * the job, so an aborted or cancelled job leaves the cursor where it was.
 */
export function advance(
  db: MetaDb,
  key: SessionKey,
  jobId: string,
  snapshotSeq: number,
  now: number,
  queries: readonly PlannedQuery[],
): void {
  advanceSession(db, key.tenantId, key.partner, key.project, {
    cursorSeq: snapshotSeq,
    lastJobId: jobId,
    lastCompletedAt: now,
  });
  for (const q of queries) {
    const row: SessionQueryRow = { name: q.name, query: q.query, deleted: q.deleted, cursorSeq: snapshotSeq };
    saveSessionQuery(db, key.tenantId, key.partner, key.project, row);
  }
}

/** The id of a session's last completed job, if any. */
export function lastCompletedJobId(db: MetaDb, key: SessionKey): string | undefined {
  return sessionOf(db, key.tenantId, key.partner, key.project)?.lastJobId;
}
