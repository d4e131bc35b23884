import { describe, expect, it } from 'vitest';
import { DEFAULT_COMFORT } from '../../../src/domain/planning/defaults.js';
import { HORIZON_SLOTS, type PlanInput, SLOT_MS } from '../../../src/domain/planning/types.js';
import { ScheduleShadows } from '../../../src/services/control/schedule-shadows.js';

/** A lobby heated at 22 °C all day, -2 °C outdoors, the room measured at `indoorC`, `slot` slots in. */
function input(slot: number, indoorC: number | undefined): PlanInput {
  return {
    spaceId: 'lobby',
    spaceType: 'lobby',
    startMs: slot * SLOT_MS,
    occupancyProbability: [0.8],
    outdoorTempC: [-2],
    pricePerKWh: [1],
    sensors: indoorC === undefined ? {} : { indoorTempC: indoorC },
    hvac: {
      devices: [{ deviceId: 'ac', ratedPowerW: 5000 }],
      comfort: { ...DEFAULT_COMFORT, heatSetpointMaxC: 22 },
      rates: { aPerH: 0.2, gainKPerH: 0.5, coolKPerH: -5, heatKPerH: 3 },
      schedule: Array.from({ length: HORIZON_SLOTS }, () => ({ mode: 'heat' as const, setpointC: 22 })),
    },
  };
}

describe('ScheduleShadows', () => {
  it("carries each space's shadow from plan to plan, apart from the measured room", () => {
    const shadows = new ScheduleShadows();
    expect(shadows.apply('a/lobby', input(0, 10)).hvac?.scheduleShadowTempC).toBe(10);
    const next = shadows.apply('a/lobby', input(4, 18)).hvac?.scheduleShadowTempC ?? Number.NaN;
    expect(next).toBeGreaterThan(10);
    expect(next).toBeLessThan(14);
    // Another space starts from its own measurement.
    expect(shadows.apply('a/gym', input(4, 15)).hvac?.scheduleShadowTempC).toBe(15);
  });

  it('forgets a space whose room is not measured, and starts again from the next reading', () => {
    const shadows = new ScheduleShadows();
    shadows.apply('a/lobby', input(0, 10));
    expect(shadows.apply('a/lobby', input(1, undefined)).hvac?.scheduleShadowTempC).toBeUndefined();
    expect(shadows.apply('a/lobby', input(2, 17)).hvac?.scheduleShadowTempC).toBe(17);
  });
});
