/** Every limit and default of openaqua, by name. Nothing else hard-codes these numbers. */

/** Queries in one AQuA job (90004 above it). */
export const MAX_QUERIES_PER_JOB = 50;
/** Characters in one query text. */
export const MAX_QUERY_LENGTH = 20_000;
/** Conditions in one ZOQL where clause. */
export const MAX_ZOQL_CONDITIONS = 200;
/**
 * Levels a query may nest: parentheses and `not`s in a where or having clause, calls in function
 * arguments. And/or chains are held balanced, so they add only the logarithm of their length on top.
 */
export const MAX_NESTING_DEPTH = 100;
/** Fields in an Export ZOQL group by. */
export const MAX_GROUP_BY_FIELDS = 5;
/** Characters in a job name. */
export const MAX_JOB_NAME_LENGTH = 32;
/** notifyUrl must be shorter than this (90014). */
export const MAX_NOTIFY_URL_LENGTH = 5000;
/** Largest `offset` of a stateful job, in seconds. */
export const MAX_OFFSET_SECONDS = 3600;
/** Jobs `submitted` or `executing` per tenant, per mode (90028 above it). */
export const MAX_CONCURRENT_STATEFUL_JOBS = 50;
export const MAX_CONCURRENT_STATELESS_JOBS = 50;
/** Per-query run time before 90027. */
export const MAX_QUERY_MILLIS = 3 * 60 * 60 * 1000;
/** Rows per segment file of a stateful full load. */
export const SEGMENT_ROWS = 500_000;
/** Result files are kept this long. */
export const FILE_RETENTION_DAYS = 7;
/** Job records are kept this long. */
export const JOB_RETENTION_DAYS = 180;
/** Deleted records are kept this long for incremental exports. */
export const DELETED_RETENTION_DAYS = 30;
/** A stateful session idle this long starts over with full loads. */
export const SESSION_IDLE_DAYS = 180;
/** Significant digits a decimal may carry (exactness bound of the embedded store). */
export const MAX_DECIMAL_DIGITS = 15;
/** Default tenant time zone. */
export const DEFAULT_TIME_ZONE = 'America/Los_Angeles';
/** Default `apiVersion` echoed for a query that names none. */
export const DEFAULT_API_VERSION = '145.0';
/** OAuth access tokens live this long, in seconds. */
export const TOKEN_TTL_SECONDS = 3599;
/** Bytes buffered before a write to a result file. */
export const WRITE_CHUNK_BYTES = 64 * 1024;
/** Idempotency keys are remembered this long. */
export const IDEMPOTENCY_HOURS = 24;
/** How long a write waits for another connection's write lock on a tenant database, in ms. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;
/** Idle read connections a tenant store keeps open for snapshots. */
export const SQLITE_IDLE_READERS = 4;

/** Rows a PostgreSQL cursor fetches per round trip while a query's rows stream. */
export const PG_FETCH_ROWS = 5_000;
/** Largest request body the API reads (50 queries of 20,000 characters fit with room to spare). */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
/** Longest `Zuora-Track-Id` echoed back (Zuora's own limit). */
export const MAX_TRACK_ID_LENGTH = 64;
/** A claimed job stays leased this long without a heartbeat; then another claimer may run it again. */
export const JOB_LEASE_MILLIS = 60_000;
/** How often the claim loop looks for jobs it was not told about (other processes, expired leases). */
export const JOB_POLL_MILLIS = 1000;
/** How often expired files, job records and leftover temporary files are swept. */
export const RETENTION_SWEEP_MILLIS = 60 * 60 * 1000;
/** Grace after the per-query limit before a worker stuck in one database step is ended. */
export const QUERY_KILL_GRACE_MILLIS = 5000;
/** How long stop() waits for running jobs to stop before ending their worker threads. */
export const STOP_GRACE_MILLIS = 5000;
/** One notifyUrl call may take this long. */
export const NOTIFY_TIMEOUT_MILLIS = 5000;
/** Waits before the second and third notifyUrl tries. */
export const NOTIFY_BACKOFF_MILLIS: readonly number[] = [1000, 4000];
/** Output chunk of the gzip and zip stages (zlib's 16 KB default costs ~40% of gzip speed). */
export const GZIP_CHUNK_BYTES = 128 * 1024;
/** Bytes a result file's write stream holds before it asks the CSV writer to wait. */
export const RESULT_FILE_BUFFER_BYTES = 1024 * 1024;
/** The job list (Job Finder, `GET /v1/batch-query/jobs`) shows jobs submitted this many hours back by default. */
export const JOB_LIST_HOURS = 72;
/** Furthest back a job list may reach, in hours (the default job retention). */
export const MAX_JOB_LIST_HOURS = 180 * 24;
/** Most jobs one job list holds, newest first. */
export const MAX_LISTED_JOBS = 500;
/** Default requests per rate-limit window for one credential (0 turns the limit off). */
export const RATE_LIMIT_REQUESTS = 600;
/** Default failed authentications per window from one client address before it is refused. */
export const RATE_LIMIT_AUTH_FAILURES = 60;
/** The rate-limit window. */
export const RATE_LIMIT_WINDOW_MILLIS = 60_000;
/** A password or client secret verified with scrypt is trusted from memory this long (seconds). */
export const VERIFIED_SECRET_TTL_SECONDS = 300;
/** At most this many verified credentials are remembered. */
export const VERIFIED_SECRET_CACHE_SIZE = 10_000;
/** Young-generation size of a job worker thread's heap (MB). */
export const WORKER_YOUNG_GENERATION_MB = 8;
/** Access tokens and tenants a server on PostgreSQL keeps in memory for authentication (each). */
export const AUTH_CACHE_ENTRIES = 10_000;
/** How often a server's thread for it checkpoints the SQLite meta database's WAL (ms). */
export const META_CHECKPOINT_MILLIS = 1000;
/**
 * An export is split across threads (`--export-threads`) only when its base object's table spans at
 * least this many row numbers: below it, starting the parts costs more than it saves.
 */
export const EXPORT_SPLIT_MIN_ROWS = 100_000;
/**
 * Nice value of the threads that render exports (job workers and their part threads; Linux sets it
 * per thread): requests on the main thread are answered first while large exports run.
 */
export const EXPORT_THREAD_NICE = 10;
/**
 * A PostgreSQL export whose CSV COPY writes is read in two parts at once (on two connections, so on two
 * of the server's cores) when its base table holds at least this many rows (pg_class.reltuples)...
 */
export const PG_COPY_SPLIT_MIN_ROWS = 100_000;
/** ...or takes at least this many blocks (32 MB), for a table not analysed yet. */
export const PG_COPY_SPLIT_MIN_BLOCKS = 4096;
/** A bulk insert or load session of at least this many rows into a PostgreSQL table analyses it at once. */
export const ANALYZE_AFTER_BULK_ROWS = 10_000;
/**
 * Bytes read from a result file at a time for a download: large enough that the file and the socket
 * see few calls per megabyte (a loopback download took about a fifth less time than with 64 KB reads),
 * small enough for many downloads at once.
 */
export const DOWNLOAD_CHUNK_BYTES = 256 * 1024;
