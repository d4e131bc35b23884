import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTQuantile, twoSidedT } from '../../../src/domain/savings/student-t.js';
import { effectiveN, g14Uncertainty, lag1Autocorrelation } from '../../../src/domain/savings/uncertainty.js';

describe('Student t', () => {
  // Reference values from statistical tables (scipy.stats.t).
  it.each([
    [0.95, 96, 1.6608814403],
    [0.84, 96, 0.9996354479],
    [0.95, 10, 1.8124611228],
    [0.975, 3, 3.1824463053],
  ])('quantile(%f, %i) = %f', (p, dof, expected) => {
    expect(studentTQuantile(p, dof)).toBeCloseTo(expected, 6);
  });

  it('cdf matches a table value and is symmetric', () => {
    expect(studentTCdf(1.5, 7)).toBeCloseTo(0.9113507565, 8);
    expect(studentTCdf(-1.5, 7)).toBeCloseTo(1 - 0.9113507565, 8);
  });

  it('two-sided 90 % uses the 95th percentile', () => {
    expect(twoSidedT(0.9, 10)).toBeCloseTo(1.8124611228, 6);
  });

  it('rejects impossible arguments', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(/probability/);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/degrees of freedom/);
  });
});

describe('lag-1 autocorrelation', () => {
  it('alternating residuals: -3/4', () => {
    expect(lag1Autocorrelation([1, -1, 1, -1])).toBeCloseTo(-0.75, 12);
  });
  it('a ramp: 1.25/5', () => {
    // deviations -1.5 -0.5 0.5 1.5; products 0.75 -0.25 0.75; sum of squares 5
    expect(lag1Autocorrelation([1, 2, 3, 4])).toBeCloseTo(0.25, 12);
  });
  it('missing values break pairs instead of joining distant hours', () => {
    // mean 2.5 over [1, 4, 2, 3]; pairs (1, 4) and (2, 3) only: ((-1.5)(1.5) + (-0.5)(0.5)) / 5
    expect(lag1Autocorrelation([1, 4, Number.NaN, 2, 3])).toBeCloseTo(-0.5, 12);
  });
});

describe('Guideline 14 savings uncertainty', () => {
  it("n' = n (1 - ρ)/(1 + ρ), and ρ <= 0 leaves n unchanged", () => {
    expect(effectiveN(100, 0.5)).toBeCloseTo(100 / 3, 12);
    expect(effectiveN(100, -0.3)).toBe(100);
  });

  // Hand computation: n' = 33.333, (n/n')(1 + 2/n')/m = 3 · 1.06 / 50 = 0.0636, sqrt = 0.2521904;
  // 90 %: 1.26 · 1.6608814 · 0.2 · 0.2521904 = 0.1055523; 68 %: t = 0.9996354 -> 0.0635288.
  const input = {
    cvRmse: 0.2,
    nBaseline: 100,
    parameters: 4,
    rho: 0.5,
    mReporting: 50,
    adjustedBaselineKWh: 1000,
    savingsKWh: 100,
  };

  it('matches the hand-computed half-widths at 68 % and 90 %', () => {
    const r = g14Uncertainty(input);
    const [i68, i90] = r.intervals;
    expect(r.nEffective).toBeCloseTo(33.3333333, 6);
    expect(r.savingsFraction).toBeCloseTo(0.1, 12);
    expect(i90?.confidence).toBe(0.9);
    expect(i90?.halfWidthShare).toBeCloseTo(0.1055523072, 8);
    expect(i90?.halfWidthKWh).toBeCloseTo(105.5523072, 5);
    expect(i90?.relativeToSavings).toBeCloseTo(1.055523072, 7);
    expect(i68?.halfWidthShare).toBeCloseTo(0.0635288139, 8);
  });

  it('stays finite in kWh with no savings, where the fraction of savings means nothing', () => {
    const r = g14Uncertainty({ ...input, savingsKWh: 0 });
    expect(r.intervals[1]?.halfWidthKWh).toBeCloseTo(105.5523072, 5);
    expect(r.intervals[1]?.relativeToSavings).toBeNull();
  });

  it('is wider with more autocorrelation and narrower with more reporting points', () => {
    const base = g14Uncertainty(input).intervals[1]?.halfWidthShare ?? 0;
    expect(g14Uncertainty({ ...input, rho: 0.9 }).intervals[1]?.halfWidthShare).toBeGreaterThan(base);
    expect(g14Uncertainty({ ...input, mReporting: 200 }).intervals[1]?.halfWidthShare).toBeLessThan(base);
  });

  it('refuses a baseline with no degrees of freedom', () => {
    expect(() => g14Uncertainty({ ...input, nBaseline: 4 })).toThrow(/more baseline points/);
  });
});
