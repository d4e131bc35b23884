import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { slotOfWeek } from '../../../src/domain/planning/occupancy-profile.js';
import type { OccupancyFraction } from '../../../src/domain/sensors/types.js';
import { horizonWeekSlots, OccupancyProfileCache } from '../../../src/services/control/occupancy-cache.js';
import { occupancyForecast } from '../../../src/services/control/plan-builder.js';

const QUARTER = 15 * 60_000;
const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');

/** Deterministic pseudo-history: every quarter over 60 days, some unobserved, some occupied. */
function makeHistory(seed: number): OccupancyFraction[] {
  let x = seed >>> 0 || 1;
  const next = () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x / 2 ** 32;
  };
  return Array.from({ length: (60 * DAY) / QUARTER }, (_, i) => ({
    startMs: T0 + i * QUARTER,
    fraction: next() < 0.3 ? next() : 0,
    observed: next() < 0.1 ? 0 : 1,
  }));
}

function historyFn(all: OccupancyFraction[], reads: { n: number }) {
  return (_site: string, _space: string, fromMs: number, toMs: number) => {
    reads.n += 1;
    return all.filter((q) => q.startMs >= fromMs && q.startMs < toMs);
  };
}

describe('occupancy profile cache', () => {
  it('gives the same probabilities as reading four weeks at every plan', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 3, maxLength: 12 }),
        fc.constantFrom('Asia/Shanghai', 'Europe/Berlin'),
        (seed, steps, tz) => {
          const all = makeHistory(seed);
          const cache = new OccupancyProfileCache(historyFn(all, { n: 0 }));
          const prior = Array.from({ length: 96 }, (_, i) => (i % 3 === 0 ? 0.02 : 0.5));
          let t = T0 + 20 * DAY;
          for (const s of steps) {
            t += s * QUARTER;
            const window = all.filter((q) => q.startMs >= t - 28 * DAY && q.startMs < t);
            const expected = occupancyForecast(window, t, tz, prior);
            const got = cache.forecast('s', 'x', tz, t, prior);
            expect(got).toBeDefined();
            for (const [i, p] of (got ?? []).entries()) expect(p).toBeCloseTo(expected[i] ?? Number.NaN, 12);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('reads only the recent quarters at a plan after the first', () => {
    const all = makeHistory(7);
    let lastSpan = 0;
    const cache = new OccupancyProfileCache((_a, _b, fromMs, toMs) => {
      lastSpan = toMs - fromMs;
      return all.filter((q) => q.startMs >= fromMs && q.startMs < toMs);
    });
    const t = T0 + 40 * DAY;
    cache.forecast('s', 'x', 'Asia/Shanghai', t);
    expect(lastSpan).toBe(28 * DAY);
    cache.forecast('s', 'x', 'Asia/Shanghai', t + QUARTER);
    expect(lastSpan).toBeLessThanOrEqual(2 * 60 * 60_000);
  });

  it('is undefined without observed history', () => {
    const cache = new OccupancyProfileCache(() => []);
    expect(cache.forecast('s', 'x', 'Asia/Shanghai', T0)).toBeUndefined();
  });

  it('maps the horizon to slots of the week across a DST change', () => {
    const zone = IANAZone.create('Europe/Berlin');
    const start = Date.parse('2026-03-28T12:00:00Z');
    const slots = horizonWeekSlots(start, zone);
    for (const [i, w] of slots.entries()) expect(w).toBe(slotOfWeek(start + i * QUARTER, zone));
  });
});
