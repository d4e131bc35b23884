import { describe, expect, it } from 'vitest';
import { brierScore, fitOccupancy, predictOccupancy } from '../../../src/domain/forecast/occupancy.js';
import { prepareSeries } from '../../../src/domain/forecast/prepared.js';
import { isOccupied, series } from './synthetic.js';

describe('occupancy probability', () => {
  const n = 8 * 168;
  const data = prepareSeries(series(new Array<number | null>(n).fill(null)));

  it('learns the weekly pattern, shrunk toward the mean by the prior', () => {
    const occ = Array.from({ length: n }, (_, i) => (isOccupied(i) ? 1 : 0));
    const m = fitOccupancy(data, occ, { start: 0, end: n }, { halfLifeDays: 1e9, priorStrength: 2 });
    const mean = 50 / 168;
    expect(m.meanProbability).toBeCloseTo(mean, 6);
    // 8 observations of 1 at Monday 10:00: (8 + 2 mean) / (8 + 2).
    expect(m.probability[10]).toBeCloseTo((8 + 2 * mean) / 10, 6);
    expect(m.probability[3]).toBeCloseTo((2 * mean) / 10, 6);
    const p = predictOccupancy(m, data, { start: 0, end: 168 });
    expect(brierScore(occ.slice(0, 168), p)).toBeLessThan(0.05);
  });

  it('weights recent weeks more', () => {
    // Occupied at Monday 10:00 in the last week only.
    const occ = Array.from({ length: n }, (_, i) => (i % 168 === 10 && i >= n - 168 ? 1 : 0));
    const slow = fitOccupancy(data, occ, { start: 0, end: n }, { halfLifeDays: 1e9, priorStrength: 0 });
    const fast = fitOccupancy(data, occ, { start: 0, end: n }, { halfLifeDays: 7, priorStrength: 0 });
    expect(slow.probability[10]).toBeCloseTo(1 / 8, 6);
    expect(fast.probability[10]).toBeGreaterThan(0.4);
  });

  it('Brier score by hand', () => {
    expect(brierScore([1, 0, Number.NaN], [0.8, 0.4, 0.5])).toBeCloseTo((0.04 + 0.16) / 2, 12);
  });
});
