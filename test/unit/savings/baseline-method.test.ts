import { describe, expect, it } from 'vitest';
import { analyzeBaselineSavings } from '../../../src/domain/savings/analysis.js';
import type { NonRoutineEvent } from '../../../src/domain/savings/events.js';
import { syntheticBuilding } from './synthetic.js';

const START = Date.UTC(2023, 0, 2);
const YEAR_END = Date.UTC(2024, 0, 1);
const Q1_END = Date.UTC(2024, 3, 1);
const HOURS = (Q1_END - START) / 3_600_000;
const MID_BASELINE = Date.UTC(2023, 6, 1);
const MID_REPORTING = Date.UTC(2024, 1, 15);

function run(scale: (ts: number) => number, events: readonly NonRoutineEvent[] = []) {
  const series = syntheticBuilding({ seed: 5, startMs: START, hours: HOURS, scale: (_i, ts) => scale(ts) });
  return analyzeBaselineSavings(series, { baselineEndMs: YEAR_END, reportingEndMs: Q1_END }, { events });
}

describe('baseline method on a synthetic building', () => {
  it('measures savings that start with the reporting period, inside the empirical interval', () => {
    const { report, model } = run((ts) => (ts >= YEAR_END ? 0.88 : 1));
    expect(report.nonRoutine).toEqual([]);
    expect(model.baselineUnstable).toBe(false);
    expect(report.savings).not.toBeNull();
    const s = report.savings;
    if (!s) return;
    expect(s.savingsShare).toBeGreaterThan(0.08);
    expect(s.savingsShare).toBeLessThan(0.16);
    const emp = s.empirical.find((i) => i.confidence === 0.9);
    expect(emp?.lowShare).toBeLessThan(0.12);
    expect(emp?.highShare).toBeGreaterThan(0.12);
    expect(emp?.halfWidthKWh).toBeCloseTo((emp?.halfWidthShare ?? 0) * report.avoided.baselineKWh, 6);
    expect(s.g14.intervals.map((i) => i.confidence)).toEqual([0.68, 0.9]);
    expect(s.avoidedKWh).toBeCloseTo(report.avoided.baselineKWh - report.avoided.measuredKWh, 6);
    expect(model.heldOut.length).toBe(12);
  });

  it('flags a building whose load dropped by 30 % in the middle of the baseline year, with no figure', () => {
    const { report, model } = run((ts) => (ts >= MID_BASELINE ? 0.7 : 1));
    expect(model.baselineUnstable).toBe(true);
    expect(report.savings).toBeNull();
    expect(report.nonRoutine.map((f) => f.where)).toEqual(['baseline']);
  });

  it('flags a 30 % drop half-way through the reporting period', () => {
    const { report } = run((ts) => (ts >= MID_REPORTING ? 0.7 : 1));
    expect(report.savings).toBeNull();
    expect(report.nonRoutine.map((f) => f.where)).toEqual(['reporting']);
    expect(report.nonRoutine[0]?.message).toMatch(/after week \d+ of the reporting period/);
  });

  it('an operator exclusion of the months before a known renovation makes the baseline usable again', () => {
    const renovation: NonRoutineEvent = {
      kind: 'exclude',
      fromMs: START,
      toMs: MID_BASELINE,
      note: 'lighting retrofit finished end of June',
    };
    const { report, model } = run((ts) => (ts >= MID_BASELINE ? 0.7 : 1), [renovation]);
    expect(model.baselineUnstable).toBe(false);
    expect(report.savings).not.toBeNull();
    expect(Math.abs(report.savings?.savingsShare ?? 1)).toBeLessThan(0.05);
  });

  it('a recorded baseline adjustment (longer opening hours) keeps the extra load out of the savings', () => {
    const longerHours: NonRoutineEvent = {
      kind: 'adjust',
      fromMs: YEAR_END,
      shareOfBaseline: 0.1,
      note: 'gym open two hours longer',
    };
    const without = run((ts) => (ts >= YEAR_END ? 1.1 : 1));
    const withEvent = run((ts) => (ts >= YEAR_END ? 1.1 : 1), [longerHours]);
    expect(without.report.savings?.savingsShare).toBeLessThan(-0.06);
    expect(Math.abs(withEvent.report.savings?.savingsShare ?? 1)).toBeLessThan(0.03);
  });
});
