import { localParts, zonedToEpoch } from '../../time/zone.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function validDay(y: number, m: number, d: number): boolean {
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Whether `s` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  return m !== null && validDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Offset text `Z`, `±hh`, `±hhmm` or `±hh:mm` in minutes, or undefined when out of range. */
function offsetOf(text: string): number | undefined {
  if (text === 'Z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const h = Number(digits.slice(0, 2));
  const mi = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (h > 23 || mi > 59) return undefined;
  return sign * (h * 60 + mi);
}

/**
 * Epoch milliseconds of a datetime text: `YYYY-MM-DDThh:mm[:ss[.fff]]` or with a space instead of `T`,
 * with `Z`, `±hh:mm` or `±hhmm` (no offset: wall time in `zone`), or a bare date (midnight in `zone`).
 * Undefined when the text is not such a datetime or names an impossible time.
 * @example parseDateTime('2024-01-01T00:00:00', 'America/Los_Angeles') === Date.UTC(2024, 0, 1, 8)
 */
export function parseDateTime(s: string, zone: string): number | undefined {
  const dm = DATE.exec(s);
  if (dm) {
    const y = Number(dm[1]);
    const mo = Number(dm[2]);
    const d = Number(dm[3]);
    return validDay(y, mo, d) ? zonedToEpoch(y, mo, d, 0, 0, 0, zone) : undefined;
  }
  const m = DATE_TIME.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  if (!validDay(y, mo, d) || h > 23 || mi > 59 || sec > 59) return undefined;
  // Milliseconds are what the store keeps; finer digits are truncated, not rounded into the next second.
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (m[8] === undefined) return zonedToEpoch(y, mo, d, h, mi, sec, zone) + ms;
  const offset = offsetOf(m[8]);
  if (offset === undefined) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset * 60_000;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * ISO 8601 text of an instant in `zone`, with its offset; milliseconds only when not zero.
 * @example formatDateTime(Date.UTC(2024, 0, 1, 8), 'America/Los_Angeles') === '2024-01-01T00:00:00-08:00'
 */
export function formatDateTime(ms: number, zone: string): string {
  const p = localParts(ms, zone);
  const frac = ((ms % 1000) + 1000) % 1000;
  const sign = p.offset < 0 ? '-' : '+';
  const off = Math.abs(p.offset);
  const fracText = frac === 0 ? '' : `.${pad(frac, 3)}`;
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${fracText}${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
}

/**
 * The calendar date of an instant in `zone`, `YYYY-MM-DD`.
 * @example localDate(Date.UTC(2024, 0, 1, 5), 'America/Los_Angeles') === '2023-12-31'
 */
export function localDate(ms: number, zone: string): string {
  const p = localParts(ms, zone);
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
}
