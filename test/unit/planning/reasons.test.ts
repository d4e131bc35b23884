import { describe, expect, it } from 'vitest';
import { planSpace } from '../../../src/domain/planning/index.js';
import { coolSchedule, fill, hvacInput, planInput, SLOTS, T0 } from './fixtures.js';
import { LOBBY, trueRates } from './rc-space.js';

/** Each HVAC setpoint carries why it was chosen: the audit log and the setpoint payload show it. */
const outdoor = fill(SLOTS, (i) => 30 + 4 * Math.sin(((i - 36) / SLOTS) * 2 * Math.PI));
const OCC_START = 32;
const OCC_END = 88;

function reasonsOf(plan: ReturnType<typeof planSpace>, phase: string): string[] {
  return (plan.hvac[0]?.slots ?? []).filter((s) => s.phase === phase).map((s) => s.reason);
}

describe('HVAC reasons', () => {
  it('an occupied setpoint says when the schedule was clamped to the limit', () => {
    const plan = planSpace(
      planInput({
        outdoorTempC: outdoor,
        hvac: hvacInput({ schedule: coolSchedule(OCC_START, OCC_END, 24) }),
      }),
      T0,
    );
    const occupied = reasonsOf(plan, 'occupied');
    expect(occupied.length).toBeGreaterThan(0);
    expect(occupied[0]).toBe(
      "occupied (forecast 90%): schedule setpoint 26 °C (the schedule's 24 °C clamped to the limit)",
    );
    const within = planSpace(planInput({ outdoorTempC: outdoor, hvac: hvacInput() }), T0);
    expect(reasonsOf(within, 'occupied')[0]).toBe('occupied (forecast 90%): schedule setpoint 26 °C');
  });

  it('an optimal start says what occupancy would find without it', () => {
    const plan = planSpace(
      planInput({
        outdoorTempC: outdoor,
        sensors: { indoorTempC: 31 },
        hvac: hvacInput({ rates: trueRates(LOBBY), tuning: { preScheduleStartMinutes: 180 } }),
      }),
      T0,
    );
    const [reason] = reasonsOf(plan, 'optimal-start');
    expect(reason).toMatch(
      /^optimal start: \d+ min at 26 °C to be within 27\.5 °C by occupancy \(\d+(\.\d)? °C predicted at occupancy in 480 min without it\)$/,
    );
    const without = Number(/\((\d+(?:\.\d)?) °C predicted/.exec(reason ?? '')?.[1]);
    expect(without).toBeGreaterThan(27.5);
  });

  it('pre-cooling says what it saves and the temperature it leaves at occupancy', () => {
    const tou = fill(SLOTS, (i) => (i < 24 ? 0.3 : i < 32 ? 0.7 : 1.2));
    const plan = planSpace(
      planInput({
        outdoorTempC: outdoor,
        pricePerKWh: tou,
        sensors: { indoorTempC: 31 },
        hvac: hvacInput({
          rates: trueRates(LOBBY),
          schedule: coolSchedule(OCC_START, OCC_END, 27),
          tuning: { preconditionMinSaving: 0.001 },
        }),
      }),
      T0,
    );
    const [reason] = reasonsOf(plan, 'precondition');
    expect(reason).toMatch(
      /^pre-cooling to \d+(\.\d)? °C in a cheaper tariff period \(saves \d+\.\d%; \d+(\.\d)? °C predicted at occupancy in 480 min\)$/,
    );
  });
});
