import { describe, expect, it } from 'vitest';
import { onOccupancyEvent } from '../../../src/domain/planning/index.js';
import { T0 } from './fixtures.js';

const levels = { safetyMinLevelPct: 10, occupiedLevelPct: 70 };

describe('onOccupancyEvent', () => {
  it('raises the lights at once to the occupied level on presence', () => {
    const d = onOccupancyEvent({ levels, currentLevelPct: 10 }, { occupied: true, tsMs: T0 }, T0 + 300);
    expect(d.action).toBe('raise');
    expect(d.levelPct).toBe(70);
    expect(d.holdUntilMs).toBe(T0 + 300 + 10 * 60_000);
  });

  it('does nothing when the lights are already at or above the occupied level', () => {
    const d = onOccupancyEvent({ levels, currentLevelPct: 80 }, { occupied: true, tsMs: T0 }, T0);
    expect(d.action).toBe('none');
    expect(d.levelPct).toBe(80);
  });

  it('never dims on vacancy: the plan does that later, at the rate limit', () => {
    const d = onOccupancyEvent({ levels, currentLevelPct: 70 }, { occupied: false, tsMs: T0 }, T0);
    expect(d.action).toBe('none');
    expect(d.levelPct).toBe(70);
  });

  it('starts no presence hold on vacancy (a sensor repeating vacancy must not keep an empty space lit)', () => {
    const d = onOccupancyEvent({ levels, currentLevelPct: 70 }, { occupied: false, tsMs: T0 }, T0);
    expect(d.holdUntilMs).toBeUndefined();
  });

  it('counts fresh daylight, ignores stale daylight', () => {
    const state = { levels, currentLevelPct: 10, daylightPct: 40, daylightTsMs: T0 };
    expect(onOccupancyEvent(state, { occupied: true, tsMs: T0 }, T0 + 60_000).levelPct).toBe(30);
    expect(onOccupancyEvent(state, { occupied: true, tsMs: T0 }, T0 + 3_600_000).levelPct).toBe(70);
  });

  it('never returns less than the safety minimum', () => {
    const state = { levels, currentLevelPct: 0, daylightPct: 500, daylightTsMs: T0 };
    const d = onOccupancyEvent(state, { occupied: true, tsMs: T0 }, T0);
    expect(d.levelPct).toBe(10);
  });
});
