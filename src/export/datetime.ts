import { localParts } from '../time/zone.ts';

const PAD2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function year(y: number): string {
  if (y >= 1000 && y <= 9999) return String(y);
  if (y >= 0) return String(y).padStart(4, '0');
  return `-${String(-y).padStart(4, '0')}`;
}

/**
 * A function rendering epoch milliseconds as a datetime in `zone`:
 * `YYYY-MM-DDThh:mm:ss±hh:mm`, or `±hhmm` when `compactOffset` (AQuA's `dateTimeUtc: true`).
 * @example datetimeFormatter('America/Los_Angeles', false)(Date.UTC(2024, 0, 1, 8)) === '2024-01-01T00:00:00-08:00'
 */
export function datetimeFormatter(zone: string, compactOffset: boolean): (ms: number) => string {
  const sep = compactOffset ? '' : ':';
  return (ms) => {
    const p = localParts(ms, zone);
    const off = Math.abs(p.offset);
    const sign = p.offset < 0 ? '-' : '+';
    return `${year(p.y)}-${PAD2[p.m]}-${PAD2[p.d]}T${PAD2[p.h]}:${PAD2[p.mi]}:${PAD2[p.s]}${sign}${PAD2[Math.floor(off / 60)]}${sep}${PAD2[off % 60]}`;
  };
}
