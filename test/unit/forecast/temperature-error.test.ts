import { describe, expect, it } from 'vitest';
import {
  forecastErrorStats,
  TemperatureErrorTracker,
} from '../../../src/domain/forecast/temperature-error.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 6, 1, 0);
const hours = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i * HOUR);

describe('forecastErrorStats', () => {
  it('gives MAE, RMSE and bias of forecast minus measured', () => {
    const s = forecastErrorStats([1, -1, 3, -3]);
    expect(s.hours).toBe(4);
    expect(s.maeK).toBe(2);
    expect(s.rmseK).toBeCloseTo(Math.sqrt(5), 12);
    expect(s.biasK).toBe(0);
    expect(forecastErrorStats([2, 2]).biasK).toBe(2);
  });

  it('has no figures without errors', () => {
    expect(forecastErrorStats([])).toEqual({ hours: 0, maeK: null, rmseK: null, biasK: null });
  });
});

describe('TemperatureErrorTracker', () => {
  it('scores the first 24 hours of each forecast once the hour has settled and been measured', () => {
    const t = new TemperatureErrorTracker();
    const ts = hours(T0, 48);
    t.record(
      T0,
      ts,
      ts.map(() => 22),
      ts.map(() => 'topic'),
    );
    expect(t.pendingHours).toBe(24);
    const measured = new Map(ts.map((h) => [h, 20]));
    // The first hour ends at T0+1h and settles an hour later.
    expect(t.due(T0 + 2 * HOUR - 1)).toBeUndefined();
    expect(t.due(T0 + 2 * HOUR)).toEqual({ fromMs: T0, toMs: T0 + HOUR });
    expect(t.score(measured, T0 + 2 * HOUR)).toBe(1);
    expect(t.score(measured, T0 + 30 * HOUR)).toBe(23);
    expect(t.stats().all).toEqual({ hours: 24, maeK: 2, rmseK: 2, biasK: 2 });
  });

  it('keeps the figures per source and replaces a forecast from the same origin', () => {
    const t = new TemperatureErrorTracker({ leadHours: 2 });
    const ts = hours(T0, 2);
    t.record(T0, ts, [30, 30], ['topic', 'recent-days']);
    t.record(T0, ts, [21, 18], ['topic', 'recent-days']);
    t.record(T0 - HOUR, hours(T0 - HOUR, 2), [99, 19], ['x', 'recent-days']);
    t.score(new Map(ts.map((h) => [h, 20])), T0 + 10 * HOUR);
    const s = t.stats();
    expect(s.bySource.topic).toEqual({ hours: 1, maeK: 1, rmseK: 1, biasK: 1 });
    // Two forecasts of T0 from recent days: 19 (origin T0-1h) and 18 (origin T0).
    expect(s.bySource['recent-days']?.hours).toBe(2);
    expect(s.bySource['recent-days']?.biasK).toBeCloseTo(-1.5, 12);
    expect(s.all.hours).toBe(3);
  });

  it('skips missing forecast values, gives up on unmeasured hours, and forgets old errors', () => {
    const t = new TemperatureErrorTracker({ leadHours: 3, windowHours: 24, giveUpHours: 6 });
    const ts = hours(T0, 3);
    t.record(T0, ts, [20, null, Number.NaN], ['topic', 'none', 'none']);
    expect(t.pendingHours).toBe(1);
    t.score(new Map(), T0 + 3 * HOUR);
    expect(t.pendingHours).toBe(1);
    t.score(new Map(), T0 + 7 * HOUR);
    expect(t.pendingHours).toBe(0);
    t.record(T0 + 10 * HOUR, [T0 + 10 * HOUR], [25], ['topic']);
    t.score(new Map([[T0 + 10 * HOUR, 20]]), T0 + 12 * HOUR);
    expect(t.stats().all.hours).toBe(1);
    t.score(new Map(), T0 + 10 * HOUR + 24 * HOUR + 1);
    expect(t.stats().all.hours).toBe(0);
  });
});
