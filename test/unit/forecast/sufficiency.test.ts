import { describe, expect, it } from 'vitest';
import { prepareSeries } from '../../../src/domain/forecast/prepared.js';
import {
  assessSufficiency,
  BASELINE_RULES,
  FORECAST_RULES,
  type SufficiencyCode,
} from '../../../src/domain/forecast/sufficiency.js';
import { isOccupied, lcg, series } from './synthetic.js';

const codes = (r: { issues: { code: SufficiencyCode }[] }): SufficiencyCode[] =>
  r.issues.map((i) => i.code).sort();

function clean(days: number): number[] {
  const rand = lcg(3);
  return Array.from({ length: days * 24 }, (_, i) => (isOccupied(i) ? 50 : 20) + rand() * 5);
}

describe('data sufficiency rules', () => {
  it('a complete, plausible year passes the baseline rules', () => {
    const y = clean(366);
    const r = assessSufficiency(prepareSeries(series(y)), { start: 0, end: y.length }, BASELINE_RULES);
    expect(r.sufficient).toBe(true);
    expect(r.issues).toEqual([]);
    expect(r.coverage).toBe(1);
    expect(r.months.length).toBeGreaterThanOrEqual(12);
  });

  it('TOO_SHORT: fewer days than required', () => {
    const y = clean(10);
    const r = assessSufficiency(prepareSeries(series(y)), { start: 0, end: y.length }, FORECAST_RULES);
    expect(r.sufficient).toBe(false);
    expect(codes(r)).toEqual(['TOO_SHORT']);
  });

  it('LOW_COVERAGE and MONTH_COVERAGE: too few readings', () => {
    const y: (number | null)[] = clean(30).map((v, i) => (i % 3 === 0 ? v : null));
    const r = assessSufficiency(prepareSeries(series(y)), { start: 0, end: y.length }, FORECAST_RULES);
    expect(r.sufficient).toBe(false);
    expect(codes(r)).toEqual(['LOW_COVERAGE', 'MONTH_COVERAGE']);
    expect(r.coverage).toBeCloseTo(1 / 3, 6);
  });

  it('MONTH_COVERAGE: one thin month fails a baseline even when the year is well covered', () => {
    // 2021-02 (days 28..55 from 2021-01-04) loses 20 % of its hours; the year stays above 90 %.
    const y: (number | null)[] = clean(366).map((v, i) => (i >= 28 * 24 && i < 34 * 24 ? null : v));
    const r = assessSufficiency(prepareSeries(series(y)), { start: 0, end: y.length }, BASELINE_RULES);
    expect(codes(r)).toEqual(['MONTH_COVERAGE']);
    expect(r.sufficient).toBe(false);
    expect(r.issues[0]?.message).toContain('2021-02');
    // The same gap is only a warning for forecasting.
    const f = assessSufficiency(prepareSeries(series(y)), { start: 0, end: y.length }, FORECAST_RULES);
    expect(f.sufficient).toBe(true);
  });

  it('LONG_GAP: a run of missing hours longer than allowed (warning)', () => {
    const y: (number | null)[] = clean(60).map((v, i) => (i >= 24 * 20 && i < 24 * 29 ? null : v));
    const r = assessSufficiency(prepareSeries(series(y)), { start: 0, end: y.length }, FORECAST_RULES);
    expect(codes(r)).toContain('LONG_GAP');
    expect(r.longestGapHours).toBe(24 * 9);
    expect(r.sufficient).toBe(true);
  });

  it('ZERO_RUN: a day of exact zeros', () => {
    const y = clean(30).map((v, i) => (i >= 100 && i < 130 ? 0 : v));
    const r = assessSufficiency(prepareSeries(series(y)), { start: 0, end: y.length }, FORECAST_RULES);
    expect(codes(r)).toContain('ZERO_RUN');
    expect(r.longestZeroRunHours).toBe(30);
  });

  it('OUTLIERS: readings far beyond the quartiles, or negative', () => {
    const y = clean(30).map((v, i) => (i % 100 === 0 ? 5000 : i % 101 === 0 ? -5 : v));
    const r = assessSufficiency(prepareSeries(series(y)), { start: 0, end: y.length }, FORECAST_RULES);
    expect(codes(r)).toEqual(['OUTLIERS']);
    expect(r.outliers).toBe(8 + 7);
  });

  it('TEMPERATURE_COVERAGE: readings without temperature', () => {
    const y = clean(30);
    const t = y.map((_, i) => (i % 4 === 0 ? null : 10));
    const r = assessSufficiency(prepareSeries(series(y, t)), { start: 0, end: y.length }, FORECAST_RULES);
    expect(codes(r)).toEqual(['TEMPERATURE_COVERAGE']);
  });
});
