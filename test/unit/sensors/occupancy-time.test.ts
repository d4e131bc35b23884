import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hourlyMeanTemperature,
  hourlyOccupancy,
  spaceOccupancyByQuarter,
} from '../../../src/domain/sensors/aggregate.js';
import { bookOccupancy } from '../../../src/domain/sensors/occupancy-time.js';
import { isSilentFor, staleAfterMinutes } from '../../../src/domain/sensors/staleness.js';
import type { SensorQuarter } from '../../../src/domain/sensors/types.js';

const Q = 15 * 60_000;
const H = 4 * Q;

describe('occupancy time booking', () => {
  it('splits a state across the quarters it spans', () => {
    const r = bookOccupancy(
      { occupied: true, bookedUntilMs: 10 * 60_000, lastMessageMs: 10 * 60_000 },
      40 * 60_000,
      H,
    );
    expect(r.quarters).toEqual([
      { startMs: 0, occupiedMs: 5 * 60_000, observedMs: 5 * 60_000 },
      { startMs: Q, occupiedMs: Q, observedMs: Q },
      { startMs: 2 * Q, occupiedMs: 10 * 60_000, observedMs: 10 * 60_000 },
    ]);
    expect(r.tracker.bookedUntilMs).toBe(40 * 60_000);
  });

  it('believes a state only for the carry limit after the last message', () => {
    const r = bookOccupancy({ occupied: false, bookedUntilMs: 0, lastMessageMs: 0 }, 3 * H, H);
    expect(r.quarters.reduce((s, q) => s + q.observedMs, 0)).toBe(H);
    expect(r.quarters.every((q) => q.occupiedMs === 0)).toBe(true);
    expect(r.tracker.bookedUntilMs).toBe(3 * H);
  });

  it('books each millisecond once, however the booking is split (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 * H }), { maxLength: 12 }), (steps) => {
        let tracker = { occupied: true, bookedUntilMs: 7_000, lastMessageMs: 7_000 };
        let total = 0;
        let t = 7_000;
        for (const s of steps) {
          t += s;
          const r = bookOccupancy(tracker, t, 100 * H);
          tracker = r.tracker;
          total += r.quarters.reduce((a, q) => a + q.observedMs, 0);
        }
        expect(total).toBe(t - 7_000);
      }),
    );
  });
});

const quarter = (over: Partial<SensorQuarter>): SensorQuarter => ({
  sensorId: 's',
  siteId: 'site',
  spaceId: 'lobby',
  kind: 'occupancy',
  startMs: 0,
  valueSum: 0,
  count: 0,
  occupiedMs: 0,
  observedMs: Q,
  ...over,
});

describe('sensor aggregates', () => {
  it('takes the most occupied sensor of a space per quarter, and weights hours by observed time', () => {
    const quarters = spaceOccupancyByQuarter([
      quarter({ sensorId: 'a', occupiedMs: Q / 4 }),
      quarter({ sensorId: 'b', occupiedMs: Q / 2 }),
      quarter({ sensorId: 'a', startMs: Q, occupiedMs: Q / 2, observedMs: Q / 2 }),
      quarter({ sensorId: 'a', startMs: 2 * Q, observedMs: 0 }),
    ]);
    expect(quarters).toEqual([
      { startMs: 0, fraction: 0.5, observed: 1 },
      { startMs: Q, fraction: 1, observed: 0.5 },
    ]);
    const hours = hourlyOccupancy(quarters);
    expect(hours).toHaveLength(1);
    expect(hours[0]?.fraction).toBeCloseTo((0.5 * 1 + 1 * 0.5) / 1.5, 12);
    expect(hours[0]?.observed).toBeCloseTo(1.5 / 4, 12);
  });

  it('averages outdoor temperature per hour over every sample', () => {
    const t = hourlyMeanTemperature([
      quarter({ kind: 'outdoor-temperature', valueSum: 30, count: 2 }),
      quarter({ kind: 'outdoor-temperature', startMs: Q, valueSum: 18, count: 1 }),
      quarter({ kind: 'outdoor-temperature', startMs: H, valueSum: 10, count: 1 }),
    ]);
    expect(t).toEqual([
      { hourStartMs: 0, temperatureC: 16, samples: 3 },
      { hourStartMs: H, temperatureC: 10, samples: 1 },
    ]);
  });
});

describe('staleness per kind', () => {
  it('uses the sensor’s own threshold, then the configured kind default, then ours', () => {
    expect(staleAfterMinutes('occupancy', undefined)).toBe(24 * 60);
    expect(staleAfterMinutes('indoor-temperature', undefined)).toBe(30);
    expect(staleAfterMinutes('illuminance', undefined, { illuminance: 45 })).toBe(45);
    expect(staleAfterMinutes('illuminance', 10, { illuminance: 45 })).toBe(10);
    expect(isSilentFor(undefined, 30, 0)).toBe(true);
    expect(isSilentFor(0, 30, 30 * 60_000)).toBe(false);
    expect(isSilentFor(0, 30, 30 * 60_000 + 1)).toBe(true);
  });
});
