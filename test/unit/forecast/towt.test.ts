import { describe, expect, it } from 'vitest';
import { fitStats } from '../../../src/domain/forecast/metrics.js';
import { prepareSeries } from '../../../src/domain/forecast/prepared.js';
import {
  CALTRACK_CHANGE_POINTS_C,
  fitTowt,
  mergeSparseBins,
  predictTowt,
  temperatureBasis,
} from '../../../src/domain/forecast/towt.js';
import { isOccupied, lcg, series, temperatures } from './synthetic.js';

const N = 365 * 24;
const K = CALTRACK_CHANGE_POINTS_C.length + 1;
// True slopes per temperature bin (kWh/°C): heating below, flat in the middle, cooling above.
const SLOPE_OCC = [-3, -2, -1, 0, 1, 2.5, 4];
const SLOPE_UNOCC = [-1, -0.5, -0.2, 0, 0.3, 0.8, 1.2];

function truth(i: number, t: number): number {
  const f = new Float64Array(K);
  temperatureBasis(t, CALTRACK_CHANGE_POINTS_C, f);
  const occ = isOccupied(i);
  const slopes = occ ? SLOPE_OCC : SLOPE_UNOCC;
  let v = (occ ? 200 : 60) + (i % 24);
  for (let k = 0; k < K; k++) v += (slopes[k] ?? 0) * (f[k] ?? 0);
  return v;
}

describe('TOWT regression', () => {
  const temps = temperatures(N, lcg(1));
  const kWh = temps.map((t, i) => truth(i, t));

  it('temperature basis is piecewise linear and sums back to the temperature', () => {
    const f = new Float64Array(3);
    temperatureBasis(25, [10, 20], f);
    expect(Array.from(f)).toEqual([10, 10, 5]);
    temperatureBasis(5, [10, 20], f);
    expect(Array.from(f)).toEqual([5, 0, 0]);
  });

  it('recovers known intercepts, occupancy and slopes on exact synthetic data', () => {
    const data = prepareSeries(series(kWh, temps));
    const m = fitTowt(data, { start: 0, end: N });
    expect(m.usesTemperature).toBe(true);
    expect(m.changePointsC).toEqual([...CALTRACK_CHANGE_POINTS_C]);
    const seg = m.segments[0];
    if (!seg) throw new Error('no segment');
    for (let h = 0; h < 168; h++) expect(seg.occupied[h]).toBe(isOccupied(h) ? 1 : 0);
    for (let k = 0; k < K; k++) {
      expect(seg.slopeOccupied[k]).toBeCloseTo(SLOPE_OCC[k] ?? 0, 6);
      expect(seg.slopeUnoccupied[k]).toBeCloseTo(SLOPE_UNOCC[k] ?? 0, 6);
    }
    expect(seg.intercept[8]).toBeCloseTo(200 + 8, 5);
    expect(seg.intercept[3]).toBeCloseTo(60 + 3, 5);
    const s = fitStats(data.y, predictTowt(m, data, { start: 0, end: N }), m.p);
    expect(s.cvRmse).toBeLessThan(1e-8);
  });

  it('handles missing readings and temperatures', () => {
    const rand = lcg(7);
    const holey = kWh.map((v) => (rand() < 0.1 ? null : v));
    const holeyT = temps.map((t) => (rand() < 0.05 ? null : t));
    const data = prepareSeries(series(holey, holeyT));
    const m = fitTowt(data, { start: 0, end: N });
    const full = prepareSeries(series(kWh, temps));
    const s = fitStats(full.y, predictTowt(m, full, { start: 0, end: N }), m.p);
    expect(s.cvRmse).toBeLessThan(1e-8);
    const withGap = predictTowt(m, data, { start: 0, end: N });
    expect(withGap.some((v) => Number.isNaN(v))).toBe(true); // no temperature -> no forecast
  });

  it('falls back to time-of-week only without temperature', () => {
    const y = Array.from({ length: 8 * 168 }, (_, i) => (isOccupied(i) ? 100 : 30));
    const data = prepareSeries(series(y));
    const m = fitTowt(data, { start: 0, end: y.length });
    expect(m.usesTemperature).toBe(false);
    expect(m.p).toBe(168);
    const p = predictTowt(m, data, { start: 0, end: 168 });
    for (let h = 0; h < 168; h++) expect(p[h]).toBeCloseTo(isOccupied(h) ? 100 : 30, 9);
  });

  it('three-month-weighted segmentation reproduces a stationary building', () => {
    const data = prepareSeries(series(kWh, temps));
    const m = fitTowt(data, { start: 0, end: N }, { segmentation: 'month-weighted' });
    expect(m.segments).toHaveLength(12);
    const s = fitStats(data.y, predictTowt(m, data, { start: 0, end: N }), m.p);
    expect(s.cvRmse).toBeLessThan(1e-6);
  });

  it('merges temperature bins with fewer than the minimum hours', () => {
    const t = new Float64Array(100).map((_, i) => 10 + (i % 10)); // 10..19 °C only
    expect(mergeSparseBins(t, [0, 12, 15, 30], 20)).toEqual([12, 15]);
  });
});

describe('series validation at the boundary', () => {
  it('refuses a series that is not a contiguous hourly grid, naming the problem', () => {
    const s = series([1, 2, 3]);
    expect(() => prepareSeries({ ...s, tsMs: [s.tsMs[0] ?? 0, (s.tsMs[0] ?? 0) + 7_200_000, 0] })).toThrow(
      /not a contiguous hourly grid at index 1/,
    );
    expect(() => prepareSeries({ ...s, kWh: [1] })).toThrow(/kWh has 1 values, tsMs has 3/);
  });
});
