import { describe, expect, it } from 'vitest';
import { ControlConfig } from '../../../src/config/schema/control.js';
import { spaceTypeControlOf } from '../../../src/domain/control/space-type-rules.js';
import { planLightingLevels } from '../../../src/domain/planning/index.js';
import { extendPresence, occupancyDecisions } from '../../../src/services/control/decisions.js';
import { lightingInput, planInput, T0 } from '../planning/fixtures.js';
import { gymConfig, gymLightsRuntime } from './fakes.js';

const MINUTE = 60_000;

describe('presence hold per space type', () => {
  it('is short where people pass through and longer where they sit still, and configurable', () => {
    const defaults = ControlConfig.parse({});
    expect(spaceTypeControlOf(defaults, 'corridor').presenceHoldMinutes).toBe(5);
    expect(spaceTypeControlOf(defaults, 'garage').presenceHoldMinutes).toBe(5);
    expect(spaceTypeControlOf(defaults, 'gym').presenceHoldMinutes).toBe(10);
    const tuned = ControlConfig.parse({ spaceTypes: { garage: { presenceHoldMinutes: 2 } } });
    expect(spaceTypeControlOf(tuned, 'garage').presenceHoldMinutes).toBe(2);
    expect(() => ControlConfig.parse({ spaceTypes: { garage: { presenceHoldMinutes: 0 } } })).toThrow();
  });

  it('an occupancy report holds a gym for its 10 minutes and a lobby for its 5', () => {
    const config = gymConfig();
    const rt = gymLightsRuntime();
    const event = { occupied: true, tsMs: T0 };
    const gym = occupancyDecisions([rt], 'gym', 'p', undefined, event, T0, config.control).presence;
    const lobby = occupancyDecisions([rt], 'lobby', 'p', undefined, event, T0, config.control).presence;
    expect(gym?.untilMs).toBe(T0 + 10 * MINUTE);
    expect(lobby?.untilMs).toBe(T0 + 5 * MINUTE);
    expect(extendPresence(undefined, true, 80, T0, 5)?.untilMs).toBe(T0 + 5 * MINUTE);
  });

  it('the plan lights the slots a hold reaches after the current one, by the hold of the type', () => {
    const input = (holdMinutes: number) =>
      planInput({
        occupancyProbability: Array(96).fill(0),
        sensors: { occupied: false, lastPresenceMs: T0 - 4 * MINUTE },
        lighting: lightingInput({ currentLevelPct: 60, tuning: { holdMinutes } }),
      });
    // Presence 4 minutes ago: a 20-minute hold runs into slot 1 (from 15 minutes on), a 10-minute
    // one does not. The current slot is the presence hold's, applied at dispatch.
    expect(planLightingLevels(input(20), T0)[1]?.levelPct).toBe(60);
    expect(planLightingLevels(input(10), T0)[1]?.levelPct).toBeLessThan(60);
    expect(planLightingLevels(input(20), T0)[0]?.levelPct).toBeLessThan(60);
  });
});
