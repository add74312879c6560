import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { datetimeFormatter } from '../../src/export/index.ts';
import { localParts, utcEpoch, zonedToEpoch } from '../../src/time/zone.ts';
import { expected } from './datetime-oracle.ts';

/** Epoch ms of a UTC time in any year, through setUTCFullYear (Date.UTC reads 0-99 as 1900-1999). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, 0);
  return t.getTime();
}

const ZONES = [
  'UTC',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Africa/Monrovia',
  'Europe/Dublin',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Kiritimati',
  'America/Adak',
];

describe('datetimes in the years 0 to 99', () => {
  it('are written in that year with the zone’s local mean time offset (known values)', () => {
    const at = utc(1, 1, 2, 16);
    assert.equal(datetimeFormatter('UTC', false)(at), '0001-01-02T16:00:00+00:00');
    // Los Angeles LMT is -7:52:58, written to the minute: -07:53.
    assert.equal(datetimeFormatter('America/Los_Angeles', false)(at), '0001-01-02T08:07:00-07:53');
    assert.equal(datetimeFormatter('America/Los_Angeles', true)(at), '0001-01-02T08:07:00-0753');
    // Kolkata LMT is +5:53:28: +05:53.
    assert.equal(datetimeFormatter('Asia/Kolkata', false)(at), '0001-01-02T21:53:00+05:53');
    assert.equal(datetimeFormatter('UTC', true)(utc(99, 12, 31, 23, 59, 59)), '0099-12-31T23:59:59+0000');
    assert.equal(datetimeFormatter('UTC', false)(utc(0, 2, 29, 12)), '0000-02-29T12:00:00+00:00');
    assert.equal(datetimeFormatter('UTC', false)(utc(-1, 12, 31, 23, 59, 59)), '-0001-12-31T23:59:59+00:00');
  });

  it('match the oracle at random instants from the year -1 to 101, in both offset forms', () => {
    const formatters = new Map(
      ZONES.flatMap((z) => [false, true].map((c) => [`${z} ${c}`, datetimeFormatter(z, c)] as const)),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: utc(-1, 1, 1), max: utc(101, 12, 31, 23, 59, 59) + 999 }),
        fc.constantFrom(...ZONES),
        fc.boolean(),
        (ms, zone, compact) => {
          assert.equal(formatters.get(`${zone} ${compact}`)!(ms), expected(ms, zone, compact));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('match the oracle at the edges of each year 0 to 100', () => {
    for (const zone of ZONES) {
      const f = datetimeFormatter(zone, false);
      for (let y = 0; y <= 100; y++) {
        for (const ms of [utc(y, 1, 1) - 1, utc(y, 1, 1), utc(y, 3, 1) - 1, utc(y, 12, 31, 12)]) {
          assert.equal(f(ms), expected(ms, zone, false), `${zone} ${ms}`);
        }
      }
    }
  });

  it('read back: wall times of those years name the instant they were written from', () => {
    for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
      for (const y of [0, 1, 12, 50, 99, 100]) {
        const ms = utc(y, 6, 15, 10, 20, 30);
        const p = localParts(ms, zone);
        assert.equal(p.y, y);
        assert.equal(zonedToEpoch(p.y, p.m, p.d, p.h, p.mi, p.s, zone), ms, `${zone} ${y}`);
      }
    }
  });

  it('utcEpoch reads every year as itself, carrying over fields as Date.UTC does', () => {
    assert.equal(utcEpoch(1, 1, 2, 16), utc(1, 1, 2, 16));
    assert.equal(utcEpoch(0, 1, 1), utc(0, 1, 1));
    assert.equal(utcEpoch(99, 13, 1), utc(100, 1, 1));
    assert.equal(utcEpoch(50, 3, 0), utc(50, 2, 28));
    assert.equal(utcEpoch(-5, 7, 4, 1, 2, 3), utc(-5, 7, 4, 1, 2, 3));
    assert.equal(utcEpoch(2024, 2, 29, 23, 59, 59, 999), Date.UTC(2024, 1, 29, 23, 59, 59, 999));
  });
});
