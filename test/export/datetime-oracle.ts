import assert from 'node:assert/strict';

/**
 * The oracle the datetime tests check the formatter against: the zone's exact offset at the instant from Intl's `longOffset` zone name (seconds
 * included, e.g. `GMT-07:52:58`), rounded to whole minutes as Math.round does (the formatter's rule,
 * shared by the COPY rendering), and the wall time of the instant's whole second plus that offset read
 * from `Date`'s own UTC calendar. Nothing of src/time/zone.ts is used.
 */
const offsetNames = new Map<string, Intl.DateTimeFormat>();

export function intlOffsetSeconds(ms: number, zone: string): number {
  let f = offsetNames.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetNames.set(zone, f);
  }
  const name = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value;
  if (name === 'GMT') return 0;
  const m = /^GMT([+-])(\d\d):(\d\d)(?::(\d\d))?$/.exec(name ?? '');
  assert.ok(m, `unexpected zone name ${name} for ${zone} at ${ms}`);
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -seconds : seconds;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function expected(ms: number, zone: string, compactOffset: boolean): string {
  const minutes = Math.round(intlOffsetSeconds(ms, zone) / 60);
  const second = ms - (((ms % 1000) + 1000) % 1000);
  const wall = new Date(second + minutes * 60_000);
  const y = wall.getUTCFullYear();
  const year = y < 0 ? `-${pad(-y, 4)}` : pad(y, 4);
  const abs = Math.abs(minutes);
  const offset = `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${compactOffset ? '' : ':'}${pad(abs % 60)}`;
  return (
    `${year}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T` +
    `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${offset}`
  );
}
