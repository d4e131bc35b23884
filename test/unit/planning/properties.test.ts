import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ComfortLimits,
  DEFAULT_LIGHTING_TUNING,
  daylightPct,
  onOccupancyEvent,
  type PlanInput,
  planSpace,
  type ScheduledHvac,
  setpointRange,
  staggerHvac,
} from '../../../src/domain/planning/index.js';
import { SLOTS, T0 } from './fixtures.js';

const comfortArb: fc.Arbitrary<ComfortLimits> = fc
  .record({
    coolSetpointMinC: fc.integer({ min: 24, max: 27 }),
    coolSpan: fc.integer({ min: 0, max: 4 }),
    heatSetpointMaxC: fc.integer({ min: 18, max: 21 }),
    heatSpan: fc.integer({ min: 0, max: 6 }),
    lowBelow: fc.integer({ min: 0, max: 3 }),
    highAbove: fc.integer({ min: 0, max: 3 }),
  })
  .filter((c) => c.heatSetpointMaxC < c.coolSetpointMinC)
  .map((c) => ({
    coolSetpointMinC: c.coolSetpointMinC,
    coolSetpointMaxC: c.coolSetpointMinC + c.coolSpan,
    heatSetpointMaxC: c.heatSetpointMaxC,
    heatSetpointMinC: c.heatSetpointMaxC - c.heatSpan,
    comfortLowC: c.heatSetpointMaxC - c.lowBelow,
    comfortHighC: c.coolSetpointMinC + c.highAbove,
  }));

const series = (min: number, max: number) =>
  fc.array(fc.double({ min, max, noNaN: true }), { minLength: 1, maxLength: SLOTS });

const inputArb = fc
  .record({
    safetyMin: fc.integer({ min: 0, max: 40 }),
    occupiedExtra: fc.integer({ min: 0, max: 60 }),
    devMinBelow: fc.integer({ min: 0, max: 40 }),
    devMaxAbove: fc.integer({ min: 0, max: 40 }),
    prob: series(0, 1),
    outdoor: series(-15, 42),
    price: series(0.05, 2),
    occupied: fc.option(fc.boolean(), { nil: undefined }),
    indoor: fc.option(fc.double({ min: 5, max: 40, noNaN: true }), { nil: undefined }),
    lux: fc.option(fc.double({ min: 0, max: 3000, noNaN: true }), { nil: undefined }),
    currentLevel: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    fullLux: fc.option(fc.double({ min: 50, max: 1000, noNaN: true }), { nil: undefined }),
    comfort: comfortArb,
    season: fc.constantFrom('cool' as const, 'heat' as const),
    schedOn: fc.array(fc.boolean(), { minLength: SLOTS, maxLength: SLOTS }),
    schedSp: fc.double({ min: 10, max: 32, noNaN: true }),
    hvacMinBelow: fc.double({ min: 0, max: 10, noNaN: true }),
    hvacMaxAbove: fc.double({ min: 0, max: 10, noNaN: true }),
    a: fc.double({ min: 0.02, max: 2, noNaN: true }),
    gain: fc.double({ min: -1, max: 2, noNaN: true }),
    cap: fc.double({ min: 0.5, max: 10, noNaN: true }),
  })
  .map((r) => {
    const occupiedLevel = Math.min(100, r.safetyMin + r.occupiedExtra);
    const range = setpointRange(r.comfort, r.season);
    const schedule: ScheduledHvac[] = r.schedOn.map((on) =>
      on ? { mode: r.season, setpointC: r.schedSp } : { mode: 'off' },
    );
    const input: PlanInput = {
      spaceId: 's',
      spaceType: 'garage',
      startMs: T0,
      occupancyProbability: r.prob,
      outdoorTempC: r.outdoor,
      pricePerKWh: r.price,
      sensors: {
        ...(r.occupied === undefined ? {} : { occupied: r.occupied }),
        ...(r.indoor === undefined ? {} : { indoorTempC: r.indoor }),
        ...(r.lux === undefined ? {} : { illuminanceLux: r.lux, illuminanceTsMs: T0 }),
      },
      lighting: {
        devices: [
          {
            deviceId: 'l',
            ratedPowerW: 100,
            minLevelPct: Math.max(0, r.safetyMin - r.devMinBelow),
            maxLevelPct: Math.min(100, occupiedLevel + r.devMaxAbove),
          },
        ],
        levels: { safetyMinLevelPct: r.safetyMin, occupiedLevelPct: occupiedLevel },
        ...(r.currentLevel === undefined ? {} : { currentLevelPct: r.currentLevel }),
        ...(r.fullLux === undefined ? {} : { fullOutputLux: r.fullLux }),
      },
      hvac: {
        devices: [
          {
            deviceId: 'h',
            ratedPowerW: 3000,
            minSetpointC: range.loC - r.hvacMinBelow,
            maxSetpointC: range.hiC + r.hvacMaxAbove,
          },
        ],
        comfort: r.comfort,
        rates: { aPerH: r.a, gainKPerH: r.gain, coolKPerH: -r.cap, heatKPerH: r.cap },
        schedule,
      },
    };
    return { input, season: r.season, range };
  });

