import { RecordError } from '../../errors.ts';
import { MAX_DECIMAL_DIGITS } from '../../limits.ts';
import type { FieldDef, ObjectDef } from '../../schema/index.ts';
import { getField } from '../../schema/index.ts';
import type { RecordInput, SqlValue } from '../types.ts';
import { checkDecimalNumber, checkDecimalText } from './encode-decimal.ts';
import { isCalendarDate, parseDateTime } from './encode-time.ts';

/**
 * Turns JSON or CSV input into the embedded store's value encoding (see store/types.ts), refusing
 * anything that would not come back exactly as given.
 *
 * Rules:
 * - An empty string is null for every type (CSV cannot tell them apart, so JSON input is read the same way).
 * - Required, createable and updateable flags are not enforced: loads carry whole exported records
 *   (system fields included) and the demo and users load partial records.
 */

const ID = /^[0-9a-f]{32}$/;
const ID_LENGTH = 32;
const INTEGER = /^[+-]?\d+$/;
const EPOCH = /^-?\d{1,15}$/;

/** A record in store encoding: canonical field names in describe order, with their values. */
export interface EncodedRecord {
  readonly columns: readonly string[];
  readonly values: readonly SqlValue[];
  /** The record's Id when the input gave one. */
  readonly id: string | undefined;
}

function where(object: ObjectDef, field: FieldDef): string {
  return `${object.name}.${field.name}`;
}

function shown(raw: unknown): string {
  const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : JSON.stringify(raw);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function invalid(object: ObjectDef, field: FieldDef, raw: unknown, expected: string): RecordError {
  return new RecordError(
    'INVALID_VALUE',
    `invalid ${field.type} '${shown(raw)}' for ${where(object, field)}: ${expected}`,
  );
}

/** Picklist values that form a closed set; lists the data model abbreviated or described in prose do not. */
function closedValues(field: FieldDef): readonly string[] | undefined {
  const values = field.values;
  if (!values || values.length === 0) return undefined;
  if (values.some((v) => v === '...' || v === 'fewer' || /^string of \d+ characters$/.test(v)))
    return undefined;
  return values;
}

function encodeText(
  object: ObjectDef,
  field: FieldDef,
  raw: unknown,
  max = field.maxLength ?? Infinity,
): string {
  let s: string;
  if (typeof raw === 'string') s = raw;
  else if (typeof raw === 'number' && Number.isFinite(raw)) s = String(raw);
  else if (typeof raw === 'boolean') s = String(raw);
  else throw new RecordError('INVALID_TYPE', `${where(object, field)} takes text, not ${shown(raw)}`);
  if (s.includes('\0')) {
    throw new RecordError('INVALID_VALUE', `${where(object, field)} may not contain a NUL character`);
  }
  // Length counts characters (code points), not UTF-16 units: an emoji is one character.
  if (s.length > max) {
    const chars = [...s].length;
    if (chars > max) {
      throw new RecordError(
        'INVALID_VALUE',
        `${where(object, field)} is ${chars} characters long; at most ${max} are allowed`,
      );
    }
  }
  return s;
}

function encodeId(object: ObjectDef, field: FieldDef, raw: unknown): string {
  if (typeof raw !== 'string') {
    throw new RecordError('INVALID_TYPE', `${where(object, field)} takes an id string, not ${shown(raw)}`);
  }
  if (field.name === 'Id' && !ID.test(raw)) {
    throw new RecordError(
      'INVALID_VALUE',
      `invalid Id '${shown(raw)}' for ${object.name}: expected 32 lowercase hexadecimal characters`,
    );
  }
  // Ids are 32 characters; the data model gives a few ID fields a smaller maxLength by mistake.
  return encodeText(object, field, raw, Math.max(field.maxLength ?? ID_LENGTH, ID_LENGTH));
}

function encodePicklist(object: ObjectDef, field: FieldDef, raw: unknown): string {
  const values = closedValues(field);
  // A listed value is valid whatever its length (the data model lists some longer than maxLength).
  const s = encodeText(object, field, raw, values === undefined ? field.maxLength : Infinity);
  if (!values || values.includes(s)) return s;
  // Accept a value that differs only in case, stored in its canonical spelling.
  const lower = s.toLowerCase();
  const match = values.find((v) => v.toLowerCase() === lower);
  if (match !== undefined) return match;
  throw invalid(object, field, raw, `expected one of ${values.map((v) => `'${v}'`).join(', ')}`);
}

function encodeDecimal(object: ObjectDef, field: FieldDef, raw: unknown): number {
  let check: ReturnType<typeof checkDecimalText>;
  let n: number;
  if (typeof raw === 'number') {
    check = checkDecimalNumber(raw);
    n = raw;
  } else if (typeof raw === 'string') {
    check = checkDecimalText(raw);
    n = Number(raw);
  } else {
    throw new RecordError('INVALID_TYPE', `${where(object, field)} takes a decimal, not ${shown(raw)}`);
  }
  if (!check.ok && check.reason === 'syntax') {
    throw invalid(object, field, raw, 'expected a number written like -11095, 77.86 or 1.5e3');
  }
  if (!check.ok) {
    throw invalid(
      object,
      field,
      raw,
      `it has ${check.digits} significant digits and at most ${MAX_DECIMAL_DIGITS} are kept exactly`,
    );
  }
  return n === 0 ? 0 : n;
}

function encodeInteger(object: ObjectDef, field: FieldDef, raw: unknown): number {
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && INTEGER.test(raw)) n = Number(raw);
  else if (typeof raw === 'string') throw invalid(object, field, raw, 'expected a whole number such as 12');
  else throw new RecordError('INVALID_TYPE', `${where(object, field)} takes an integer, not ${shown(raw)}`);
  if (!Number.isInteger(n)) throw invalid(object, field, raw, 'expected a whole number such as 12');
  if (!Number.isSafeInteger(n)) {
    throw invalid(object, field, raw, 'it is outside the range ±9007199254740991');
  }
  return n === 0 ? 0 : n;
}

