import type Database from 'better-sqlite3';
import { civilFromDays, localParts } from '../../time/zone.ts';

/**
 * SQL functions the compiled queries call:
 * - `aqua_sum(x)`, `aqua_avg(x)`: exact decimal aggregates returning a plain decimal string
 *   (or NULL when no non-null value was seen);
 * - `aqua_deccmp(a, b)`: -1, 0 or 1 comparing two decimals exactly (NULL when either is NULL);
 * - `aqua_date(v, zone)`, `aqua_year`, `aqua_month`, `aqua_quarter`, `aqua_week`, `aqua_weekofyear`:
 *   date parts of a dateTime (epoch ms, read in `zone`) or of a date (`'YYYY-MM-DD'`, zone ignored).
 *
 * WEEK follows the common SQL convention of weeks starting on Sunday, numbered 0–53, where week 1
 * starts on the first Sunday of the year; WEEKOFYEAR is the ISO 8601 week (Monday first, 1–53).
 */
export function registerFunctions(db: Database.Database): void {
  db.aggregate('aqua_sum', {
    start: () => null as Decimal | null,
    step: (acc: Decimal | null, v: unknown) =>
      v === null || v === undefined ? acc : addDecimal(acc, toDecimal(v)),
    result: (acc: Decimal | null) => (acc === null ? null : formatDecimal(acc)),
    deterministic: true,
  });
  db.aggregate('aqua_avg', {
    start: () => null as AvgState | null,
    step: (acc: AvgState | null, v: unknown) => {
      if (v === null || v === undefined) return acc;
      const d = toDecimal(v);
      return acc === null ? { sum: d, count: 1n } : { sum: addDecimal(acc.sum, d), count: acc.count + 1n };
    },
    result: (acc: AvgState | null) => (acc === null ? null : averageText(acc)),
    deterministic: true,
  });
  db.function('aqua_deccmp', { deterministic: true }, (a: unknown, b: unknown) =>
    a === null || b === null ? null : compareDecimals(toDecimal(a), toDecimal(b)),
  );
  const datePart = (name: string, part: (y: number, m: number, d: number) => number | string) => {
    db.function(name, { deterministic: true }, (v: unknown, zone: unknown) => {
      const c = civilOf(v, typeof zone === 'string' ? zone : 'UTC');
      return c === null ? null : part(c.y, c.m, c.d);
    });
  };
  datePart('aqua_date', (y, m, d) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
  datePart('aqua_year', (y) => y);
  datePart('aqua_month', (_y, m) => m);
  datePart('aqua_quarter', (_y, m) => Math.floor((m - 1) / 3) + 1);
  datePart('aqua_week', sundayWeek);
  datePart('aqua_weekofyear', isoWeek);
}

/** A decimal `n / 10^scale`, exact. */
export interface Decimal {
  readonly n: bigint;
  readonly scale: number;
}

interface AvgState {
  readonly sum: Decimal;
  readonly count: bigint;
}

/** Places kept by an average, at least (more when the inputs carry more). */
const AVG_PLACES = 10;

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The exact decimal a stored value stands for. A REAL's shortest round-trip text is the decimal
 * that was stored, because stored decimals carry at most 15 significant digits.
 * @example formatDecimal(toDecimal(0.1)) === '0.1'
 */
export function toDecimal(v: unknown): Decimal {
  if (typeof v === 'bigint') return { n: v, scale: 0 };
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return { n: BigInt(v), scale: 0 };
    if (!Number.isFinite(v)) throw new RangeError(`not a finite decimal: ${v}`);
    return parseDecimal(String(v));
  }
  if (typeof v === 'string') return parseDecimal(v);
  throw new TypeError(`not a decimal: ${String(v)}`);
}

/** Parses plain or exponent decimal text exactly. */
export function parseDecimal(text: string): Decimal {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) throw new RangeError(`not a decimal: ${text}`);
  const frac = m[3] ?? '';
  let n = BigInt(`${m[2] || '0'}${frac}`);
  let scale = frac.length - (m[4] === undefined ? 0 : Number(m[4]));
  if (scale < 0) {
    n *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { n: m[1] === '-' ? -n : n, scale };
}

function align(a: Decimal, scale: number): bigint {
  return a.n * 10n ** BigInt(scale - a.scale);
}

/** a + b, exactly; a null left side stands for "nothing summed yet". */
export function addDecimal(a: Decimal | null, b: Decimal): Decimal {
  if (a === null) return b;
  const scale = Math.max(a.scale, b.scale);
  return { n: align(a, scale) + align(b, scale), scale };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = align(a, scale);
  const y = align(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Plain notation without exponent or trailing zeros.
 * @example formatDecimal({ n: -1109500n, scale: 2 }) === '-11095'
 */
export function formatDecimal(d: Decimal): string {
  let { n, scale } = d;
  while (scale > 0 && n % 10n === 0n) {
    n /= 10n;
    scale--;
  }
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString();
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, '0');
  const text = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** sum / count, rounded half away from zero. */
function averageText(acc: AvgState): string {
  const places = Math.max(AVG_PLACES, acc.sum.scale);
  const num = acc.sum.n * 10n ** BigInt(places - acc.sum.scale);
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let q = abs / acc.count;
  if ((abs % acc.count) * 2n >= acc.count) q += 1n;
  return formatDecimal({ n: negative ? -q : q, scale: places });
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function civilOf(v: unknown, zone: string): { y: number; m: number; d: number } | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const m = /^(-?\d{4,})-(\d{2})-(\d{2})/.exec(v);
    return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
  }
  const ms = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
  if (!Number.isFinite(ms)) return null;
  const p = localParts(ms, zone);
  return { y: p.y, m: p.m, d: p.d };
}

/** Days since 1970-01-01 of a civil date (proleptic Gregorian), the inverse of civilFromDays. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** Sunday-first week, 0–53; week 1 begins on the year's first Sunday. */
export function sundayWeek(y: number, m: number, d: number): number {
  const jan1 = daysFromCivil(y, 1, 1);
  const doy = daysFromCivil(y, m, d) - jan1;
  const firstSunday = (7 - weekday(jan1)) % 7;
  return doy < firstSunday ? 0 : Math.floor((doy - firstSunday) / 7) + 1;
}

/** ISO 8601 week number, 1–53. */
export function isoWeek(y: number, m: number, d: number): number {
  const days = daysFromCivil(y, m, d);
  const isoDay = ((weekday(days) + 6) % 7) + 1; // Monday 1 … Sunday 7
  const thursday = days + 4 - isoDay;
  const ty = civilFromDays(thursday).y;
  return Math.floor((thursday - daysFromCivil(ty, 1, 1)) / 7) + 1;
}
