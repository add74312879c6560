import { type Clock, systemClock } from '../../clock.ts';
import { RecordError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { DEFAULT_TIME_ZONE } from '../../limits.ts';
import type { ObjectDef } from '../../schema/index.ts';
import { getObject, objects } from '../../schema/index.ts';
import { isValidZone } from '../../time/zone.ts';
import type { SyncDb } from '../db.ts';
import type {
  LoadResult,
  LoadSession,
  RecordInput,
  RecordOutput,
  Snapshot,
  SqlValue,
  TenantStore,
} from '../types.ts';
import { analyzeAfterBulk } from './analyze.ts';
import { bulkInsertRows, type OpenRowSink } from './bulk.ts';
import { decodeRow } from './decode.ts';
import type { TenantDialect } from './dialect.ts';
import { encodeRecord } from './encode.ts';
import { migrate } from './migrations.ts';
import { SnapshotPool, type SnapshotSource } from './snapshot.ts';
import { purgeSql, selectLiveSql } from './sql.ts';
import { StagedLoad } from './staged-load.ts';
import { RecordWriter, type Stamp } from './writes.ts';

export interface TenantStoreOptions {
  /** Source of `_changed_at`, snapshot times and default CreatedDate/UpdatedDate. */
  clock?: Clock;
  /** IANA zone in which datetimes without an offset are read. Default DEFAULT_TIME_ZONE. */
  timeZone?: string;
  /** The tenant's name. Default: the tenant id (a SQLite file opened by path: its name without extension). */
  tenant?: string;
}

/** What a store runs on: its writer connection, its dialect and how it reads and bulk-writes. */
export interface TenantBackend {
  readonly dialect: TenantDialect;
  /** The writer connection; the store closes it. */
  readonly db: SyncDb;
  readonly snapshots: SnapshotSource;
  readonly rowSink: OpenRowSink;
  /** Taken inside each migration step's transaction (PostgreSQL: an advisory lock on the schema). */
  readonly migrationLock?: () => void;
}

function objectOf(name: string): ObjectDef {
  const object = getObject(name);
  if (!object) throw new RecordError('INVALID_TYPE', `unknown object '${name}'`);
  return object;
}

function prefixed(e: unknown, prefix: string): unknown {
  return e instanceof RecordError ? new RecordError(e.code, `${prefix}: ${e.message}`) : e;
}

/**
 * A tenant's data, on SQLite (one file) or PostgreSQL (one schema): one writer connection, snapshots
 * on pooled read connections. Every write transaction first takes the next change sequence number
 * from the counter row, whose lock it holds until commit, so sequence order is commit order.
 * @example
 * const store = openTenantStore(location, tenantId);
 * store.load('Contact', [{ FirstName: 'Zoë', LastName: 'Müller' }]); // { inserted: 1, updated: 0 }
 * store.bulkInsert('Product', ['Name'], [['Gold'], ['Silver']]); // 2
 */
export class TenantDataStore implements TenantStore {
  readonly tenant: string;
  readonly timeZone: string;
  readonly dialect: TenantDialect;
  private readonly db: SyncDb;
  private readonly clock: Clock;
  private readonly writer: RecordWriter;
  private readonly readers: SnapshotPool;
  private readonly rowSink: OpenRowSink;
  private closed = false;

  /** Opens the backend (`open`) once the options are known to be valid. */
  constructor(open: () => TenantBackend, tenant: string, opts: TenantStoreOptions = {}) {
    const zone = opts.timeZone ?? DEFAULT_TIME_ZONE;
    if (!isValidZone(zone)) throw new RangeError(`unknown time zone '${zone}'`);
    const backend = open();
    this.db = backend.db;
    this.dialect = backend.dialect;
    this.timeZone = zone;
    this.tenant = opts.tenant ?? tenant;
    this.clock = opts.clock ?? systemClock;
    this.rowSink = backend.rowSink;
    try {
      migrate(this.db, this.dialect, this.clock.now(), backend.migrationLock);
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.writer = new RecordWriter(this.db, zone);
    this.readers = new SnapshotPool(backend.snapshots, this.clock);
  }

  /** Runs `fn` in one write transaction stamped with the next change sequence number. */
  private write<T>(fn: (stamp: Stamp) => T): T {
    return this.db.transaction(() => fn(this.nextStamp()), 'immediate');
  }

  private nextStamp(): Stamp {
    return { seq: this.writer.nextSeq(), now: this.clock.now() };
  }

  create(object: string, values: RecordInput): string {
    const o = objectOf(object);
    const rec = encodeRecord(o, values, this.timeZone);
    const id = rec.id ?? newId();
    this.write((stamp) => {
      const state = this.writer.state(o, id);
      if (state === 'live') throw new RecordError('INVALID_ID', `${o.name} ${id} already exists`);
      this.writer.upsert(o, id, rec, stamp);
    });
    return id;
  }

  update(object: string, id: string, values: RecordInput): void {
    const o = objectOf(object);
    const rec = encodeRecord(o, values, this.timeZone);
    if (rec.id !== undefined && rec.id !== id) {
      throw new RecordError('INVALID_ID', `the Id of ${o.name} ${id} cannot be changed to ${rec.id}`);
    }
    this.write((stamp) => {
      if (!this.writer.update(o, id, rec, stamp))
        throw new RecordError('INVALID_ID', `no ${o.name} with Id ${id}`);
    });
  }

  delete(object: string, id: string): void {
    const o = objectOf(object);
    this.write((stamp) => {
      if (!this.writer.softDelete(o, id, stamp))
        throw new RecordError('INVALID_ID', `no ${o.name} with Id ${id}`);
    });
  }

  get(object: string, id: string): RecordOutput | undefined {
    const o = objectOf(object);
    const names = o.fields.map((f) => f.name);
    const row = this.writer
      .statement(`get|${o.name}`, () => selectLiveSql(o.name, names))
      .raw()
      .get(id) as unknown[] | undefined;
    return row ? decodeRow(o.fields, row, this.timeZone) : undefined;
  }

  load(object: string, records: Iterable<RecordInput>): LoadResult {
    const o = objectOf(object);
    return this.write((stamp) => {
      const result = { inserted: 0, updated: 0 };
      let n = 0;
      for (const input of records) {
        n++;
        let rec: ReturnType<typeof encodeRecord>;
        try {
          rec = encodeRecord(o, input, this.timeZone);
        } catch (e) {
          throw prefixed(e, `record ${n}`);
        }
        result[this.writer.upsert(o, rec.id ?? newId(), rec, stamp)]++;
      }
      return result;
    });
  }

  beginLoad(object: string): LoadSession {
    return new StagedLoad(this.db, this.dialect, this.writer, objectOf(object), this.timeZone, () =>
      this.nextStamp(),
    );
  }

  /**
   * Inserts rows already in store encoding (see store/types.ts) in one transaction with one change
   * sequence number: the fast path for generated data. Values are NOT validated; Ids must be new.
   * Missing Id column: Ids are generated; missing CreatedDate/UpdatedDate: the clock time.
   * @example store.bulkInsert('Product', ['Id', 'Name'], [['0'.repeat(32), 'Gold']]) === 1
   */
  bulkInsert(object: string, columns: readonly string[], rows: Iterable<readonly SqlValue[]>): number {
    const o = objectOf(object);
    const n = this.write((stamp) => bulkInsertRows(this.writer, this.rowSink, o, columns, rows, stamp));
    analyzeAfterBulk(this.db, this.dialect, o.name, n);
    return n;
  }

  snapshot<T>(fn: (snap: Snapshot) => T): T {
    return this.readers.run(fn);
  }

  purgeDeleted(beforeMs: number): number {
    return this.db.transaction(() => {
      let n = 0;
      for (const o of objects) {
        n += this.writer.statement(`purge|${o.name}`, () => purgeSql(o.name)).run(beforeMs).changes;
      }
      return n;
    }, 'immediate');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.readers.close();
    this.db.close();
  }
}
