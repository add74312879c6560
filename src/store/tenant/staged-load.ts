import { newId } from '../../ids.ts';
import type { ObjectDef } from '../../schema/index.ts';
import type { Statement, SyncDb } from '../db.ts';
import type { LoadResult, LoadSession, RecordInput, SqlValue } from '../types.ts';
import { analyzeAfterBulk } from './analyze.ts';
import type { TenantDialect } from './dialect.ts';
import { type EncodedRecord, encodeRecord } from './encode.ts';
import { stageDropSql, stageInsertSql, stageReadSql } from './sql.ts';
import type { RecordWriter, Stamp } from './writes.ts';

const BATCH = 1000;
let stages = 0;

/**
 * Records set aside in a TEMP table of the writer connection: staging holds no lock on the tenant's
 * tables, so a long stream does not block other writers, and memory stays flat. Values are staged
 * already encoded (JSON keeps every number exactly), so `commit` cannot meet a bad value.
 */
export class StagedLoad implements LoadSession {
  private readonly table = `_stage_${process.pid}_${++stages}`;
  private readonly columnSets: string[][] = [];
  private readonly columnSetIndex = new Map<string, number>();
  private buffer: [number, string][] = [];
  private readonly insertBatch: Statement;
  private open = true;

  constructor(
    private readonly db: SyncDb,
    private readonly dialect: TenantDialect,
    private readonly writer: RecordWriter,
    private readonly object: ObjectDef,
    private readonly zone: string,
    private readonly stamp: () => Stamp,
  ) {
    db.exec(dialect.stageTableSql(this.table));
    this.insertBatch = db.prepare(stageInsertSql(dialect, this.table, BATCH));
  }

  add(record: RecordInput): void {
    if (!this.open) throw new Error('this load has ended');
    const rec = encodeRecord(this.object, record, this.zone);
    const key = rec.columns.join(',');
    let k = this.columnSetIndex.get(key);
    if (k === undefined) {
      k = this.columnSets.length;
      this.columnSets.push([...rec.columns]);
      this.columnSetIndex.set(key, k);
    }
    this.buffer.push([k, JSON.stringify([rec.id ?? null, ...rec.values])]);
    if (this.buffer.length >= BATCH) this.flush();
  }

  private flush(): void {
    const rows = this.buffer;
    if (rows.length === 0) return;
    this.buffer = [];
    const statement =
      rows.length === BATCH
        ? this.insertBatch
        : this.db.prepare(stageInsertSql(this.dialect, this.table, rows.length));
    statement.run(...rows.flat());
  }

  commit(): LoadResult {
    if (!this.open) throw new Error('this load has ended');
    try {
      this.flush();
      const read = this.db.prepare(stageReadSql(this.dialect, this.table)).raw();
      const loaded = this.db.transaction(() => {
        const stamp = this.stamp();
        const result = { inserted: 0, updated: 0 };
        let last = 0;
        for (;;) {
          const rows = read.all(last, BATCH) as [number, number, string][];
          if (rows.length === 0) break;
          this.apply(rows, stamp, result);
          last = rows[rows.length - 1]![0];
        }
        return result;
      }, 'immediate');
      analyzeAfterBulk(this.db, this.dialect, this.object.name, loaded.inserted + loaded.updated);
      return loaded;
    } finally {
      this.end();
    }
  }

  /**
   * Upserts one batch of staged records as `RecordWriter.upsert` would one by one, with one lookup for
   * the batch and new records inserted many rows at a time. An Id given twice sees its first record.
   */
  private apply(rows: readonly [number, number, string][], stamp: Stamp, result: LoadResult): void {
    const records = rows.map(([, k, v]) => {
      const [id, ...values] = JSON.parse(v) as [string | null, ...SqlValue[]];
      return { columns: this.columnSets[k]!, values, id: id ?? undefined } satisfies EncodedRecord;
    });
    const given = records.flatMap((r) => (r.id === undefined ? [] : [r.id]));
    const known = this.writer.lookupMany(this.object, [...new Set(given)]);
    const pending = new Map<string, { columns: string[]; rows: SqlValue[][] }>();
    const pendingIds = new Set<string>();
    const flush = (): void => {
      for (const p of pending.values()) this.writer.insertMany(this.object, p.columns, p.rows);
      pending.clear();
      pendingIds.clear();
    };
    for (const rec of records) {
      const id = rec.id ?? newId();
      const row = known.get(id);
      if (row && row[0] === null) {
        if (pendingIds.has(id)) flush();
        this.writer.update(this.object, id, rec, stamp);
        result.updated++;
        continue;
      }
      if (row) this.writer.hardDelete(this.object, id);
      const createdSeq = row ? row[1] : stamp.seq;
      const { columns, params } = this.writer.insertRow(this.object, id, rec, stamp, createdSeq);
      const key = columns.join(',');
      let group = pending.get(key);
      if (!group) {
        group = { columns, rows: [] };
        pending.set(key, group);
      }
      group.rows.push(params);
      pendingIds.add(id);
      known.set(id, [null, createdSeq]);
      result.inserted++;
    }
    flush();
  }

  abort(): void {
    if (this.open) this.end();
  }

  private end(): void {
    this.open = false;
    this.buffer = [];
    this.db.exec(stageDropSql(this.dialect, this.table));
  }
}
