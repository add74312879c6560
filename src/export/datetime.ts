import { civilFromDays, offsetMinutes } from '../time/zone.ts';

const DAY = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
/** Days whose `YYYY-MM-DDT` prefix a formatter keeps (direct-mapped by day number). */
const DAY_SLOTS = 1024;

function year(y: number): string {
  if (y >= 1000 && y <= 9999) return String(y);
  if (y >= 0) return String(y).padStart(4, '0');
  return `-${String(-y).padStart(4, '0')}`;
}

function offsetText(offset: number, sep: string): string {
  const off = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${PAD2[Math.floor(off / 60)]}${sep}${PAD2[off % 60]}`;
}

/**
 * A function rendering epoch milliseconds as a datetime in `zone`:
 * `YYYY-MM-DDThh:mm:ss±hh:mm`, or `±hhmm` when `compactOffset` (AQuA's `dateTimeUtc: true`).
 * @example datetimeFormatter('America/Los_Angeles', false)(Date.UTC(2024, 0, 1, 8)) === '2024-01-01T00:00:00-08:00'
 */
export function datetimeFormatter(zone: string, compactOffset: boolean): (ms: number) => string {
  const sep = compactOffset ? '' : ':';
  // Rows of one export share few days and fewer offsets: build those parts once each.
  const dayKeys = new Float64Array(DAY_SLOTS).fill(Number.NaN);
  const dayTexts: string[] = new Array(DAY_SLOTS).fill('');
  const offsetTexts = new Map<number, string>();
  return (ms) => {
    const offset = offsetMinutes(ms, zone);
    const local = ms + offset * 60_000;
    const day = Math.floor(local / DAY);
    const slot = day & (DAY_SLOTS - 1);
    let date: string;
    if (dayKeys[slot] === day) date = dayTexts[slot]!;
    else {
      const c = civilFromDays(day);
      date = `${year(c.y)}-${PAD2[c.m]}-${PAD2[c.d]}T`;
      dayKeys[slot] = day;
      dayTexts[slot] = date;
    }
    let suffix = offsetTexts.get(offset);
    if (suffix === undefined) {
      suffix = offsetText(offset, sep);
      offsetTexts.set(offset, suffix);
    }
    let s = Math.floor((local - day * DAY) / 1000);
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const mi = Math.floor(s / 60);
    return `${date}${PAD2[h]}:${PAD2[mi]}:${PAD2[s - mi * 60]}${suffix}`;
  };
}
