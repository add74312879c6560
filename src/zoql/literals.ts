import { QueryError } from '../errors.ts';
import type { FieldType } from '../schema/index.ts';
import { isValidZone } from '../time/zone.ts';
import type { LiteralNode } from './ast.ts';
import type { RelativeUnit, Value, ZoneSpec } from './model.ts';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?)?$/i;
const RELATIVE =
  /^\s*(now|today)\s*(?:([+-])\s*(\d{1,9})\s*(second|minute|hour|day|week|month|year)s?)?\s*(?:\(\s*([^()]*?)\s*\))?\s*$/i;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, m: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] ?? 0);
}

function fail(lit: LiteralNode, reason: string): never {
  throw new QueryError(reason, lit.line, lit.column);
}

function shown(lit: LiteralNode): string {
  return lit.type === 'string' ? `'${lit.text}'` : lit.text;
}

const TYPE_WORDS: Record<FieldType, string> = {
  ID: 'an ID',
  string: 'a text',
  picklist: 'a picklist',
  decimal: 'a decimal',
  integer: 'an integer',
  boolean: 'a boolean',
  date: 'a date',
  dateTime: 'a dateTime',
};

/** `a decimal field`, `an ID field`: how errors name a type. */
export function typeWords(type: FieldType): string {
  return TYPE_WORDS[type];
}

function mismatch(lit: LiteralNode, type: FieldType, subject: string): never {
  return fail(lit, `${shown(lit)} is not a valid value for ${subject}, ${typeWords(type)} field`);
}

/**
 * Types a literal for an expression of `type` named `subject` (for messages), or explains why it
 * cannot stand there.
 * @example typedValue({ kind: 'literal', type: 'string', text: '12.5', line: 1, column: 1 }, 'decimal', 'Account.Balance')
 */
export function typedValue(lit: LiteralNode, type: FieldType, subject: string): Value {
  switch (type) {
    case 'ID':
    case 'string':
    case 'picklist':
      if (lit.type === 'boolean') mismatch(lit, type, subject);
      return { kind: 'string', value: lit.text };
    case 'decimal':
    case 'integer': {
      if ((lit.type !== 'string' && lit.type !== 'number') || !NUMBER.test(lit.text.trim()))
        mismatch(lit, type, subject);
      const value = Number(lit.text.trim());
      if (!Number.isFinite(value)) mismatch(lit, type, subject);
      return { kind: 'number', value };
    }
    case 'boolean': {
      const word = lit.text.toLowerCase();
      if ((lit.type !== 'string' && lit.type !== 'boolean') || (word !== 'true' && word !== 'false'))
        mismatch(lit, type, subject);
      return { kind: 'boolean', value: word === 'true' };
    }
    case 'date':
    case 'dateTime':
      if (lit.type !== 'string' && lit.type !== 'datetime') mismatch(lit, type, subject);
      return timeValue(lit, subject);
  }
}

function timeValue(lit: LiteralNode, subject: string): Value {
  const text = lit.text.trim();
  const m = DATE_TIME.exec(text);
  if (m) return absoluteTime(lit, m);
  const r = RELATIVE.exec(text);
  if (r) {
    const zone = r[5] === undefined || r[5] === '' ? undefined : zoneSpec(lit, r[5]);
    const amount = r[3] === undefined ? 0 : Number(r[3]) * (r[2] === '-' ? -1 : 1);
    const unit = (r[4]?.toLowerCase() ?? 'day') as RelativeUnit;
    return { kind: 'relative', base: r[1]!.toLowerCase() as 'now' | 'today', amount, unit, zone };
  }
  return fail(
    lit,
    `${shown(lit)} is not a valid date or datetime for ${subject}: write YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss][Z|±hh:mm], or a relative time like 'today - 30 days'`,
  );
}

function absoluteTime(lit: LiteralNode, m: RegExpExecArray): Value {
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) fail(lit, `'${lit.text}' is not a valid date`);
  if (m[4] === undefined) return { kind: 'date', y, m: mo, d };
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  if (h > 23 || mi > 59 || s > 59) fail(lit, `'${lit.text}' is not a valid time of day`);
  let zone: ZoneSpec | undefined;
  if (m[8] !== undefined) zone = { offsetMinutes: 0 };
  else if (m[9] !== undefined) zone = offsetSpec(lit, m[9], m[10]!, m[11]!);
  return { kind: 'instant', wall: { y, m: mo, d, h, mi, s, ms }, zone };
}

function offsetSpec(lit: LiteralNode, sign: string, hh: string, mm: string): ZoneSpec {
  const hours = Number(hh);
  const minutes = Number(mm);
  if (hours > 14 || minutes > 59) fail(lit, `'${sign}${hh}:${mm}' is not a valid UTC offset`);
  return { offsetMinutes: (sign === '-' ? -1 : 1) * (hours * 60 + minutes) };
}

function zoneSpec(lit: LiteralNode, text: string): ZoneSpec {
  const o = OFFSET.exec(text);
  if (o) return offsetSpec(lit, o[1]!, o[2]!, o[3]!);
  if (!isValidZone(text))
    fail(lit, `'${text}' is not a time zone: write an offset like -08:00 or a name like America/Los_Angeles`);
  return { name: text };
}

/**
 * Where a like pattern holds a `%` between other characters (only leading and trailing runs of `%`
 * are wildcards AQuA knows), or -1.
 * @example misplacedPercent('ab%c') === 2
 */
export function misplacedPercent(pattern: string): number {
  let first = 0;
  while (first < pattern.length && pattern[first] === '%') first++;
  let last = pattern.length - 1;
  while (last >= first && pattern[last] === '%') last--;
  for (let i = first; i <= last; i++) if (pattern[i] === '%') return i;
  return -1;
}
