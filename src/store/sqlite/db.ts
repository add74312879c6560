import Database from 'better-sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from '../../limits.ts';
import {
  type BindArgs,
  type Row,
  type RunResult,
  type Statement,
  type SyncDb,
  type TransactionMode,
  UniqueViolation,
} from '../db.ts';

type Mode = 'rows' | 'pluck' | 'raw';

function mapError(e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    return new UniqueViolation((e as Error).message, { cause: e });
  return e;
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw mapError(e);
  }
}

class SqliteStatement<R> implements Statement<R> {
  constructor(
    private readonly db: SqliteDb,
    private readonly sql: string,
    private readonly s: Database.Statement,
  ) {}

  run(...args: BindArgs): RunResult {
    return guard(() => ({ changes: this.s.run(...args).changes }));
  }

  get(...args: BindArgs): R | undefined {
    return guard(() => this.s.get(...args) as R | undefined);
  }

  all(...args: BindArgs): R[] {
    return guard(() => this.s.all(...args) as R[]);
  }

  iterate(...args: BindArgs): IterableIterator<R> {
    return this.s.iterate(...args) as IterableIterator<R>;
  }

  pluck<T = unknown>(): Statement<T> {
    return this.db.statement<T>(this.sql, 'pluck');
  }

  raw(): Statement<unknown[]> {
    return this.db.statement<unknown[]>(this.sql, 'raw');
  }
}

/** A better-sqlite3 connection behind the SyncDb interface; `native` is there for SQLite-only features. */
export class SqliteDb implements SyncDb {
  readonly dialect = 'sqlite' as const;
  private readonly cache = new Map<string, SqliteStatement<unknown>>();

  constructor(readonly native: Database.Database) {}

  /** The statement of `sql` in one mode, prepared once (better-sqlite3's modes are per statement object). */
  statement<R>(sql: string, mode: Mode): Statement<R> {
    const key = `${mode}\u0000${sql}`;
    let s = this.cache.get(key);
    if (!s) {
      const native = guard(() => this.native.prepare(sql));
      if (mode === 'pluck') native.pluck();
      else if (mode === 'raw') native.raw();
      s = new SqliteStatement(this, sql, native);
      this.cache.set(key, s);
    }
    return s as Statement<R>;
  }

  prepare<R = Row>(sql: string): Statement<R> {
    return this.statement<R>(sql, 'rows');
  }

  exec(sql: string): void {
    guard(() => this.native.exec(sql));
  }

  transaction<T>(fn: () => T, mode: TransactionMode = 'deferred'): T {
    const tx = this.native.transaction(fn);
    return guard(() => (mode === 'immediate' ? tx.immediate() : tx.deferred()));
  }

  get inTransaction(): boolean {
    return this.native.inTransaction;
  }

  close(): void {
    this.cache.clear();
    this.native.close();
  }
}

/**
 * Opens a SQLite database file as a SyncDb: WAL (readers never block the writer), synchronous=NORMAL
 * (durable at checkpoints, never corrupt), a busy timeout for the write lock, foreign keys on.
 * @example const db = openSqliteDb(join(dataDir, 'meta.sqlite'));
 */
export function openSqliteDb(file: string, opts: { readOnly?: boolean } = {}): SqliteDb {
  const native = new Database(file);
  try {
    native.pragma('journal_mode = WAL');
    native.pragma('synchronous = NORMAL');
    native.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    native.pragma('foreign_keys = ON');
    if (opts.readOnly) native.pragma('query_only = ON');
    return new SqliteDb(native);
  } catch (e) {
    native.close();
    throw e;
  }
}
