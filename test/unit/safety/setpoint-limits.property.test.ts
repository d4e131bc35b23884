import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ControlConfig, DeviceOutputOptions } from '../../../src/config/schema/control.js';
import { DeviceConfig } from '../../../src/config/schema/device.js';
import { ScheduleConfig } from '../../../src/config/schema/schedule.js';
import { SpaceConfig } from '../../../src/config/schema/site.js';
import { SPACE_TYPES } from '../../../src/domain/energy.js';
import {
  planInputFromConfig,
  plannedValueAt,
  planSpace,
  SLOT_MS,
  slotPrices,
} from '../../../src/domain/planning/index.js';
import type { HvacPhase } from '../../../src/domain/planning/types.js';
import { boundValue } from '../../../src/domain/safety/bounds.js';
import { deviceScheduleValueAt } from '../../../src/domain/safety/schedule-value.js';
import type { SetpointValue } from '../../../src/domain/setpoints/contract.js';
import type { OutputTarget } from '../../../src/domain/setpoints/encoded.js';
import { SHANGHAI_TOU_EXAMPLE } from '../../../src/domain/tariff/presets.js';

/**
 * The setpoint limits (cooling not below 26 °C, heating not above 20 °C by default) hold at every
 * hour of the day and in every planner rule, pre-cooling and pre-heating included, and in the value
 * a device is handed back to, whatever the site's own schedule asks for. Only a site that lowers the
 * limits gets deeper setpoints, and never beyond its own limits.
 */
const SLOTS = 96;
const DAY_MS = 86_400_000;
/** 2026-07-01 00:00 in Shanghai. */
const DAY0 = Date.UTC(2026, 5, 30, 16, 0, 0);
const TZ = 'Asia/Shanghai';
const EPS = 1e-9;

const target: OutputTarget = {
  address: { site: 'site', space: 'sp', device: 'ac' },
  kind: 'hvac',
  output: 'native',
  options: DeviceOutputOptions.parse({}),
  prefix: 'quietwatt',
};

