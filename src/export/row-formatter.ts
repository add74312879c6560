import type { FieldType } from '../schema/index.ts';
import { type CellFormatter, cellFormatter, deletedFormatter } from './cells.ts';
import { csvField } from './csv.ts';

/**
 * How values are rendered: CONTRACT 5.2.
 * @example const options: ExportOptions = { timeZone: 'America/Los_Angeles', dateTimeUtc: true, nullReplacement: 'null' };
 */
export interface ExportOptions {
  /** Tenant zone in which datetimes are written. */
  timeZone: string;
  /** AQuA's `dateTimeUtc`: true writes the offset as `±hhmm`, false as `±hh:mm`. */
  dateTimeUtc: boolean;
  /** Written for null values instead of an empty field. */
  nullReplacement?: string;
  /** The rows carry a first deleted-flag column (1/0), written as `Numeric` 1/0 or `Boolean` true/false. */
  deleted?: { format: 'Numeric' | 'Boolean' };
}

/**
 * A function turning one row (values as the store encodes them) into one CSV line ending in `\n`.
 * With `opts.deleted`, the row's first value is the deleted flag and `types` describe the rest.
 * Every line has one field per column, whatever the row's length.
 * @example
 * makeRowFormatter(['string', 'decimal'], { timeZone: 'UTC', dateTimeUtc: false })(['a,b', 0.1]) === '"a,b",0.1\n'
 */
export function makeRowFormatter(
  types: readonly FieldType[],
  opts: ExportOptions,
): (row: readonly unknown[]) => string {
  const cells: CellFormatter[] = types.map((t) => cellFormatter(t, opts));
  const nullText = opts.nullReplacement === undefined ? '' : csvField(opts.nullReplacement);
  const flag = opts.deleted ? deletedFormatter(opts.deleted.format) : undefined;
  const first = flag ? 1 : 0;
  const n = cells.length;
  return (row) => {
    let line = flag ? flag(row[0]) : '';
    for (let i = 0; i < n; i++) {
      const v = row[i + first];
      if (i + first > 0) line += ',';
      line += v === null || v === undefined ? nullText : cells[i]!(v);
    }
    return `${line}\n`;
  };
}
