import type { FieldType } from '../schema/index.ts';
import { csvField } from './csv.ts';
import { datetimeFormatter } from './datetime.ts';
import { formatDecimal } from './decimal.ts';

/** How values are rendered: CONTRACT 5.2. */
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

type Cell = (v: unknown) => string;

function text(v: unknown): string {
  return csvField(typeof v === 'string' ? v : String(v));
}

function integer(v: unknown): string {
  return typeof v === 'number' || typeof v === 'bigint' ? String(v) : formatDecimal(String(v));
}

function decimal(v: unknown): string {
  return formatDecimal(v as number | string | bigint);
}

function boolean(v: unknown): string {
  return v === 1 || v === true || v === '1' || v === 'true' ? 'true' : 'false';
}

function cellFormatter(type: FieldType, opts: ExportOptions): Cell {
  switch (type) {
    case 'decimal':
      return decimal;
    case 'integer':
      return integer;
    case 'boolean':
      return boolean;
    case 'dateTime': {
      const dt = datetimeFormatter(opts.timeZone, opts.dateTimeUtc);
      return (v) => (typeof v === 'number' ? dt(v) : text(v));
    }
    default:
      return text;
  }
}

/**
 * A function turning one row (values as the store encodes them) into one CSV line ending in `\n`.
 * With `opts.deleted`, the row's first value is the deleted flag and `types` describe the rest.
 * @example
 * makeRowFormatter(['string', 'decimal'], { timeZone: 'UTC', dateTimeUtc: false })(['a,b', 0.1]) === '"a,b",0.1\n'
 */
export function makeRowFormatter(
  types: readonly FieldType[],
  opts: ExportOptions,
): (row: readonly unknown[]) => string {
  const cells: Cell[] = types.map((t) => cellFormatter(t, opts));
  if (opts.deleted) {
    const [yes, no] = opts.deleted.format === 'Boolean' ? ['true', 'false'] : ['1', '0'];
    cells.unshift((v) => (v === 1 || v === true || v === '1' ? yes : no));
  }
  const nullText = opts.nullReplacement === undefined ? '' : csvField(opts.nullReplacement);
  const n = cells.length;
  return (row) => {
    let line = '';
    for (let i = 0; i < n; i++) {
      const v = row[i];
      if (i > 0) line += ',';
      line += v === null || v === undefined ? nullText : cells[i]!(v);
    }
    return `${line}\n`;
  };
}
