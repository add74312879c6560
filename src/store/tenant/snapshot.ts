import type { Clock } from '../../clock.ts';
import type { SyncDb } from '../db.ts';
import type { CompiledQuery, Snapshot } from '../types.ts';
import { quoteIdent } from './ddl.ts';
import { CURRENT_SEQ } from './sql.ts';

/** A read connection reused across snapshots, with its way of streaming a query's rows. */
export interface SnapshotReader {
  readonly db: SyncDb;
  /** Streams rows as arrays; the same query may be streamed twice at once. */
  stream(query: CompiledQuery): IterableIterator<unknown[]>;
}

/** How a store's snapshots get their connections. */
export interface SnapshotSource {
  /** Opens a new read connection. */
  open(): SnapshotReader;
  /** Starts a read transaction whose first read fixes what it sees (SQLite WAL: `BEGIN`; PostgreSQL: REPEATABLE READ). */
  readonly begin: string;
  /** Idle connections kept for the next snapshots. */
  readonly idle: number;
  /** Tables' physical row number column (the dialect's `rowId`), when they have one. */
  readonly rowId?: string;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Snapshots on their own read connections, so a snapshot never shares a transaction with writes and
 * may stay open across awaits. The transaction's first read fixes what it sees: reading the counter
 * first makes `seq` and every row of the snapshot agree, and since the counter row is updated by
 * every write transaction in commit order, the snapshot sees exactly a prefix of the change sequence.
 */
export class SnapshotPool {
  private readonly idle: SnapshotReader[] = [];
  private closed = false;

  constructor(
    private readonly source: SnapshotSource,
    private readonly clock: Clock,
  ) {}

  private acquire(): SnapshotReader {
    if (this.closed) throw new Error('tenant store is closed');
    return this.idle.pop() ?? this.source.open();
  }

  private release(reader: SnapshotReader): void {
    if (this.closed || this.idle.length >= this.source.idle) reader.db.close();
    else this.idle.push(reader);
  }

  /** Runs `fn` in one read transaction; when it returns a promise, the snapshot lasts until it settles. */
  run<T>(fn: (snap: Snapshot) => T): T {
    const reader = this.acquire();
    const open = new Set<IterableIterator<unknown[]>>();
    let active = true;
    // Ending a read transaction loses nothing, so a failure here (a connection already broken by the
    // query) only retires the connection instead of hiding the snapshot's own outcome.
    const finish = (): void => {
      active = false;
      try {
        for (const it of open) it.return?.();
        open.clear();
        if (reader.db.inTransaction) reader.db.exec('COMMIT');
      } catch {
        reader.db.close();
        return;
      }
      this.release(reader);
    };
    let result: T;
    try {
      reader.db.exec(this.source.begin);
      const seq = reader.db.prepare(CURRENT_SEQ).pluck().get() as number;
      const snap: Snapshot = {
        seq,
        time: this.clock.now(),
        rows(query: CompiledQuery): IterableIterator<unknown[]> {
          if (!active) throw new Error('the snapshot has ended');
          const it = reader.stream(query);
          open.add(it);
          return it;
        },
        rowIdRange: (object) => {
          if (!active) throw new Error('the snapshot has ended');
          const rowId = this.source.rowId;
          if (rowId === undefined) return undefined;
          const sql = `SELECT min(${rowId}), max(${rowId}) FROM ${quoteIdent(object)}`;
          const [min, max] = reader.db.prepare(sql).raw().get() as [number | null, number | null];
          return min === null || max === null ? undefined : { min, max };
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
