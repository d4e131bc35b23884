import { describe, expect, it } from 'vitest';
import { occupancyDecisions, type Presence } from '../../../src/services/control/decisions.js';
import type { DeviceRuntime } from '../../../src/services/control/dispatcher.js';
import { gymConfig, gymLightsRuntime } from './fakes.js';

/** 23:00 in Shanghai: the gym's schedule has its lights off. */
const LATE = Date.parse('2026-07-15T15:00:00Z');

const config = gymConfig();

/** The gym's lights' decisions on one occupancy report at `tsMs`, from the presence so far. */
const report = (rt: DeviceRuntime, occupied: boolean, tsMs: number, presence?: Presence) =>
  occupancyDecisions([rt], 'gym', 'plan-1', presence, { occupied, tsMs }, tsMs, config.control);

describe('presence after a hand-back', () => {
  it('raises lights that were handed back while their schedule was on and are now off by it', () => {
    // Handed back at 21:00 with the schedule's 100 %; by 23:00 the schedule has them off.
    const rt = gymLightsRuntime({ handedBack: true, lastValue: { kind: 'lighting', levelPct: 100 } });
    const { raises } = report(rt, true, LATE);
    expect(raises).toHaveLength(1);
    expect(raises[0]?.[1]).toMatchObject({ kind: 'raise', levelPct: expect.any(Number) });
    expect(raises[0]?.[1].levelPct ?? 0).toBeGreaterThan(0);
  });

  it('lets the presence hold run out while the sensor keeps reporting vacancy', () => {
    const rt = gymLightsRuntime();
    let { presence } = report(rt, true, LATE);
    const heldUntil = presence?.untilMs ?? 0;
    expect(heldUntil).toBeGreaterThan(LATE);
    // A sensor that repeats its state every minute: vacancy for the next hour.
    for (let t = LATE + 60_000; t <= LATE + 3_600_000; t += 60_000) {
      presence = report(rt, false, t, presence).presence;
      expect(presence?.untilMs ?? 0).toBe(heldUntil);
    }
  });
});
