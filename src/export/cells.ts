import type { FieldType } from '../schema/index.ts';
import { csvField } from './csv.ts';
import { datetimeFormatter } from './datetime.ts';
import { formatDecimal, formatNumber } from './decimal.ts';

/**
 * Renders one non-null value of a column as a finished CSV field (already quoted when needed).
 * @example const cell: CellFormatter = cellFormatter('boolean', style); cell(1) === 'true'
 */
export type CellFormatter = (v: unknown) => string;

/**
 * How datetimes are written (CONTRACT 5.2).
 * @example const style: DateTimeStyle = { timeZone: 'Asia/Kolkata', dateTimeUtc: true };
 */
export interface DateTimeStyle {
  timeZone: string;
  dateTimeUtc: boolean;
}

function text(v: unknown): string {
  return csvField(typeof v === 'string' ? v : String(v));
}

function decimal(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string' || typeof v === 'bigint') return csvField(formatDecimal(v));
  return text(v);
}

function boolean(v: unknown): string {
  return v === 1 || v === true || v === '1' || v === 'true' ? 'true' : 'false';
}

/**
 * The formatter of a column of `type`, chosen once per export so no value pays for a type switch.
 * @example cellFormatter('decimal', { timeZone: 'UTC', dateTimeUtc: false })(1e21) === '1000000000000000000000'
 */
export function cellFormatter(type: FieldType, style: DateTimeStyle): CellFormatter {
  switch (type) {
    case 'decimal':
    case 'integer':
      return decimal;
    case 'boolean':
      return boolean;
    case 'dateTime': {
      const dt = datetimeFormatter(style.timeZone, style.dateTimeUtc);
      return (v) => (typeof v === 'number' ? dt(v) : text(v));
    }
    default:
      return text;
  }
}

/**
 * The formatter of the deleted flag column: `Numeric` 1/0 or `Boolean` true/false.
 * @example deletedFormatter('Boolean')(1) === 'true'
 */
export function deletedFormatter(format: 'Numeric' | 'Boolean'): CellFormatter {
  const [yes, no] = format === 'Boolean' ? ['true', 'false'] : ['1', '0'];
  return (v) => (v === 1 || v === true || v === '1' || v === 'true' ? yes : no);
}
