import { describe, expect, it } from 'vitest';
import { DEFAULT_COMFORT } from '../../../src/domain/planning/defaults.js';
import { buildHvacLp, DEFAULT_PREDICTIVE_TUNING } from '../../../src/domain/planning/predictive/hvac-lp.js';
import { hvacProgram } from '../../../src/domain/planning/predictive/plan.js';
import {
  advanceScheduleShadow,
  scheduleCommands,
} from '../../../src/domain/planning/predictive/schedule-shadow.js';
import { predict } from '../../../src/domain/planning/thermal.js';
import {
  HORIZON_SLOTS,
  type PlanInput,
  SLOT_MS,
  type ThermalRates,
} from '../../../src/domain/planning/types.js';

const RATES: ThermalRates = { aPerH: 0.2, gainKPerH: 0.5, coolKPerH: -5, heatKPerH: 3 };
/** Heating 07:00-22:00 at 22 °C from a midnight start. */
const scheduled = (i: number) => i >= 28 && i < 88;

/** A cold day starting `slot` slots after midnight: -2 °C outdoors, the room at `indoorC`. */
function coldDay(slot: number, indoorC: number): PlanInput {
  return {
    spaceId: 'lobby',
    spaceType: 'lobby',
    startMs: slot * SLOT_MS,
    occupancyProbability: Array.from({ length: HORIZON_SLOTS }, (_, i) => (scheduled(i + slot) ? 0.8 : 0.01)),
    outdoorTempC: [-2],
    pricePerKWh: [1],
    sensors: { indoorTempC: indoorC },
    hvac: {
      devices: [{ deviceId: 'ac', ratedPowerW: 5000 }],
      comfort: { ...DEFAULT_COMFORT, heatSetpointMaxC: 22, comfortLowC: 20, comfortHighC: 27 },
      rates: RATES,
      schedule: Array.from({ length: HORIZON_SLOTS }, (_, i) =>
        scheduled(i + slot) ? { mode: 'heat' as const, setpointC: 22 } : { mode: 'off' as const },
      ),
    },
  };
}

const FACTOR = DEFAULT_PREDICTIVE_TUNING.capacityFactor;

describe('the schedule shadow', () => {
  it('starts from the measured temperature', () => {
    expect(advanceScheduleShadow(undefined, coldDay(24, 9), FACTOR)).toBe(9);
  });

  it("follows the schedule's own thermostat, whatever the room did meanwhile", () => {
    const first = coldDay(28, 9);
    // The plan pre-heated: the room is at 18 °C an hour later, the schedule's would not be.
    const later = coldDay(32, 18);
    const shadow = advanceScheduleShadow({ tempC: 9, input: first }, later, FACTOR);
    // No solar or occupancy term in these rates: the outdoor temperature and the unit alone.
    const expected = predict(9, scheduleCommands(first, 'heat', 4), () => -2, RATES, 0.25, FACTOR).tempC[3];
    expect(shadow).toBeCloseTo(expected ?? Number.NaN, 6);
    expect(shadow).toBeLessThan(13);
    expect(shadow).toBeGreaterThan(9);
  });

  it('holds still within a slot and starts again after a long gap', () => {
    const first = coldDay(28, 9);
    expect(advanceScheduleShadow({ tempC: 11, input: first }, coldDay(28, 15), FACTOR)).toBe(11);
    expect(advanceScheduleShadow({ tempC: 11, input: first }, coldDay(40, 15), FACTOR)).toBe(15);
  });

  it('gives the plan the allowance of the colder room the schedule would have left', () => {
    const input = coldDay(32, 18);
    const rules = hvacProgram(input)?.rules ?? [];
    const fromMeasured = buildHvacLp(input, rules);
    const hvac = input.hvac;
    if (!hvac) throw new Error('no hvac');
    const fromShadow = buildHvacLp({ ...input, hvac: { ...hvac, scheduleShadowTempC: 11 } }, rules);
    expect(fromShadow?.allowanceKSlots ?? 0).toBeGreaterThan((fromMeasured?.allowanceKSlots ?? 0) + 1);
  });
});
