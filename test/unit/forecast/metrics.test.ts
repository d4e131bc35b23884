import { describe, expect, it } from 'vitest';
import {
  cvRmse,
  fitStats,
  G14_HOURLY,
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
