import { describe, expect, it } from 'vitest';
import {
  type HvacPhase,
  type HvacSlot,
  planSpace,
  type SpacePlan,
  staggerHvac,
} from '../../../src/domain/planning/index.js';
import { coolSchedule, fill, hvacInput, occupancy, planInput, SLOTS, T0 } from './fixtures.js';

function summedKW(plans: readonly SpacePlan[], i: number): number {
  let kw = 0;
  for (const p of plans) for (const d of p.hvac) if (d.slots[i]?.mode !== 'off') kw += d.ratedPowerW / 1000;
  return kw;
}

/** A hand-made plan: one 5 kW unit with the given phase per slot (cool 26 °C where not off). */
function manual(id: string, phases: (HvacPhase | 'off')[], marginK: number): SpacePlan {
  const slots: HvacSlot[] = phases.map((p) =>
    p === 'off'
      ? { mode: 'off', phase: 'off', reason: 'off' }
      : { mode: 'cool', setpointC: 26, phase: p, reason: p },
  );
  return {
    spaceId: id,
    createdAtMs: T0,
    startMs: T0,
    slotMs: 900_000,
    lighting: [],
    hvac: [{ deviceId: `${id}-ac`, kind: 'hvac', ratedPowerW: 5000, slots, changes: [] }],
    hvacMode: 'cool',
    predictedTempC: fill(phases.length, () => 27),
    comfortMarginK: fill(phases.length, () => marginK),
    hvacEnergyKWh: 0,
    hvacCost: 0,
  };
}

describe('staggerHvac', () => {
  it('keeps the summed rated power of running units under the limit in every slot', () => {
    const plans = [0, 1, 2, 3, 4].map((k) =>
      planSpace(
        planInput({
          spaceId: `s${k}`,
          occupancyProbability: occupancy(30 + k, 80 - k),
          sensors: { indoorTempC: 30 + k / 2 },
          hvac: hvacInput({
            schedule: coolSchedule(28 + k, 84 - k),
            devices: [{ deviceId: `ac${k}`, ratedPowerW: 4000 }],
          }),
        }),
        T0,
      ),
    );
    expect(Math.max(...fill(SLOTS, (i) => summedKW(plans, i)))).toBeGreaterThan(10);
    const staggered = staggerHvac(plans, 10);
    for (let i = 0; i < SLOTS; i++) expect(summedKW(staggered, i)).toBeLessThanOrEqual(10 + 1e-9);
    // Changes are rebuilt from the staggered slots.
    for (const p of staggered)
      for (const c of p.hvac[0]?.changes ?? []) expect(c.reason).toBe(p.hvac[0]?.slots[c.slot]?.reason);
  });

  it('keeps the space with the smallest comfort margin running', () => {
    const occ = fill(8, (): HvacPhase => 'occupied');
    const tight = manual('tight', occ, 0.4);
    const loose = manual('loose', occ, 1.5);
    const [a, b] = staggerHvac([loose, tight], 5);
    expect(b?.hvac[0]?.slots.every((s) => s.mode === 'cool')).toBe(true);
    expect(a?.hvac[0]?.slots.every((s) => s.phase === 'peak-deferred' && s.mode === 'off')).toBe(true);
  });

  it('defers a start into spare capacity earlier so its warm-up time is kept', () => {
    const phases: (HvacPhase | 'off')[] = [
      'off',
      'off',
      'off',
      'off',
      'optimal-start',
      'optimal-start',
      'off',
      'off',
    ];
    const [a, b] = staggerHvac([manual('a', phases, 1), manual('b', phases, 1)], 5);
    const running = (p: SpacePlan | undefined) =>
      (p?.hvac[0]?.slots ?? []).filter((s) => s.mode !== 'off').length;
    expect(running(a)).toBe(2);
    expect(running(b)).toBe(2);
    for (let i = 0; i < 8; i++) expect(summedKW([a as SpacePlan, b as SpacePlan], i)).toBeLessThanOrEqual(5);
    const modes = (p: SpacePlan | undefined) => (p?.hvac[0]?.slots ?? []).map((s) => s.mode).join(',');
    const early = 'off,off,cool,cool,off,off,off,off';
    const onTime = 'off,off,off,off,cool,cool,off,off';
    expect([modes(a), modes(b)].sort()).toEqual([early, onTime].sort());
  });

  it('changes nothing under a generous limit', () => {
    const p = manual(
      'a',
      fill(8, (): HvacPhase => 'occupied'),
      1,
    );
    expect(staggerHvac([p], 100)[0]?.hvac[0]?.slots).toEqual(p.hvac[0]?.slots);
  });
});
