import { RecordError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { ObjectDef } from '../../schema/index.ts';
import type { SqlValue } from '../types.ts';
import { resolveField } from './encode.ts';
import { insertSql } from './sql.ts';
import type { RecordWriter, Stamp } from './writes.ts';

/** Records per multi-row INSERT: fewer statement steps, within SQLite's 32766 parameters. */
const MAX_PARAMS = 32_000;

/**
 * Inserts rows already in store encoding, without validation, inside the caller's transaction.
 * Missing Id: generated; missing CreatedDate/UpdatedDate: the stamp time. Returns the row count.
 */
export function bulkInsertRows(
  writer: RecordWriter,
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
  const width = all.length + 3;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / width));
  const key = `bulk|${object.name}|${all.join(',')}`;
  const many = writer.statement(`${key}|${perStatement}`, () => insertSql(object.name, all, perStatement));
  const one = writer.statement(`${key}|1`, () => insertSql(object.name, all, 1));
  const params: SqlValue[] = new Array(perStatement * width);
  let filled = 0;
  let count = 0;
  for (const row of rows) {
    if (row.length !== names.length) {
      throw new RecordError(
        'INVALID_VALUE',
        `bulk row ${count + 1} into ${object.name} has ${row.length} values for ${names.length} columns`,
      );
    }
    let at = filled * width;
    for (const v of row) params[at++] = v;
    if (needsId) params[at++] = newId();
    for (const v of extra) params[at++] = v;
    params[at++] = stamp.seq;
    params[at++] = stamp.seq;
    params[at] = stamp.now;
    filled++;
    count++;
    if (filled === perStatement) {
      many.run(params);
      filled = 0;
    }
  }
  for (let r = 0; r < filled; r++) one.run(params.slice(r * width, (r + 1) * width));
  return count;
}
