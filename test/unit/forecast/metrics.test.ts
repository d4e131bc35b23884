import { describe, expect, it } from 'vitest';
import {
  cvRmse,
  fitStats,
  G14_HOURLY,
  isNearZeroMean,
  meetsG14,
  nmbe,
  rSquared,
} from '../../../src/domain/forecast/metrics.js';

describe('Guideline 14 metrics', () => {
  // Hand computation: errors 1, 0, -2, -1 -> SSE 6, sum -2; mean 10; n - p = 3; SST 8.
  const y = [10, 12, 8, 10];
  const f = [9, 12, 10, 11];

  it('CV(RMSE) uses n - p', () => {
    expect(cvRmse(y, f, 1)).toBeCloseTo(Math.sqrt(6 / 3) / 10, 12);
    expect(cvRmse(y, f, 0)).toBeCloseTo(Math.sqrt(6 / 4) / 10, 12);
  });

  it('NMBE uses n - p and is positive when the model under-predicts', () => {
    expect(nmbe(y, f, 1)).toBeCloseTo(-2 / (3 * 10), 12);
    expect(nmbe([10, 10], [9, 9], 0)).toBeCloseTo(0.1, 12);
  });

  it('R² = 1 - SSE/SST', () => {
    expect(rSquared(y, f)).toBeCloseTo(1 - 6 / 8, 12);
  });

  it('skips hours where the observation or the prediction is missing', () => {
    const s = fitStats([...y, null, 5], [...f, 3, Number.NaN], 1);
    expect(s.n).toBe(4);
    expect(s.cvRmse).toBeCloseTo(Math.sqrt(2) / 10, 12);
    expect(s.rmseKWh).toBeCloseTo(Math.sqrt(6 / 4), 12);
    expect(s.meanKWh).toBe(10);
  });

  it('is undefined (NaN) when n <= p or there is no data', () => {
    expect(cvRmse([1, 2], [1, 2], 2)).toBeNaN();
    expect(fitStats([], []).r2).toBeNaN();
    expect(fitStats([1, 2], [1, 2], 2).notAssessable).toBe('2 hours of data for 2 model parameters');
    expect(fitStats([], []).notAssessable).toBeUndefined();
  });

  it('is not assessable, not a huge ratio, when the mean load is about zero', () => {
    // Rounding residue of a silent meter: the mean is 1.25e-36, the errors are not.
    const silent = fitStats([1e-35, -5e-36, 0, 0], [0.01, 0, 0.02, 0], 1);
    expect(silent.cvRmse).toBeNaN();
    expect(silent.nmbe).toBeNaN();
    expect(silent.meetsG14).toBe(false);
    expect(silent.notAssessable).toMatch(/mean load \(1\.3e-36 kWh per hour\) is about zero/);
    expect(fitStats([0, 0, 0], [0, 0, 0]).notAssessable).toContain('(0 kWh per hour) is about zero');
    // Below 1 Wh per hour is about zero; from there on the ratios are computed.
    expect(isNearZeroMean(9.9e-4, 9.9e-4)).toBe(true);
    expect(isNearZeroMean(1e-3, 1e-3)).toBe(false);
    // A mean lost to cancellation (readings of +-1 kWh summing to 1e-3) is about zero as well.
    expect(isNearZeroMean(1e-3, 1e7)).toBe(true);
    expect(fitStats(y, f, 1).notAssessable).toBeUndefined();
  });

  it('flags the hourly thresholds: CV(RMSE) <= 30 %, |NMBE| <= 10 %', () => {
    expect(G14_HOURLY).toEqual({ maxCvRmse: 0.3, maxAbsNmbe: 0.1 });
    expect(meetsG14(0.3, -0.1)).toBe(true);
    expect(meetsG14(0.3001, 0)).toBe(false);
    expect(meetsG14(0.1, 0.1001)).toBe(false);
    expect(meetsG14(Number.NaN, 0)).toBe(false);
    expect(fitStats(y, f, 1).meetsG14).toBe(true);
  });
});
