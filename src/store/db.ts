/**
 * The one connection interface every SQL module under src/store is written against, so that the same
 * code runs on the embedded SQLite store and on PostgreSQL. It is synchronous on purpose: better-sqlite3
 * is, and the PostgreSQL adapter uses libpq's synchronous calls, so a transaction is one uninterrupted
 * call stack and no other request can slip into it between two statements.
 *
 * SQL is written once with `?` (positional) or `@name` (named, bound from one object) placeholders; the
 * PostgreSQL adapter rewrites them to `$n`. Values bound are strings, numbers, bigints or null (booleans
 * are stored as 0/1). Rows come back with numbers for integer and floating columns, strings otherwise.
 *
 * @example
 * const db = openSqliteDb(':memory:');
 * db.exec('CREATE TABLE t (a INTEGER, b TEXT)');
 * db.prepare('INSERT INTO t VALUES (?, ?)').run(1, 'x');
 * db.prepare('SELECT b FROM t WHERE a = @a').pluck().get({ a: 1 }); // 'x'
 */

export type Dialect = 'sqlite' | 'postgres';

/** A value bound to a placeholder. */
export type BindValue = string | number | bigint | null;

/** The arguments of a statement call: positional values, or one object for `@name` placeholders. */
export type BindArgs = readonly BindValue[] | [Readonly<Record<string, BindValue>>];

export type Row = Record<string, unknown>;

export type TransactionMode = 'deferred' | 'immediate' | 'snapshot';

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
}

/** A prepared statement. `pluck()` and `raw()` return views of it; the statement itself is unchanged. */
export interface Statement<R = Row> {
  run(...args: BindArgs): RunResult;
  get(...args: BindArgs): R | undefined;
  all(...args: BindArgs): R[];
  /** Streams the rows. On PostgreSQL this needs an open transaction (a cursor lives in one). */
  iterate(...args: BindArgs): IterableIterator<R>;
  /** The same statement yielding each row's first column. */
  pluck<T = unknown>(): Statement<T>;
  /** The same statement yielding each row as an array, one element per selected column. */
  raw(): Statement<unknown[]>;
}

export interface SyncDb {
  readonly dialect: Dialect;
  /** Prepares (once per connection and SQL text) a statement of one SQL command. */
  prepare<R = Row>(sql: string): Statement<R>;
  /** Runs SQL text that may hold several commands and no placeholders. */
  exec(sql: string): void;
  /**
   * Runs `fn` in a transaction: committed when it returns, rolled back when it throws. Nested calls
   * become savepoints. `immediate` takes the write lock at once on SQLite (BEGIN IMMEDIATE) so a
   * read-then-write cannot interleave with another connection's; on PostgreSQL it is a plain BEGIN (row
   * locks and unique indexes do that work there). `snapshot` reads one consistent moment throughout
   * (PostgreSQL: REPEATABLE READ; SQLite: every transaction does).
   */
  transaction<T>(fn: () => T, mode?: TransactionMode): T;
  /** True inside `transaction`. */
  readonly inTransaction: boolean;
  close(): void;
}

/** Thrown by either adapter for a unique or primary key violation, so callers can tell it apart. */
export class UniqueViolation extends Error {
  override readonly name = 'UniqueViolation';
  readonly code = 'UNIQUE_VIOLATION';
}
