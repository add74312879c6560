import type { FieldDef } from '../../schema/index.ts';
import type { RecordOutput } from '../types.ts';
import { formatDateTime } from './encode-time.ts';

/**
 * A stored value as the CRUD API returns it: booleans as true/false, datetimes as ISO 8601 text in the
 * tenant zone (which the encoder reads back to the same instant), everything else as stored.
 */
export function decodeValue(field: FieldDef, value: unknown, zone: string): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'boolean':
      return value === 1;
    case 'dateTime':
      return formatDateTime(Number(value), zone);
    case 'decimal':
      // PostgreSQL gives NUMERIC as exact text; at most 15 significant digits make it this number.
      return typeof value === 'string' ? Number(value) : Number(value as number);
    default:
      return typeof value === 'bigint' ? Number(value) : (value as string | number);
  }
}

/** A stored row (field values in `fields` order) as a record with canonical names. */
export function decodeRow(fields: readonly FieldDef[], row: readonly unknown[], zone: string): RecordOutput {
  const out: RecordOutput = {};
  fields.forEach((f, i) => {
    out[f.name] = decodeValue(f, row[i], zone);
  });
  return out;
}
