import {
  DEFAULT_COMFORT,
  type HvacInput,
  type LightingInput,
  type PlanInput,
  type ScheduledHvac,
  type ThermalRates,
} from '../../../src/domain/planning/index.js';

/** 2026-07-01 00:00 UTC: slot 0 of the test plans. */
export const T0 = Date.UTC(2026, 6, 1, 0, 0, 0);
export const SLOTS = 96;

export const RATES: ThermalRates = { aPerH: 0.3, gainKPerH: 0.6, coolKPerH: -3, heatKPerH: 3 };

export function fill<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

/** Occupancy probability 0.9 in slots [from, to), `outside` elsewhere. */
export function occupancy(from: number, to: number, outside = 0): number[] {
  return fill(SLOTS, (i) => (i >= from && i < to ? 0.9 : outside));
}

/** A schedule that cools at `setpointC` in slots [from, to) and is off elsewhere. */
export function coolSchedule(from: number, to: number, setpointC = 26): ScheduledHvac[] {
  return fill(SLOTS, (i) => (i >= from && i < to ? { mode: 'cool', setpointC } : { mode: 'off' }));
}

export function lightingInput(overrides: Partial<LightingInput> = {}): LightingInput {
  return {
    devices: [{ deviceId: 'l1', ratedPowerW: 400 }],
    levels: { safetyMinLevelPct: 15, occupiedLevelPct: 60 },
    ...overrides,
  };
}

export function hvacInput(overrides: Partial<HvacInput> = {}): HvacInput {
  return {
    devices: [{ deviceId: 'h1', ratedPowerW: 5000 }],
    comfort: DEFAULT_COMFORT,
    rates: RATES,
    schedule: coolSchedule(32, 88),
    ...overrides,
  };
}

export function planInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    spaceId: 's1',
    spaceType: 'lobby',
    startMs: T0,
    occupancyProbability: occupancy(32, 88),
    outdoorTempC: fill(SLOTS, (i) => 30 + 4 * Math.sin(((i - 36) / SLOTS) * 2 * Math.PI)),
    pricePerKWh: fill(SLOTS, () => 0.6),
    sensors: {},
    ...overrides,
  };
}
