import type { ObjectDef } from '../../schema/index.ts';
import { getField } from '../../schema/index.ts';
import type { Statement, SyncDb } from '../db.ts';
import type { SqlValue } from '../types.ts';
import type { EncodedRecord } from './encode.ts';
import { localDate } from './encode-time.ts';
import {
  hardDeleteSql,
  insertSql,
  lookupManySql,
  lookupSql,
  NEXT_SEQ,
  softDeleteSql,
  updateSql,
} from './sql.ts';

/** Rows of the largest multi-row INSERT (then halves, down to one), within SQLite's 32766 parameters. */
const MAX_ROWS = 512;
const MAX_PARAMS = 32_000;
/** Ids looked up by one statement. */
const LOOKUP_IDS = 500;

/** The change every statement of one writing transaction is stamped with. */
export interface Stamp {
  readonly seq: number;
  /** Clock time of the transaction, epoch ms. */
  readonly now: number;
}

export type RecordState = 'absent' | 'live' | 'deleted';

/**
 * The record-level writes of one connection, with their prepared statements cached per object and
 * column set. Callers run these inside a transaction that took its Stamp from `nextSeq`.
 */
export class RecordWriter {
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: SyncDb,
    private readonly zone: string,
  ) {}

  statement(key: string, sql: () => string): Statement {
    let s = this.statements.get(key);
    if (!s) {
      s = this.db.prepare(sql());
      this.statements.set(key, s);
    }
    return s;
  }

  /** Takes the next change sequence number; call once per writing transaction. */
  nextSeq(): number {
    return this.statement('seq', () => NEXT_SEQ)
      .pluck()
      .get() as number;
  }

  /** CreatedDate/UpdatedDate as the object stores them (most are datetimes, a few are dates). */
  userTime(object: ObjectDef, name: 'CreatedDate' | 'UpdatedDate', now: number): SqlValue {
    const field = getField(object, name);
    if (!field) return null;
    return field.type === 'date' ? localDate(now, this.zone) : now;
  }

  state(object: ObjectDef, id: string): RecordState {
    const row = this.lookup(object, id);
    if (!row) return 'absent';
    return row[0] === null ? 'live' : 'deleted';
  }

  private lookup(object: ObjectDef, id: string): [number | null, number] | undefined {
    return this.statement(`lookup|${object.name}`, () => lookupSql(object.name))
      .raw()
      .get(id) as [number | null, number] | undefined;
  }

  /**
   * The columns and parameters inserting a record takes (see insertSql); `createdSeq` is the change
   * that first created it (a re-created record keeps it).
   */
  insertRow(
    object: ObjectDef,
    id: string,
    rec: EncodedRecord,
    stamp: Stamp,
    createdSeq = stamp.seq,
  ): { columns: string[]; params: SqlValue[] } {
    const columns = ['Id', ...rec.columns];
    const params: SqlValue[] = [id, ...rec.values];
    // CreatedDate/UpdatedDate not given (absent or empty) are the time of the change.
    for (const name of ['CreatedDate', 'UpdatedDate'] as const) {
      const i = columns.indexOf(name);
      if (i >= 0) {
        if (params[i] === null) params[i] = this.userTime(object, name, stamp.now);
      } else if (getField(object, name)) {
        columns.push(name);
        params.push(this.userTime(object, name, stamp.now));
      }
    }
    params.push(stamp.seq, createdSeq, stamp.now);
    return { columns, params };
  }

  /** Inserts a record; `createdSeq` is the change that first created it (a re-created record keeps it). */
  insert(object: ObjectDef, id: string, rec: EncodedRecord, stamp: Stamp, createdSeq = stamp.seq): void {
    const { columns, params } = this.insertRow(object, id, rec, stamp, createdSeq);
    this.insertMany(object, columns, [params]);
  }

  /**
   * Inserts rows of `columns` (each row: the columns' values, then `_seq`, `_created_seq`,
   * `_changed_at`) with multi-row INSERTs of a few fixed sizes, so the statements stay few.
   */
  insertMany(object: ObjectDef, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): void {
    const width = columns.length + 3;
    const key = `insert|${object.name}|${columns.join(',')}`;
    let at = 0;
    for (let size = MAX_ROWS; size >= 1; size >>= 1) {
      if (size * width > MAX_PARAMS && size > 1) continue;
      const statement = this.statement(`${key}|${size}`, () => insertSql(object.name, columns, size));
      while (rows.length - at >= size) {
        statement.run(...rows.slice(at, at + size).flat());
        at += size;
      }
    }
  }

  /** Which of `ids` exist: each one's `_deleted_at` (null while live) and `_created_seq`. */
  lookupMany(object: ObjectDef, ids: readonly string[]): Map<string, [number | null, number]> {
    const found = new Map<string, [number | null, number]>();
    for (let at = 0; at < ids.length; at += LOOKUP_IDS) {
      const chunk = ids.slice(at, at + LOOKUP_IDS);
      // Padded to a fixed length (an absent Id repeated), so one statement serves every chunk.
      const padded = [...chunk, ...new Array<string>(LOOKUP_IDS - chunk.length).fill(chunk[0]!)];
      const rows = this.statement(`lookupMany|${object.name}`, () => lookupManySql(object.name, LOOKUP_IDS))
        .raw()
        .all(...padded) as [string, number | null, number][];
      for (const [id, deletedAt, createdSeq] of rows) found.set(id, [deletedAt, createdSeq]);
    }
    return found;
  }

  /**
   * Changes a live record; false when there is none. UpdatedDate becomes now unless given; an empty
   * CreatedDate leaves the stored one.
   */
  update(object: ObjectDef, id: string, rec: EncodedRecord, stamp: Stamp): boolean {
    const columns: string[] = [];
    const params: SqlValue[] = [];
    rec.columns.forEach((c, i) => {
      const v = rec.values[i] ?? null;
      if ((c === 'CreatedDate' || c === 'UpdatedDate') && v === null) return;
      columns.push(c);
      params.push(v);
    });
    if (!columns.includes('UpdatedDate') && getField(object, 'UpdatedDate')) {
      columns.push('UpdatedDate');
      params.push(this.userTime(object, 'UpdatedDate', stamp.now));
    }
    params.push(stamp.seq, stamp.now, id);
    const s = this.statement(`update|${object.name}|${columns.join(',')}`, () =>
      updateSql(object.name, columns),
    );
    return s.run(...params).changes === 1;
  }

  /** Soft-deletes a live record; false when there is none. */
  softDelete(object: ObjectDef, id: string, stamp: Stamp): boolean {
    const s = this.statement(`delete|${object.name}`, () => softDeleteSql(object.name));
    return (
      s.run(stamp.now, stamp.seq, stamp.now, this.userTime(object, 'UpdatedDate', stamp.now), id).changes ===
      1
    );
  }

  /** Removes a record outright (a soft-deleted one about to be created again under its Id). */
  hardDelete(object: ObjectDef, id: string): void {
    this.statement(`purge1|${object.name}`, () => hardDeleteSql(object.name)).run(id);
  }

  /**
   * Upserts by Id: a new Id (or none) inserts, a live record is updated with the given fields, and a
   * soft-deleted one is replaced by a new record under the same Id. The replacement keeps the first
   * creation's sequence number: an incremental reader that had the record must still be told when the
   * replacement is deleted again inside one window.
   */
  upsert(object: ObjectDef, id: string, rec: EncodedRecord, stamp: Stamp): 'inserted' | 'updated' {
    const row = this.lookup(object, id);
    if (row && row[0] === null) {
      this.update(object, id, rec, stamp);
      return 'updated';
    }
    if (row) this.hardDelete(object, id);
    this.insert(object, id, rec, stamp, row ? row[1] : stamp.seq);
    return 'inserted';
  }
}
