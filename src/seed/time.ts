/** Fixed calendar of the demo world: nothing depends on the clock, so the same seed gives the same data. */

const DAY = 86_400_000;

/** 2023-01-01T00:00:00Z: day 0 of the demo world. */
export const BASE_TIME = Date.UTC(2023, 0, 1);

/** Days the demo world spans (2023 and 2024). */
export const WORLD_DAYS = 731;

/**
 * Instants next to the America/Los_Angeles and Europe DST changes of 2024 (the gap at 02:00 local in
 * March, the repeated hour in November), used for some records' times.
 */
export const DST_EDGES = [
  Date.UTC(2024, 2, 10, 9, 59, 59),
  Date.UTC(2024, 2, 10, 10, 0, 0),
  Date.UTC(2024, 2, 31, 0, 59, 59),
  Date.UTC(2024, 2, 31, 1, 0, 0),
  Date.UTC(2024, 10, 3, 8, 30, 0),
  Date.UTC(2024, 10, 3, 9, 30, 0),
  Date.UTC(2024, 9, 27, 0, 30, 0),
  Date.UTC(2024, 9, 27, 1, 30, 0),
];

/** The same for 2023 (US changes on 12 March and 5 November). */
export const DST_EDGES_2023 = [
  Date.UTC(2023, 2, 12, 9, 59, 59),
  Date.UTC(2023, 2, 12, 10, 0, 0),
  Date.UTC(2023, 10, 5, 8, 30, 0),
  Date.UTC(2023, 10, 5, 9, 30, 0),
];

/** The day number of an instant. */
export function dayOf(ms: number): number {
  return Math.floor((ms - BASE_TIME) / DAY);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** The date `days` after day 0, 'YYYY-MM-DD'. */
export function dateOf(days: number): string {
  const d = new Date(BASE_TIME + days * DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The instant `days` days and `seconds` seconds after day 0. */
export function instantOf(days: number, seconds = 0): number {
  return BASE_TIME + days * DAY + seconds * 1000;
}

/** Day number of the first day of month `m` (0 = January 2023). */
export function monthStart(m: number): number {
  return Math.round((Date.UTC(2023, m, 1) - BASE_TIME) / DAY);
}

/** The date a number of months after a date, clamped to the month's end. */
export function addMonths(days: number, months: number): number {
  const d = new Date(BASE_TIME + days * DAY);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Math.round((Date.UTC(y, m, Math.min(d.getUTCDate(), last)) - BASE_TIME) / DAY);
}

/** Money from whole cents: the division is correctly rounded, so it is the double of the decimal. */
export function money(cents: number): number {
  return cents / 100;
}
