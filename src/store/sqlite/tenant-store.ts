import { basename, extname } from 'node:path';
import { type Clock, systemClock } from '../../clock.ts';
import { RecordError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { DEFAULT_TIME_ZONE } from '../../limits.ts';
import type { ObjectDef } from '../../schema/index.ts';
import { getObject, objects } from '../../schema/index.ts';
import { isValidZone } from '../../time/zone.ts';
import type {
  LoadResult,
  LoadSession,
  RecordInput,
  RecordOutput,
  Snapshot,
  SqlValue,
  TenantStore,
} from '../types.ts';
import { bulkInsertRows } from './bulk.ts';
import { type Db, openConnection } from './connection.ts';
import { decodeRow } from './decode.ts';
import { encodeRecord } from './encode.ts';
import { migrate } from './migrations.ts';
import { SnapshotPool } from './snapshot.ts';
import { purgeSql, selectLiveSql } from './sql.ts';
import { StagedLoad } from './staged-load.ts';
import { RecordWriter, type Stamp } from './writes.ts';

export interface TenantStoreOptions {
  /** Source of `_changed_at`, snapshot times and default CreatedDate/UpdatedDate. */
  clock?: Clock;
  /** IANA zone in which datetimes without an offset are read. Default DEFAULT_TIME_ZONE. */
  timeZone?: string;
  /** The tenant's name. Default: the file name without its extension. */
  tenant?: string;
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
 * A tenant's data in one SQLite file: one writer connection, snapshots on pooled read connections.
 * @example
 * const store = openTenantStore(file);
 * store.load('Contact', [{ FirstName: 'Zoë', LastName: 'Müller' }]); // { inserted: 1, updated: 0 }
 * store.bulkInsert('Product', ['Name'], [['Gold'], ['Silver']]); // 2
 */
export class SqliteTenantStore implements TenantStore {
  readonly tenant: string;
  readonly timeZone: string;
  readonly file: string;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly writer: RecordWriter;
  private readonly readers: SnapshotPool;

  constructor(file: string, opts: TenantStoreOptions = {}) {
    const zone = opts.timeZone ?? DEFAULT_TIME_ZONE;
    if (!isValidZone(zone)) throw new RangeError(`unknown time zone '${zone}'`);
    this.file = file;
    this.timeZone = zone;
    this.tenant = opts.tenant ?? basename(file, extname(file));
    this.clock = opts.clock ?? systemClock;
    this.db = openConnection(file);
    try {
      migrate(this.db, this.clock.now());
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.writer = new RecordWriter(this.db, zone);
    this.readers = new SnapshotPool(file, this.clock);
  }

  /** Runs `fn` in one write transaction stamped with the next change sequence number. */
  private write<T>(fn: (stamp: Stamp) => T): T {
    return this.db.transaction(() => fn(this.nextStamp())).immediate();
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
    return new StagedLoad(this.db, this.writer, objectOf(object), this.timeZone, () => this.nextStamp());
  }

  /**
   * Inserts rows already in store encoding (see store/types.ts) in one transaction with one change
   * sequence number: the fast path for generated data. Values are NOT validated; Ids must be new.
   * Missing Id column: Ids are generated; missing CreatedDate/UpdatedDate: the clock time.
   * @example store.bulkInsert('Product', ['Id', 'Name'], [['0'.repeat(32), 'Gold']]) === 1
   */
  bulkInsert(object: string, columns: readonly string[], rows: Iterable<readonly SqlValue[]>): number {
    const o = objectOf(object);
    return this.write((stamp) => bulkInsertRows(this.writer, o, columns, rows, stamp));
  }

  snapshot<T>(fn: (snap: Snapshot) => T): T {
    return this.readers.run(fn);
  }

  purgeDeleted(beforeMs: number): number {
    return this.db
      .transaction(() => {
        let n = 0;
        for (const o of objects) {
          n += this.writer.statement(`purge|${o.name}`, () => purgeSql(o.name)).run(beforeMs).changes;
        }
        return n;
      })
      .immediate();
  }

  close(): void {
    this.readers.close();
    if (this.db.open) this.db.close();
  }
}

/**
 * Opens (creating and migrating when needed) the tenant database in `file`. One file per tenant keeps
 * tenants apart by construction.
 * @example
 * const store = openTenantStore('/var/lib/openaqua/acme.db', { timeZone: 'Europe/Paris' });
 * const id = store.create('Account', { Name: 'Acme', Status: 'Active', Currency: 'EUR' });
 * store.close();
 */
export function openTenantStore(file: string, opts: TenantStoreOptions = {}): SqliteTenantStore {
  return new SqliteTenantStore(file, opts);
}
