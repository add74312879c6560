import type { Statement } from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import { SQLITE_IDLE_READERS } from '../../limits.ts';
import type { CompiledQuery, Snapshot } from '../types.ts';
import { type Db, openConnection } from './connection.ts';
import { CURRENT_SEQ } from './sql.ts';

const CACHED_QUERIES = 64;

/** A read-only connection with its prepared queries, reused across snapshots. */
class Reader {
  private readonly queries = new Map<string, Statement>();
  readonly seq: Statement;

  constructor(readonly db: Db) {
    this.seq = db.prepare(CURRENT_SEQ).pluck();
  }

  query(sql: string): Statement {
    let s = this.queries.get(sql);
    // The same query streamed twice at once needs a second statement: one cannot iterate twice.
    if (s?.busy) return this.db.prepare(sql);
    if (s) {
      // Re-insert to keep the map in least-recently-used order.
      this.queries.delete(sql);
    } else {
      s = this.db.prepare(sql);
      if (this.queries.size >= CACHED_QUERIES) this.queries.delete(this.queries.keys().next().value!);
    }
    this.queries.set(sql, s);
    return s;
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Snapshots on their own read connections, so a snapshot never shares a transaction with writes and
 * may stay open across awaits. In WAL mode the first read of a transaction fixes what it sees: reading
 * the counter first makes `seq` and every row of the snapshot agree.
 */
export class SnapshotPool {
  private readonly idle: Reader[] = [];
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly clock: Clock,
  ) {}

  private acquire(): Reader {
    if (this.closed) throw new Error('tenant store is closed');
    return this.idle.pop() ?? new Reader(openConnection(this.file, { readOnly: true }));
  }

  private release(reader: Reader): void {
    if (this.closed || this.idle.length >= SQLITE_IDLE_READERS) reader.db.close();
    else this.idle.push(reader);
  }

  /** Runs `fn` in one read transaction; when it returns a promise, the snapshot lasts until it settles. */
  run<T>(fn: (snap: Snapshot) => T): T {
    const reader = this.acquire();
    const open = new Set<IterableIterator<unknown[]>>();
    let active = true;
    const finish = (): void => {
      active = false;
      for (const it of open) it.return?.();
      open.clear();
      try {
        if (reader.db.inTransaction) reader.db.exec('COMMIT');
      } finally {
        this.release(reader);
      }
    };
    let result: T;
    try {
      reader.db.exec('BEGIN');
      const seq = reader.seq.get() as number;
      const snap: Snapshot = {
        seq,
        time: this.clock.now(),
        rows(query: CompiledQuery): IterableIterator<unknown[]> {
          if (!active) throw new Error('the snapshot has ended');
          const it = reader
            .query(query.sql)
            .raw(true)
            .iterate(...query.params) as IterableIterator<unknown[]>;
          open.add(it);
          return it;
        },
      };
      result = fn(snap);
    } catch (e) {
      finish();
      throw e;
    }
    if (!isThenable(result)) {
      finish();
      return result;
    }
    return Promise.resolve(result).then(
      (v) => {
        finish();
        return v;
      },
      (e: unknown) => {
        finish();
        throw e;
      },
    ) as T;
  }

  close(): void {
    this.closed = true;
    for (const r of this.idle.splice(0)) r.db.close();
  }
}
