import { civilFromDays, localParts, utcEpoch, zonedToEpoch } from '../../time/zone.ts';
import type { Value, WallTime, ZoneSpec } from '../../zoql/index.ts';
import { daysFromCivil } from './calendar.ts';

/** A time value made concrete: a moment, or a calendar day with the zone that bounds it. */
export type ResolvedTime =
  | { readonly kind: 'instant'; readonly ms: number }
  | {
      readonly kind: 'day';
      readonly y: number;
      readonly m: number;
      readonly d: number;
      readonly zone: ZoneSpec;
    };

const UNIT_MS = { second: 1000, minute: 60_000, hour: 3_600_000 } as const;

type TimeValue = Extract<Value, { kind: 'date' | 'instant' | 'relative' }>;

/**
 * Resolves a date, datetime or relative literal: zone-less ones are read in `timeZone`, relative
 * ones from `now`. Relative days, weeks, months and years move the calendar, so `today - 1 month`
 * on March 31 is the last day of February.
 */
export function resolveTime(v: TimeValue, now: number, timeZone: string): ResolvedTime {
  const zone: ZoneSpec = v.zone ?? { name: timeZone };
  switch (v.kind) {
    case 'date':
      return { kind: 'day', y: v.y, m: v.m, d: v.d, zone };
    case 'instant':
      return { kind: 'instant', ms: toEpoch(v.wall, zone) };
    case 'relative': {
      if (v.unit === 'second' || v.unit === 'minute' || v.unit === 'hour') {
        const from = v.base === 'now' ? now : toEpoch(midnight(wallAt(now, zone)), zone);
        return { kind: 'instant', ms: from + v.amount * UNIT_MS[v.unit] };
      }
      const wall = wallAt(now, zone);
      const moved = moveCalendar(v.base === 'today' ? midnight(wall) : wall, v.amount, v.unit);
      if (v.base === 'today') return { kind: 'day', y: moved.y, m: moved.m, d: moved.d, zone };
      return { kind: 'instant', ms: toEpoch(moved, zone) };
    }
  }
}

/** The instant a wall-clock time names in a zone. */
export function toEpoch(w: WallTime, zone: ZoneSpec): number {
  if ('offsetMinutes' in zone)
    return utcEpoch(w.y, w.m, w.d, w.h, w.mi, w.s, w.ms) - zone.offsetMinutes * 60_000;
  return zonedToEpoch(w.y, w.m, w.d, w.h, w.mi, w.s, zone.name) + w.ms;
}

/** First and first-after instants of a day in its zone: the day is [start, end). */
export function dayRange(day: Extract<ResolvedTime, { kind: 'day' }>): { start: number; end: number } {
  const next = civilFromDays(daysFromCivil(day.y, day.m, day.d) + 1);
  return {
    start: toEpoch({ y: day.y, m: day.m, d: day.d, h: 0, mi: 0, s: 0, ms: 0 }, day.zone),
    end: toEpoch({ ...next, h: 0, mi: 0, s: 0, ms: 0 }, day.zone),
  };
}

/** The calendar day (in `timeZone`) holding an instant, and whether the instant is its first moment. */
export function dayOf(ms: number, timeZone: string): { date: string; exact: boolean } {
  const zone = { name: timeZone };
  const w = wallAt(ms, zone);
  const exact = toEpoch(midnight(w), zone) === ms;
  return { date: isoDate(w.y, w.m, w.d), exact };
}

export function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function wallAt(ms: number, zone: ZoneSpec): WallTime {
  const milli = ((ms % 1000) + 1000) % 1000;
  if ('offsetMinutes' in zone) {
    const t = new Date(ms + zone.offsetMinutes * 60_000);
    return {
      y: t.getUTCFullYear(),
      m: t.getUTCMonth() + 1,
      d: t.getUTCDate(),
      h: t.getUTCHours(),
      mi: t.getUTCMinutes(),
      s: t.getUTCSeconds(),
      ms: milli,
    };
  }
  const p = localParts(ms, zone.name);
  return { y: p.y, m: p.m, d: p.d, h: p.h, mi: p.mi, s: p.s, ms: milli };
}

function midnight(w: WallTime): WallTime {
  return { y: w.y, m: w.m, d: w.d, h: 0, mi: 0, s: 0, ms: 0 };
}

function moveCalendar(w: WallTime, amount: number, unit: 'day' | 'week' | 'month' | 'year'): WallTime {
  if (unit === 'day' || unit === 'week') {
    const c = civilFromDays(daysFromCivil(w.y, w.m, w.d) + amount * (unit === 'week' ? 7 : 1));
    return { ...w, y: c.y, m: c.m, d: c.d };
  }
  const months = w.y * 12 + (w.m - 1) + amount * (unit === 'year' ? 12 : 1);
  const y = Math.floor(months / 12);
  const m = months - y * 12 + 1;
  const last = civilFromDays(daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1).d;
  return { ...w, y, m, d: Math.min(w.d, last) };
}
