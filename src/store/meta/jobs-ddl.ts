import type { Dialect } from '../db.ts';
import { columnTypes } from './sql.ts';

/**
 * Tables of the job service (in `<data>/meta.sqlite`, or the `openaqua` schema on PostgreSQL): jobs
 * (which are also the queue), their batches, published result files, stateful sessions with their
 * per-query cursors, and idempotency keys. One text for both dialects but for the column types; flags
 * are integers 0/1 and times epoch milliseconds on both. `full` is quoted: PostgreSQL reserves the word.
 */
export function metaJobsDdl(d: Dialect): readonly string[] {
  const t = columnTypes(d);
  return [
    `CREATE TABLE IF NOT EXISTS jobs (
    ord ${t.ord},
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL,
    session_key TEXT NOT NULL,
    stateful INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'executing', 'completed', 'aborted', 'cancelled', 'error')),
    error_code TEXT,
    name TEXT,
    version TEXT NOT NULL,
    format TEXT NOT NULL,
    encrypted TEXT NOT NULL,
    partner TEXT,
    project TEXT,
    notify_url TEXT,
    incremental_time ${t.big},
    offset_seconds INTEGER NOT NULL,
    use_last_completed INTEGER NOT NULL,
    use_query_labels INTEGER NOT NULL,
    date_time_utc INTEGER NOT NULL,
    null_replacement TEXT,
    time_zone TEXT NOT NULL,
    segments INTEGER NOT NULL,
    submitted_at ${t.big} NOT NULL,
    started_at ${t.big},
    finished_at ${t.big},
    lease_owner TEXT,
    lease_until ${t.big},
    attempts INTEGER NOT NULL DEFAULT 0,
    snapshot_seq ${t.big},
    notify_state TEXT
  )${t.options}`,
    // The queue's invariant: one running job per session, whatever the number of claimers.
    `CREATE UNIQUE INDEX IF NOT EXISTS jobs_one_running_per_session ON jobs (session_key) WHERE status = 'executing'`,
    'CREATE INDEX IF NOT EXISTS jobs_runnable ON jobs (status, ord)',
    'CREATE INDEX IF NOT EXISTS jobs_session ON jobs (session_key, ord)',
    'CREATE INDEX IF NOT EXISTS jobs_tenant_status ON jobs (tenant_id, status)',
    'CREATE INDEX IF NOT EXISTS jobs_submitted_at ON jobs (submitted_at)',
    `CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    language TEXT NOT NULL,
    api_version TEXT NOT NULL,
    deleted TEXT,
    convert_to_currencies TEXT,
    "full" INTEGER NOT NULL,
    after_seq ${t.big},
    record_count ${t.big} NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    message TEXT,
    segmented INTEGER NOT NULL DEFAULT 0,
    staged TEXT,
    UNIQUE (job_id, position)
  )${t.options}`,
    `CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    part INTEGER NOT NULL,
    format TEXT NOT NULL,
    encrypted INTEGER NOT NULL,
    rows ${t.big} NOT NULL,
    bytes ${t.big} NOT NULL,
    created_at ${t.big} NOT NULL
  )${t.options}`,
    'CREATE INDEX IF NOT EXISTS files_batch ON files (batch_id, part)',
    'CREATE INDEX IF NOT EXISTS files_created_at ON files (created_at)',
    `CREATE TABLE IF NOT EXISTS sessions (
    tenant_id TEXT NOT NULL,
    partner TEXT NOT NULL,
    project TEXT NOT NULL,
    cursor_seq ${t.big} NOT NULL,
    last_job_id TEXT NOT NULL,
    last_completed_at ${t.big} NOT NULL,
    PRIMARY KEY (tenant_id, partner, project)
  )${t.options}`,
    `CREATE TABLE IF NOT EXISTS session_queries (
    tenant_id TEXT NOT NULL,
    partner TEXT NOT NULL,
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    deleted_spec TEXT,
    cursor_seq ${t.big} NOT NULL,
    PRIMARY KEY (tenant_id, partner, project, name)
  )${t.options}`,
    `CREATE TABLE IF NOT EXISTS idempotency_keys (
    tenant_id TEXT NOT NULL,
    key TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    job_id TEXT NOT NULL,
    created_at ${t.big} NOT NULL,
    PRIMARY KEY (tenant_id, key)
  )${t.options}`,
  ];
}
