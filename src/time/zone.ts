/**
 * Time zone arithmetic without calling Intl per value: offsets are cached per zone and UTC day,
 * with the one transition a day may hold found by bisection to the second (transitions out of local
 * mean time fall on odd seconds, e.g. Africa/Monrovia at 1972-01-07T00:44:30Z).
 */

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Days in 400 Gregorian years, after which the calendar repeats. */
const ERA_DAYS = 146_097;

interface DayOffsets {
  start: number;
  end: number;
  /** First millisecond at which `end` applies (a whole second); only meaningful when start !== end. */
  switchAt: number;
}

/**
 * Epoch milliseconds of a UTC wall-clock time (months 1-12), out-of-range fields carried over as
 * `Date.UTC` does. Unlike `Date.UTC`, years 0-99 are those years, not 1900-1999.
 * @example utcEpoch(1, 1, 2, 16, 0, 0) === new Date('0001-01-02T16:00:00Z').getTime()
 */
export function utcEpoch(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  if (y >= 0 && y < 100) return Date.UTC(y + 400, mo - 1, d, h, mi, s, ms) - ERA_DAYS * DAY;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const dayCache = new Map<string, Map<number, DayOffsets>>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's UTC offset in minutes at an instant, asking Intl (slow path). */
function intlOffset(ms: number, zone: string): number {
  const parts = formatter(zone).formatToParts(new Date(ms));
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value);
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
      case 'era':
        bc = p.value === 'BC' || p.value === 'B';
        break;
    }
  }
  if (bc) y = 1 - y;
  const asUtc = utcEpoch(y, mo, d, h, mi, s);
  const floored = ms - (((ms % 1000) + 1000) % 1000);
  return Math.round((asUtc - floored) / MINUTE);
}

function offsetsOfDay(day: number, zone: string): DayOffsets {
  let cache = dayCache.get(zone);
  if (!cache) {
    cache = new Map();
    dayCache.set(zone, cache);
  }
  let entry = cache.get(day);
  if (entry) return entry;
  const t0 = day * DAY;
  const start = intlOffset(t0, zone);
  const end = intlOffset(t0 + DAY - 1, zone);
  let switchAt = t0 + DAY;
  if (start !== end) {
    // Offsets change on whole seconds: bisect over the day's seconds, `lo` at the old offset, `hi` not.
    let lo = t0 / 1000;
    let hi = (t0 + DAY) / 1000 - 1;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (intlOffset(mid * 1000, zone) === start) lo = mid;
      else hi = mid;
    }
    switchAt = hi * 1000;
  }
  entry = { start, end, switchAt };
  if (cache.size > 200_000) cache.clear();
  cache.set(day, entry);
  return entry;
}

/**
 * The UTC offset of `zone` at instant `ms`, in minutes (east positive).
 * @example offsetMinutes(Date.UTC(2024, 0, 1), 'America/Los_Angeles') === -480
 */
export function offsetMinutes(ms: number, zone: string): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  const o = offsetsOfDay(Math.floor(ms / DAY), zone);
  return ms < o.switchAt ? o.start : o.end;
}

/**
 * The instant at which the wall-clock time y-mo-d h:mi:s occurs in `zone` (months 1-12).
 * Times that do not exist (a spring-forward gap) move forward; ambiguous times take the earlier instant.
 * @example zonedToEpoch(2024, 1, 1, 0, 0, 0, 'America/Los_Angeles') === Date.UTC(2024, 0, 1, 8)
 */
export function zonedToEpoch(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  zone: string,
): number {
  const wall = utcEpoch(y, mo, d, h, mi, s);
  const first = wall - offsetMinutes(wall, zone) * MINUTE;
  const second = wall - offsetMinutes(first, zone) * MINUTE;
  if (first === second) return first;
  // Ambiguous or in a gap: prefer the candidate whose wall time round-trips, earliest first.
  const candidates = [Math.min(first, second), Math.max(first, second)];
  for (const c of candidates) if (c + offsetMinutes(c, zone) * MINUTE === wall) return c;
  return Math.max(first, second);
}

/** Whether `zone` is an IANA time zone name this runtime knows. */
export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Civil date of a day number since 1970-01-01 (proleptic Gregorian). */
export function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/**
 * Wall-clock parts of instant `ms` in `zone`, with the offset that applies.
 * @example localParts(Date.UTC(2024, 6, 1, 12), 'America/Los_Angeles').h === 5
 */
export function localParts(
  ms: number,
  zone: string,
): { y: number; m: number; d: number; h: number; mi: number; s: number; offset: number } {
  const offset = offsetMinutes(ms, zone);
  const local = ms + offset * MINUTE;
  const days = Math.floor(local / DAY);
  const { y, m, d } = civilFromDays(days);
  let rest = Math.floor((local - days * DAY) / 1000);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const mi = Math.floor(rest / 60);
  return { y, m, d, h, mi, s: rest - mi * 60, offset };
}
