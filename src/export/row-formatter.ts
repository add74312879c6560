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
 * Each column remembers its last value and field: joined objects repeat on consecutive rows (an
 * invoice's items share its number and account), so most of their fields are not formatted again.
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
  // Formatters are pure, so a value equal (===) to the column's previous one has the same field.
  const lastValue: unknown[] = new Array(n).fill(undefined);
  const lastField: string[] = new Array(n).fill(nullText);
  const field = (i: number, v: unknown): string => {
    if (v === lastValue[i]) return lastField[i]!;
    const text = v === null || v === undefined ? nullText : cells[i]!(v);
    lastValue[i] = v;
    lastField[i] = text;
    return text;
  };
  if (n === 0) return flag ? (row) => `${flag(row[0])}\n` : () => '\n';
  return (row) => {
    let line = flag ? `${flag(row[0])},${field(0, row[first])}` : field(0, row[0]);
    for (let i = 1; i < n; i++) line += `,${field(i, row[i + first])}`;
    return `${line}\n`;
  };
}
