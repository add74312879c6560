import { RecordError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { ObjectDef } from '../../schema/index.ts';
import type { SqlValue } from '../types.ts';
import { resolveField } from './encode.ts';
import type { RecordWriter, Stamp } from './writes.ts';

/**
 * Where bulk rows go, one whole row at a time (the columns, then `_seq`, `_created_seq`,
 * `_changed_at`). `add` must copy what it keeps: the caller reuses the array.
 */
export interface RowSink {
  add(row: readonly SqlValue[]): void;
  /** Writes what is still buffered. */
  end(): void;
  /** Gives up after a failure, leaving the connection usable (the caller's transaction rolls back). */
  abort(reason: string): void;
}

/** Opens a sink for rows of `columns` (tracking columns included) into `object`'s table. */
export type OpenRowSink = (writer: RecordWriter, object: ObjectDef, columns: readonly string[]) => RowSink;

/** Rows buffered between two writes of the INSERT sink. */
const BUFFERED_ROWS = 4096;

/** A sink writing multi-row INSERTs through the writer's cached statements. */
export const insertSink: OpenRowSink = (writer, object, columns) => {
  const data = columns.slice(0, -3);
  let rows: SqlValue[][] = [];
  return {
    add(row) {
      rows.push([...row]);
      if (rows.length === BUFFERED_ROWS) this.end();
    },
    end() {
      writer.insertMany(object, data, rows);
      rows = [];
    },
    abort() {
      rows = [];
    },
  };
};

/**
 * Inserts rows already in store encoding, without validation, inside the caller's transaction.
 * Missing Id: generated; missing CreatedDate/UpdatedDate: the stamp time. Returns the row count.
 */
export function bulkInsertRows(
  writer: RecordWriter,
  open: OpenRowSink,
  object: ObjectDef,
  columns: readonly string[],
  rows: Iterable<readonly SqlValue[]>,
  stamp: Stamp,
): number {
  const names = columns.map((c) => resolveField(object, c).name);
  if (new Set(names).size !== names.length) {
    throw new RecordError('INVALID_FIELD', `a column is named twice in a bulk insert into ${object.name}`);
  }
  const extra: SqlValue[] = [];
  const all = [...names];
  if (!names.includes('Id')) all.push('Id');
  for (const name of ['CreatedDate', 'UpdatedDate'] as const) {
    if (!names.includes(name)) {
      all.push(name);
      extra.push(writer.userTime(object, name, stamp.now));
    }
  }
  const needsId = !names.includes('Id');
  const sink = open(writer, object, [...all, '_seq', '_created_seq', '_changed_at']);
  const row: SqlValue[] = new Array(all.length + 3);
  let count = 0;
  try {
    for (const input of rows) {
      if (input.length !== names.length) {
        throw new RecordError(
          'INVALID_VALUE',
          `bulk row ${count + 1} into ${object.name} has ${input.length} values for ${names.length} columns`,
        );
      }
      let at = 0;
      for (const v of input) row[at++] = v;
      if (needsId) row[at++] = newId();
      for (const v of extra) row[at++] = v;
      row[at++] = stamp.seq;
      row[at++] = stamp.seq;
      row[at] = stamp.now;
      sink.add(row);
      count++;
    }
    sink.end();
  } catch (e) {
    sink.abort(e instanceof Error ? e.message : String(e));
    throw e;
  }
  return count;
}
