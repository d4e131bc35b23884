import { describe, expect, it } from 'vitest';
import { daylightPct, planSpace, rampLevel } from '../../../src/domain/planning/index.js';
import { fill, lightingInput, occupancy, planInput, SLOTS, T0 } from './fixtures.js';

const levels = (input: ReturnType<typeof planInput>, nowMs = T0) =>
  planSpace(input, nowMs).lighting[0]?.slots.map((s) => s.levelPct) ?? [];

describe('lighting plan', () => {
  it('holds the safety minimum in every slot of an empty garage', () => {
    const input = planInput({
      spaceType: 'garage',
      occupancyProbability: fill(SLOTS, () => 0),
      lighting: lightingInput({ levels: { safetyMinLevelPct: 15, occupiedLevelPct: 60 } }),
    });
    const l = levels(input);
    expect(l).toHaveLength(SLOTS);
    for (const v of l) expect(v).toBeGreaterThanOrEqual(15);
    expect(l[50]).toBe(15);
  });

  it('lights forecast-occupied slots at the occupied level and others at the minimum', () => {
    const l = levels(planInput({ occupancyProbability: occupancy(40, 60), lighting: lightingInput() }));
    expect(l[45]).toBe(60);
    expect(l[20]).toBe(15);
    expect(l[80]).toBeGreaterThanOrEqual(15);
    expect(l[80]).toBeLessThan(60);
  });

  it('now follows a working occupancy sensor, not the forecast; later slots follow the forecast', () => {
    const busy = fill(SLOTS, () => 0.9);
    const withSensor = levels(
      planInput({
        occupancyProbability: busy,
        sensors: { occupied: false, lastPresenceMs: T0 - 30 * 60_000 },
        lighting: lightingInput({ currentLevelPct: 15 }),
      }),
    );
    expect(withSensor[0]).toBe(15);
    expect(withSensor[1]).toBe(60);
    // Without a sensor the forecast is all there is.
    const blind = levels(
      planInput({ occupancyProbability: busy, lighting: lightingInput({ currentLevelPct: 15 }) }),
    );
    expect(blind[0]).toBe(60);
  });

  it('leaves the current slot to the presence hold, and lights a later slot the hold reaches', () => {
    // Presence now: the dispatcher holds the lights minute by minute; the plan's own slot would
    // keep them up to its end. A hold that reaches past the slot lights the next one too.
    const input = planInput({
      occupancyProbability: fill(SLOTS, () => 0),
      sensors: { occupied: true },
      lighting: lightingInput({ tuning: { holdMinutes: 20 } }),
    });
    const l = levels(input);
    expect(l[0]).toBe(15);
    expect(l[1]).toBe(60);
    expect(l[2]).toBe(15);
  });

  it('dims no faster than the decrease rate limit', () => {
    const input = planInput({
      occupancyProbability: fill(SLOTS, () => 0),
      lighting: lightingInput({ currentLevelPct: 100, tuning: { decreasePctPerMinute: 1 } }),
    });
    const l = levels(input);
    expect(l[0]).toBe(85);
    for (let i = 1; i < l.length; i++) expect((l[i - 1] ?? 0) - (l[i] ?? 0)).toBeLessThanOrEqual(15 + 1e-9);
    expect(l[10]).toBe(15);
  });

  it('rampLevel raises at once and dims at the rate limit', () => {
    expect(rampLevel(10, 80, 0, 5)).toBe(80);
    expect(rampLevel(80, 10, 60_000, 5)).toBe(75);
    expect(rampLevel(80, 10, 60 * 60_000, 5)).toBe(10);
  });

  it('reduces the artificial level by fresh daylight, never below what the space needs in total', () => {
    // Lights at 60 % give 180 lx of 300; the sensor reads 330 lx, so daylight gives 150 lx = 50 %.
    const sensors = { illuminanceLux: 330, illuminanceTsMs: T0 };
    expect(daylightPct(sensors, 60, 300)).toBeCloseTo(50, 6);
    const input = planInput({
      occupancyProbability: fill(SLOTS, () => 0.9),
      sensors,
      lighting: lightingInput({ currentLevelPct: 60, fullOutputLux: 300 }),
    });
    const plan = planSpace(input, T0);
    const l = plan.lighting[0]?.slots ?? [];
    expect(l[0]?.levelPct).toBeCloseTo(15, 6);
    expect((l[0]?.levelPct ?? 0) + 50).toBeGreaterThanOrEqual(60);
    expect(l[0]?.reason).toMatch(/daylight/);
    // A reading is trusted for 30 minutes only: later slots are back at the occupied level.
    expect(l[4]?.levelPct).toBe(60);
  });

  it('does not harvest daylight without knowing what the lights themselves contribute', () => {
    const input = planInput({
      occupancyProbability: fill(SLOTS, () => 0.9),
      sensors: { illuminanceLux: 2000, illuminanceTsMs: T0 },
      lighting: lightingInput({ fullOutputLux: 300 }),
    });
    expect(levels(input)[0]).toBe(60);
  });

  it('clamps to device limits and reports a reason at each change', () => {
    const input = planInput({
      occupancyProbability: occupancy(40, 60),
      lighting: lightingInput({
        devices: [{ deviceId: 'l1', ratedPowerW: 100, minLevelPct: 20, maxLevelPct: 90 }],
      }),
    });
    const plan = planSpace(input, T0).lighting[0];
    expect(plan?.slots.every((s) => s.levelPct >= 20 && s.levelPct <= 90)).toBe(true);
    expect(plan?.changes.map((c) => c.slot)).toEqual([0, 40, 60]);
    expect(plan?.changes[1]?.tsMs).toBe(T0 + 40 * 15 * 60_000);
    for (const c of plan?.changes ?? []) expect(c.reason.length).toBeGreaterThan(0);
  });
});
