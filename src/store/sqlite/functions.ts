import type Database from 'better-sqlite3';
import { localParts } from '../../time/zone.ts';
import { isoWeek, sundayWeek } from '../tenant/calendar.ts';
import {
  type AvgState,
  addDecimal,
  averageText,
  compareDecimals,
  type Decimal,
  formatDecimal,
  toDecimal,
} from '../tenant/decimal.ts';

/**
 * SQL functions the compiled queries call:
 * - `aqua_sum(x)`, `aqua_avg(x)`: exact decimal aggregates returning a plain decimal string
 *   (or NULL when no non-null value was seen);
 * - `aqua_deccmp(a, b)`: -1, 0 or 1 comparing two decimals exactly (NULL when either is NULL);
 * - `aqua_date(v, zone)`, `aqua_year`, `aqua_month`, `aqua_quarter`, `aqua_week`, `aqua_weekofyear`:
 *   date parts of a dateTime (epoch ms, read in `zone`) or of a date (`'YYYY-MM-DD'`, zone ignored).
 *
 * The arithmetic lives in tenant/decimal.ts and tenant/calendar.ts, shared with the PostgreSQL store.
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