const hhmm = (quarter: number): string =>
  `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;
const series = (n: number, min: number, max: number) =>
  fc.array(fc.double({ min, max, noNaN: true }), { minLength: n, maxLength: n });

function pricesOf(kind: 'flat' | 'tou' | 'step', startMs: number, scheduleStartSlot: number): number[] {
  if (kind === 'tou') return slotPrices(SHANGHAI_TOU_EXAMPLE, startMs, TZ);
  return Array.from({ length: SLOTS }, (_, i) => (kind === 'step' && i < scheduleStartSlot ? 0.3 : 1.2));
}

const caseArb = fc
  .record({
    season: fc.constantFrom('cool' as const, 'heat' as const),
    type: fc.constantFrom(...SPACE_TYPES),
    // Schedules colder (cooling) or warmer (heating) than the limits, and within them, in 0.5 K steps.
    scheduleHalfC: fc.integer({ min: 36, max: 60 }),
    fromQuarter: fc.integer({ min: 0, max: 95 }),
    lengthQuarters: fc.integer({ min: 4, max: 80 }),
    // undefined: the default limits; otherwise a site that lowers them.
    lowered: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    startQuarter: fc.integer({ min: 0, max: 95 }),
    prob: series(8, 0, 1),
    outdoorBase: fc.double({ min: 0, max: 12, noNaN: true }),
    indoorOffset: fc.option(fc.double({ min: -6, max: 8, noNaN: true }), { nil: undefined }),
    // Flat, the example time-of-use tariff, or cheap until the schedule starts and dear after it.
    price: fc.constantFrom('flat' as const, 'tou' as const, 'step' as const, 'step' as const),
    minSaving: fc.constantFrom(0.02, 0.001),
    occupied: fc.option(fc.boolean(), { nil: undefined }),
    a: fc.double({ min: 0.05, max: 1, noNaN: true }),
    gain: fc.double({ min: 0, max: 1.5, noNaN: true }),
    cap: fc.double({ min: 0.5, max: 6, noNaN: true }),
  })
  .map((r) => {
    const cool = r.season === 'cool';
    const comfort =
      r.lowered === undefined
        ? {}
        : cool
          ? { coolSetpointMinC: 26 - r.lowered }
          : { heatSetpointMaxC: 20 + r.lowered };
    const control = ControlConfig.parse({ comfort });
    const setpointC = cool ? r.scheduleHalfC / 2 : r.scheduleHalfC / 2 - 6;
    const schedules = [
      ScheduleConfig.parse({
        id: 'h',
        kind: 'hvac',
        blocks: [
          {
            from: hhmm(r.fromQuarter),
            to: hhmm((r.fromQuarter + r.lengthQuarters) % 96),
            mode: r.season,
            setpointC,
          },
        ],
      }),
    ];
    const device = DeviceConfig.parse({ id: 'ac', kind: 'hvac', ratedPowerW: 3000, schedule: 'h' });
    const space = SpaceConfig.parse({ id: 'sp', type: r.type, areaM2: 100, devices: [device] });
    const startMs = DAY0 + r.startQuarter * SLOT_MS;
    // Hot afternoons in summer, cold mornings in winter: the days pre-conditioning is for.
    const outdoorTempC = Array.from({ length: SLOTS }, (_, i) => {
      const hour = ((startMs + i * SLOT_MS - DAY0) % DAY_MS) / 3_600_000;
      const wave = Math.cos(((hour - 15) / 24) * 2 * Math.PI);
      return cool ? 30 + r.outdoorBase + 5 * wave : -5 + r.outdoorBase + 5 * wave;
    });
    const input = planInputFromConfig({
      space,
      schedules,
      control,
      timeZone: TZ,
      startMs,
      occupancyProbability: Array.from({ length: SLOTS }, (_, i) => r.prob[Math.floor(i / 12)] ?? 0.5),
      outdoorTempC,
      pricePerKWh: pricesOf(r.price, startMs, (r.fromQuarter - r.startQuarter + 96) % 96),
      hvacTuning: { preconditionMinSaving: r.minSaving },
      sensors: {
        ...(r.occupied === undefined ? {} : { occupied: r.occupied }),
        ...(r.indoorOffset === undefined ? {} : { indoorTempC: (cool ? 27 : 18) + r.indoorOffset }),
      },
      rates: { aPerH: r.a, gainKPerH: cool ? r.gain : 0, coolKPerH: -r.cap, heatKPerH: r.cap },
    });
    const limits = control.comfort;
    return { input, device, schedules, control, type: r.type, startMs, setpointC, limits, cool };
  });

function expectWithinLimits(
  v: SetpointValue,
  limits: { coolSetpointMinC: number; heatSetpointMaxC: number },
) {
  if (v.kind !== 'hvac') throw new Error('not an hvac value');
  if (v.mode === 'cool') expect(v.setpointC).toBeGreaterThanOrEqual(limits.coolSetpointMinC - EPS);
  if (v.mode === 'heat') expect(v.setpointC).toBeLessThanOrEqual(limits.heatSetpointMaxC + EPS);
}

describe('setpoint limits at every hour, pre-conditioning included', () => {
  const phases = new Map<HvacPhase, number>();
  let beyondSchedules = 0;
  let loweredDeeper = 0;

  afterAll(() => {
    // The generators reach the rules that run the unit hardest, and schedules beyond the limits.
    expect(phases.get('precondition') ?? 0).toBeGreaterThan(0);
    expect(phases.get('optimal-start') ?? 0).toBeGreaterThan(0);
    expect(phases.get('occupied') ?? 0).toBeGreaterThan(0);
    expect(beyondSchedules).toBeGreaterThan(0);
    expect(loweredDeeper).toBeGreaterThan(0);
  });

  it('every planned setpoint and every handed-back value lies within the limits', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const plan = planSpace(c.input, c.startMs);
        const slots = plan.hvac[0]?.slots ?? [];
        if (c.cool ? c.setpointC < c.limits.coolSetpointMinC : c.setpointC > c.limits.heatSetpointMaxC)
          beyondSchedules++;
        for (let i = 0; i < SLOTS; i++) {
          const tMs = c.startMs + i * SLOT_MS;
          const slot = slots[i];
          if (slot) phases.set(slot.phase, (phases.get(slot.phase) ?? 0) + 1);
          const planned = plannedValueAt(plan, 'ac', tMs);
          if (planned) {
            expectWithinLimits(planned.value, c.limits);
            // The safety layer's own bounds keep it there (to the device's resolution).
            expectWithinLimits(boundValue(planned.value, target, c.device, c.type, c.control), c.limits);
            const v = planned.value;
            if (v.kind === 'hvac' && v.mode === 'cool' && v.setpointC < 26 - EPS) loweredDeeper++;
            if (v.kind === 'hvac' && v.mode === 'heat' && v.setpointC > 20 + EPS) loweredDeeper++;
          }
          // Commissioning and fallbacks hand the device back to its schedule, clamped.
          const back = deviceScheduleValueAt(c.device, c.schedules, tMs, TZ);
          expectWithinLimits(boundValue(back, target, c.device, c.type, c.control), c.limits);
        }
      }),
      { numRuns: 150, seed: 2611 },
    );
  });
});
