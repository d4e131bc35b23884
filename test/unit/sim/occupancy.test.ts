import { describe, expect, it } from 'vitest';
import type { SpaceType } from '../../../src/domain/energy.js';
import type { DayType } from '../../../src/sim/model/calendar.js';
import { arrivalRatePerHour, motionOccupied, stepOccupancy } from '../../../src/sim/model/occupancy.js';
import { SPACE_TYPE_PARAMS } from '../../../src/sim/model/profiles.js';
import { newStream, Rng } from '../../../src/sim/model/rng.js';

const rate = (type: SpaceType, day: DayType, hour: number) =>
  arrivalRatePerHour(SPACE_TYPE_PARAMS[type], SPACE_TYPE_PARAMS[type].referenceAreaM2, day, hour);

/** Hour (on a 15-minute grid) of the highest arrival rate between two hours. */
function peakHour(type: SpaceType, day: DayType, from: number, to: number): number {
  let best = from;
  for (let h = from; h <= to; h += 0.25) if (rate(type, day, h) > rate(type, day, best)) best = h;
  return best;
}

describe('arrival patterns by space type and day', () => {
  it('lobby: morning and evening commute peaks on workdays, quiet at night', () => {
    const morning = peakHour('lobby', 'workday', 5, 11);
    const evening = peakHour('lobby', 'workday', 15, 22);
    expect(morning).toBeGreaterThanOrEqual(7);
    expect(morning).toBeLessThanOrEqual(9);
    expect(evening).toBeGreaterThanOrEqual(17);
    expect(evening).toBeLessThanOrEqual(20);
    expect(rate('lobby', 'workday', morning)).toBeGreaterThan(2 * rate('lobby', 'workday', 14));
    expect(rate('lobby', 'workday', 3)).toBeLessThan(0.05 * rate('lobby', 'workday', morning));
    // Rest days have no sharp commute peak.
    expect(rate('lobby', 'restday', 7.8)).toBeLessThan(0.5 * rate('lobby', 'workday', 7.8));
  });

  it('gym: busiest on workday evenings and weekend mornings, closed at night', () => {
    const evening = peakHour('gym', 'workday', 6, 23);
    expect(evening).toBeGreaterThanOrEqual(18.5);
    expect(evening).toBeLessThanOrEqual(21);
    const restMorning = peakHour('gym', 'restday', 6, 13);
    expect(restMorning).toBeGreaterThanOrEqual(8.5);
    expect(restMorning).toBeLessThanOrEqual(11);
    expect(rate('gym', 'restday', 10)).toBeGreaterThan(3 * rate('gym', 'workday', 10));
    expect(rate('gym', 'workday', 2)).toBeLessThan(0.01);
  });

  it('garage: commute peaks; clubhouse: afternoons and weekends; corridors lightly used', () => {
    const gMorning = peakHour('garage', 'workday', 5, 11);
    expect(gMorning).toBeGreaterThanOrEqual(7);
    expect(gMorning).toBeLessThanOrEqual(8.5);
    expect(rate('garage', 'workday', gMorning)).toBeGreaterThan(4 * rate('garage', 'workday', 13));
    expect(rate('clubhouse', 'workday', 15.5)).toBeGreaterThan(3 * rate('clubhouse', 'workday', 10));
    expect(rate('clubhouse', 'restday', 15.5)).toBeGreaterThan(rate('clubhouse', 'workday', 15.5));
    expect(rate('clubhouse', 'workday', 23)).toBeLessThan(0.01);
    const perM2 = (type: SpaceType) => rate(type, 'workday', 19) / SPACE_TYPE_PARAMS[type].referenceAreaM2;
    expect(perM2('corridor')).toBeLessThan(perM2('lobby'));
    expect(rate('corridor', 'workday', 19)).toBeLessThan(rate('lobby', 'workday', 19) / 5);
  });

  it('scales with floor area', () => {
    const p = SPACE_TYPE_PARAMS.lobby;
    expect(arrivalRatePerHour(p, 300, 'workday', 8)).toBeCloseTo(
      2 * arrivalRatePerHour(p, 150, 'workday', 8),
      9,
    );
  });
});

describe('stochastic crowd', () => {
  it('holds on average arrivals x dwell people (Little), reproducibly', () => {
    const run = () => {
      const rng = new Rng(newStream(3, 'crowd'));
      let s = { count: 0, lastSeenMs: 0 };
      let sum = 0;
      const steps = 20_000;
      for (let i = 0; i < steps; i++) {
        s = stepOccupancy(s, 30, 20, i * 60_000, 60, rng);
        sum += s.count;
      }
      return sum / steps;
    };
    const mean = run();
    expect(mean).toBeGreaterThan(10 * 0.85);
    expect(mean).toBeLessThan(10 * 1.15);
    expect(run()).toBe(mean);
  });

  it('a motion sensor holds occupied after the last person leaves', () => {
    const s = { count: 0, lastSeenMs: 1_000_000 };
    expect(motionOccupied(s, 1_000_000 + 89_000, 90)).toBe(true);
    expect(motionOccupied(s, 1_000_000 + 91_000, 90)).toBe(false);
    expect(motionOccupied({ count: 2, lastSeenMs: 0 }, 10_000_000, 90)).toBe(true);
  });
});