describe('plan properties', () => {
  it('every planned value is inside device limits, the comfort band and the space-type minimums', () => {
    fc.assert(
      fc.property(inputArb, ({ input, season, range }) => {
        const plan = planSpace(input, T0);
        const lighting = input.lighting;
        const dev = lighting?.devices[0];
        const lp = plan.lighting[0];
        if (!lighting || !dev || !lp) return false;
        expect(lp.slots).toHaveLength(SLOTS);
        const hasSensor = input.sensors.occupied !== undefined;
        const threshold = hasSensor
          ? DEFAULT_LIGHTING_TUNING.occupiedProbabilityWithSensor
          : DEFAULT_LIGHTING_TUNING.occupiedProbability;
        const day = daylightPct(input.sensors, lighting.currentLevelPct, lighting.fullOutputLux);
        lp.slots.forEach((s, i) => {
          expect(s.levelPct).toBeGreaterThanOrEqual(dev.minLevelPct ?? 0);
          expect(s.levelPct).toBeLessThanOrEqual(dev.maxLevelPct ?? 100);
          expect(s.levelPct).toBeGreaterThanOrEqual(lighting.levels.safetyMinLevelPct);
          const prob = input.occupancyProbability[Math.min(i, input.occupancyProbability.length - 1)] ?? 0;
          const fresh = i < 2 ? day : 0;
          // In the current slot a working sensor decides, not the forecast.
          if (prob >= threshold && !(i === 0 && hasSensor)) {
            expect(s.levelPct + fresh).toBeGreaterThanOrEqual(lighting.levels.occupiedLevelPct - 1e-9);
          }
        });
        const hp = plan.hvac[0];
        expect(hp?.slots).toHaveLength(SLOTS);
        for (const s of hp?.slots ?? []) {
          if (s.mode === 'off') continue;
          expect(s.mode).toBe(season);
          expect(s.setpointC).toBeDefined();
          expect(s.setpointC as number).toBeGreaterThanOrEqual(range.loC - 1e-9);
          expect(s.setpointC as number).toBeLessThanOrEqual(range.hiC + 1e-9);
        }
        expect(Number.isFinite(plan.hvacCost)).toBe(true);
        return true;
      }),
      { numRuns: 100, seed: 42 },
    );
  });

  it('the peak stagger holds the limit for any set of plans', () => {
    fc.assert(
      fc.property(
        fc.array(inputArb, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 12 }),
        (cases, limitKW) => {
          const plans = cases.map(({ input }, k) => planSpace({ ...input, spaceId: `s${k}` }, T0));
          const out = staggerHvac(plans, limitKW);
          for (let i = 0; i < SLOTS; i++) {
            let kw = 0;
            for (const p of out)
              for (const d of p.hvac) if (d.slots[i]?.mode !== 'off') kw += d.ratedPowerW / 1000;
            expect(kw).toBeLessThanOrEqual(limitKW + 1e-9);
          }
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it('an occupancy event never lowers the lights and never leaves them under the safety minimum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 200, noNaN: true }), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 0, max: 7_200_000 }),
        (safetyMin, occupiedExtra, current, day, occupied, ageMs) => {
          const levels = {
            safetyMinLevelPct: safetyMin,
            occupiedLevelPct: Math.min(100, safetyMin + occupiedExtra),
          };
          const state = {
            levels,
            currentLevelPct: current,
            ...(day === undefined ? {} : { daylightPct: day, daylightTsMs: T0 }),
          };
          const d = onOccupancyEvent(state, { occupied, tsMs: T0 + ageMs }, T0 + ageMs);
          expect(d.levelPct).toBeGreaterThanOrEqual(safetyMin);
          expect(d.levelPct).toBeGreaterThanOrEqual(current);
          if (d.action === 'raise') expect(occupied).toBe(true);
          if (occupied && (day === undefined || ageMs > 30 * 60_000)) {
            expect(d.levelPct).toBeGreaterThanOrEqual(levels.occupiedLevelPct);
          }
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
