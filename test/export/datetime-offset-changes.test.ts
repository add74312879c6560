import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { datetimeFormatter } from '../../src/export/index.ts';
import { offsetMinutes } from '../../src/time/zone.ts';
import { expected, intlOffsetSeconds } from './datetime-oracle.ts';

const WEEK = 7 * 86_400_000;

/**
 * The instants (whole seconds) from `from` to `to` at which the zone's offset changes, by a plain scan
 * of Intl: weekly, then each day, hour, minute and second of the week in which it changed.
 */
function transitions(zone: string, from: number, to: number): number[] {
  const found: number[] = [];
  let before = intlOffsetSeconds(from, zone);
  for (let t = from; t < to; t += WEEK) {
    const next = intlOffsetSeconds(t + WEEK, zone);
    if (next === before) continue;
    let at = t;
    for (const step of [86_400_000, 3_600_000, 60_000, 1000]) {
      while (intlOffsetSeconds(at + step, zone) === before) at += step;
    }
    found.push(at + 1000);
    before = next;
  }
  return found;
}

const ZONES = [
  'Africa/Monrovia',
  'Europe/Dublin',
  'America/St_Johns',
  'Europe/Paris',
  'Europe/Amsterdam',
  'Asia/Kolkata',
  'Europe/Moscow',
  'America/Los_Angeles',
];

describe('datetimes at zone changes off the whole minute', () => {
  it('take the new offset from the very second of the change (known values)', () => {
    const monrovia = datetimeFormatter('Africa/Monrovia', false);
    const change = Date.UTC(1972, 0, 7, 0, 44, 30);
    // Until then -0:44:30, written as -00:44 (rounded as Math.round does); then UTC.
    assert.equal(monrovia(change - 1), '1972-01-07T00:00:29-00:44');
    assert.equal(monrovia(change), '1972-01-07T00:44:30+00:00');
    assert.equal(monrovia(change + 29_999), '1972-01-07T00:44:59+00:00');
    assert.equal(datetimeFormatter('Africa/Monrovia', true)(change + 1000), '1972-01-07T00:44:31+0000');

    const dublin = datetimeFormatter('Europe/Dublin', false);
    // 1916-05-21 02:00 Dublin Mean Time (-0:25:21) became 03:00 Irish Summer Time (+0:34:39).
    const summer = Date.UTC(1916, 4, 21, 2, 25, 21);
    assert.equal(dublin(summer - 1000), '1916-05-21T02:00:20-00:25');
    assert.equal(dublin(summer), '1916-05-21T03:00:21+00:35');
    assert.equal(dublin(summer + 38_000), '1916-05-21T03:00:59+00:35');
    // 1916-10-01 03:00 Irish Summer Time became 02:00 GMT.
    const winter = Date.UTC(1916, 9, 1, 2, 25, 21);
    assert.equal(dublin(winter - 1), '1916-10-01T03:00:20+00:35');
    assert.equal(dublin(winter), '1916-10-01T02:25:21+00:00');
    assert.equal(offsetMinutes(winter + 38_999, 'Europe/Dublin'), 0);
  });

  it('match the oracle around every change from 1850 to 1980 in zones that left local mean time off the minute', () => {
    let offMinute = 0;
    for (const zone of ZONES) {
      const changes = transitions(zone, Date.UTC(1850, 0, 1), Date.UTC(1980, 0, 1));
      assert.ok(changes.length > 0, zone);
      const formatters = [false, true].map((c) => [c, datetimeFormatter(zone, c)] as const);
      for (const t of changes) {
        if (t % 60_000 !== 0) offMinute++;
        for (const d of [-60_000, -1001, -1000, -1, 0, 1, 999, 1000, 29_999, 30_000, 59_999, 60_000]) {
          for (const [compact, f] of formatters) {
            assert.equal(
              f(t + d),
              expected(t + d, zone, compact),
              `${zone} at ${new Date(t).toISOString()} ${d}`,
            );
          }
        }
      }
    }
    assert.ok(offMinute >= 5, `only ${offMinute} changes off the whole minute`);
  });
});
