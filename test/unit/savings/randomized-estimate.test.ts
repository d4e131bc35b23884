import { describe, expect, it } from 'vitest';
import { assignDays } from '../../../src/domain/savings/randomized-design.js';
import {
  dailyOutcomes,
  estimateRandomized,
  usableDaysPerArm,
} from '../../../src/domain/savings/randomized-estimate.js';
import { syntheticBuilding } from './synthetic.js';

const START = Date.UTC(2025, 2, 3); // a Monday
const design = assignDays({
  seed: 7,
  startDate: '2025-03-03',
  weeks: 16,
  treatedShare: 0.5,
  blockWeeks: 2,
  washoutHours: 2,
});
const treated = new Set(design.days.filter((d) => d.arm === 'treatment').map((d) => d.date));
const dateOf = (ts: number) => new Date(ts).toISOString().slice(0, 10);

function building(savedShare: number, seed = 3) {
  return syntheticBuilding({
    seed,
    startMs: START,
    hours: 16 * 7 * 24,
    scale: (_i, ts) => (treated.has(dateOf(ts)) ? 1 - savedShare : 1),
  });
}

describe('randomized on/off estimate', () => {
  it('recovers a 10 % saving on treated days with an interval that excludes zero', () => {
    const e = estimateRandomized(dailyOutcomes(building(0.1), design));
    const i90 = e.intervals.find((i) => i.confidence === 0.9);
    expect(e.treatedDays).toBe(56);
    expect(e.controlDays).toBe(56);
    expect(i90?.lowShare).toBeLessThan(0.1);
    expect(i90?.highShare).toBeGreaterThan(0.1);
    expect(i90?.lowShare).toBeGreaterThan(0);
    expect(e.avoidedKWh).toBeGreaterThan(0);
    expect(e.usedTemperature).toBe(true);
  });

  it('holds zero when nothing was saved, and the 68 % interval sits inside the 90 % one', () => {
    const e = estimateRandomized(dailyOutcomes(building(0), design));
    const [i68, i90] = e.intervals;
    expect(i90?.lowShare).toBeLessThan(0);
    expect(i90?.highShare).toBeGreaterThan(0);
    expect(i68?.lowShare).toBeGreaterThan(i90?.lowShare ?? 0);
    expect(i68?.highShare).toBeLessThan(i90?.highShare ?? 0);
  });

  it('covers the truth in most of many independent buildings', () => {
    let covered = 0;
    for (let seed = 10; seed < 40; seed++) {
      const i90 = estimateRandomized(dailyOutcomes(building(0.08, seed), design)).intervals[1];
      if ((i90?.lowShare ?? 1) <= 0.08 && 0.08 <= (i90?.highShare ?? 0)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(24); // 90 % nominal; 24 of 30 is far in the tail otherwise
  });

  it('drops a day with a missing analysis hour but keeps one missing only inside the washout', () => {
    const s = building(0);
    const kWh = [...s.kWh];
    kWh[24 * 3 + 12] = null; // day 4, noon
    kWh[24 * 5 + 1] = null; // day 6, 01:00, inside the 2-hour window left out of every day
    const days = dailyOutcomes({ ...s, kWh }, design);
    expect(days.map((d) => d.date)).not.toContain('2025-03-06');
    expect(days.map((d) => d.date)).toContain('2025-03-08');
    expect(days).toHaveLength(16 * 7 - 1);
  });

  it('counts only days with energy use toward an arm, and refuses below two such days', () => {
    const all = dailyOutcomes(building(0), design);
    const control = all.filter((d) => d.arm === 'control');
    const [keep] = control;
    // Every control day but one at 0 kWh: still many outcomes, one usable control day.
    const days = all.map((d) => (d.arm === 'control' && d !== keep ? { ...d, energyKWh: 0 } : d));
    expect(usableDaysPerArm(days)).toEqual({ treated: all.length - control.length, control: 1 });
    expect(() => estimateRandomized(days)).toThrow(/with energy use in each arm/);
  });

  it('refuses to estimate with an empty arm', () => {
    const days = dailyOutcomes(building(0), design).filter((d) => d.arm === 'control');
    expect(() => estimateRandomized(days)).toThrow(/each arm/);
  });
});
