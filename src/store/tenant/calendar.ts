import { civilFromDays } from '../../time/zone.ts';

/**
 * Calendar arithmetic behind the date functions (WEEK, WEEKOFYEAR) and relative date literals. The
 * PostgreSQL functions (postgres/functions.ts) follow the same definitions.
 */

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