function encodeBoolean(object: ObjectDef, field: FieldDef, raw: unknown): number {
  if (raw === true || raw === 1) return 1;
  if (raw === false || raw === 0) return 0;
  if (typeof raw === 'string') {
    const s = raw.toLowerCase();
    if (s === 'true' || s === '1') return 1;
    if (s === 'false' || s === '0') return 0;
    throw invalid(object, field, raw, 'expected true or false');
  }
  throw new RecordError('INVALID_TYPE', `${where(object, field)} takes true or false, not ${shown(raw)}`);
}

function encodeDate(object: ObjectDef, field: FieldDef, raw: unknown): string {
  if (typeof raw !== 'string') {
    throw new RecordError(
      'INVALID_TYPE',
      `${where(object, field)} takes a date 'YYYY-MM-DD', not ${shown(raw)}`,
    );
  }
  if (!isCalendarDate(raw)) throw invalid(object, field, raw, 'expected a calendar date written YYYY-MM-DD');
  return raw;
}

function encodeDateTime(object: ObjectDef, field: FieldDef, raw: unknown, zone: string): number {
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw)) throw invalid(object, field, raw, 'expected whole epoch milliseconds');
    return raw;
  }
  if (typeof raw !== 'string') {
    throw new RecordError('INVALID_TYPE', `${where(object, field)} takes a datetime, not ${shown(raw)}`);
  }
  if (EPOCH.test(raw)) return Number(raw);
  const ms = parseDateTime(raw, zone);
  if (ms === undefined) {
    throw invalid(
      object,
      field,
      raw,
      'expected YYYY-MM-DDThh:mm:ss with an optional .sss and Z or ±hh:mm (none: the tenant time zone)',
    );
  }
  return ms;
}

/**
 * One field's value in store encoding; null for null, undefined or ''.
 * @example encodeValue(getObject('Account')!, getField(getObject('Account')!, 'Balance')!, '77.86', 'UTC') === 77.86
 */
export function encodeValue(object: ObjectDef, field: FieldDef, raw: unknown, zone: string): SqlValue {
  if (raw === null || raw === undefined || raw === '') return null;
  switch (field.type) {
    case 'ID':
      return encodeId(object, field, raw);
    case 'string':
      return encodeText(object, field, raw);
    case 'picklist':
      return encodePicklist(object, field, raw);
    case 'decimal':
      return encodeDecimal(object, field, raw);
    case 'integer':
      return encodeInteger(object, field, raw);
    case 'boolean':
      return encodeBoolean(object, field, raw);
    case 'date':
      return encodeDate(object, field, raw);
    case 'dateTime':
      return encodeDateTime(object, field, raw, zone);
  }
}

/** The canonical field for an input name, or RecordError('INVALID_FIELD'). */
export function resolveField(object: ObjectDef, name: string): FieldDef {
  const field = getField(object, name);
  if (!field) throw new RecordError('INVALID_FIELD', `unknown field '${name}' on ${object.name}`);
  return field;
}

const positions = new WeakMap<ObjectDef, Map<string, number>>();

function position(object: ObjectDef, field: FieldDef): number {
  let map = positions.get(object);
  if (!map) {
    map = new Map(object.fields.map((f, i) => [f.name, i]));
    positions.set(object, map);
  }
  return map.get(field.name) ?? 0;
}

/**
 * A whole input record in store encoding. Names are matched ignoring case; a field named twice
 * (e.g. `name` and `Name`) is refused. Keys whose value is `undefined` are skipped.
 * @example encodeRecord(getObject('Account')!, { name: 'Acme', status: 'Active' }, 'UTC').columns // ['Name', 'Status']
 */
export function encodeRecord(object: ObjectDef, input: RecordInput, zone: string): EncodedRecord {
  const fields: FieldDef[] = [];
  const raws: unknown[] = [];
  for (const [name, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    const field = resolveField(object, name);
    if (fields.includes(field)) {
      throw new RecordError('INVALID_FIELD', `field ${object.name}.${field.name} is given twice`);
    }
    fields.push(field);
    raws.push(raw);
  }
  const order = fields
    .map((_, i) => i)
    .sort((a, b) => position(object, fields[a]!) - position(object, fields[b]!));
  const columns: string[] = [];
  const values: SqlValue[] = [];
  let id: string | undefined;
  for (const i of order) {
    const field = fields[i]!;
    const value = encodeValue(object, field, raws[i], zone);
    if (field.name === 'Id') {
      if (value !== null) id = value as string;
      continue;
    }
    columns.push(field.name);
    values.push(value);
  }
  return { columns, values, id };
}
