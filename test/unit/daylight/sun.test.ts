import { describe, expect, it } from 'vitest';
import { presenceDaylightPct } from '../../../src/domain/control/presence.js';
import { clearSkyGhiWm2, daylightLeftShare, sinSolarElevation } from '../../../src/domain/daylight/sun.js';

// Shanghai, 25 July 2026: sunset about 19:00 local (11:00 UTC).
const LAT = 31.11;
const LON = 121.5;
const local = (hhmm: string) => Date.parse(`2026-07-25T${hhmm}:00+08:00`);

describe('sun position', () => {
  it('puts the sun high at noon, low at dusk and below the horizon at night', () => {
    expect(sinSolarElevation(local('12:00'), LAT, LON)).toBeGreaterThan(0.9);
    const dusk = sinSolarElevation(local('18:30'), LAT, LON);
    expect(dusk).toBeGreaterThan(0);
    expect(dusk).toBeLessThan(0.15);
    expect(sinSolarElevation(local('23:00'), LAT, LON)).toBeLessThan(0);
    expect(clearSkyGhiWm2(sinSolarElevation(local('23:00'), LAT, LON))).toBe(0);
  });

  it('says how much of a reading is left: all of it at noon, less each minute at dusk', () => {
    expect(daylightLeftShare(local('12:00'), local('12:04'), LAT, LON)).toBeCloseTo(1, 2);
    const dusk = daylightLeftShare(local('18:29'), local('18:33'), LAT, LON);
    expect(dusk).toBeLessThan(0.85);
    expect(dusk).toBeGreaterThan(0.3);
    // A rising sun is not counted on.
    expect(daylightLeftShare(local('06:00'), local('06:04'), LAT, LON)).toBe(1);
    expect(daylightLeftShare(local('23:00'), local('23:04'), LAT, LON)).toBe(0);
  });
});

describe('daylight the presence level relies on', () => {
  const reading = { value: 124, tsMs: local('18:29'), stale: false };
  it('is the reading less the lights, discounted; at dusk, scaled by the sun since', () => {
    // 124 lx at the sensor with the lights at 0 % and 400 lx at full output: 31 % of full output.
    const flat = presenceDaylightPct(400, reading, 0, local('18:33'));
    expect(flat).toBeCloseTo(0.8 * 31 - 5, 6);
    const share = daylightLeftShare(reading.tsMs, local('18:33'), LAT, LON);
    const scaled = presenceDaylightPct(400, reading, 0, local('18:33'), { latitude: LAT, longitude: LON });
    expect(scaled).toBeCloseTo(Math.max(0, 0.8 * 31 * share - 5), 6);
    expect(scaled).toBeLessThan(flat);
  });

  it('subtracts the most the lights can have given when the reading was taken, after a dimming', () => {
    // The lights ran at 80 % when 60 lx of daylight was read (120 lx full output): 96 + 60 = 156 lx.
    // Two minutes later they run at 62 %; subtracting 62 % would read 18 points of the dimming as
    // daylight. At 10 %/min they can have run at 82 % then, so no more than the daylight is read.
    const read = { value: 156, tsMs: local('12:00'), stale: false };
    const naive = presenceDaylightPct(120, read, 62, local('12:02'));
    const bounded = presenceDaylightPct(120, read, 62, local('12:02'), undefined, 10);
    expect(naive).toBeCloseTo(0.8 * (50 + 18) - 5, 6);
    expect(bounded).toBeLessThanOrEqual(0.8 * 50 - 5 + 1e-9);
  });
});
