import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SPACE_TYPES } from '../../../src/domain/energy.js';
import { towtForecaster } from '../../../src/domain/forecast/models.js';
import { prepareSeries } from '../../../src/domain/forecast/prepared.js';
import { parsePrior, priorForecaster, selectForecaster } from '../../../src/domain/forecast/prior.js';
import { recentDaysTemperature } from '../../../src/domain/forecast/temperature-forecast.js';
import { series } from './synthetic.js';

const priorFile = (t: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../models/priors/${t}.json`, import.meta.url), 'utf8'));

describe('cold-start priors', () => {
  it('ships a valid prior for every space type, each with mean 1', () => {
    const files = readdirSync(new URL('../../../models/priors/', import.meta.url)).filter((f) =>
      f.endsWith('.json'),
    );
    expect(files.map((f) => f.replace('.json', '')).sort()).toEqual([...SPACE_TYPES].sort());
    for (const t of SPACE_TYPES) {
      const p = parsePrior(priorFile(t));
      const mean = p.shape.reduce((a, b) => a + b, 0) / 168;
      expect(mean).toBeCloseTo(1, 2);
    }
  });

  it('is used until the data suffice, scaled to the readings seen', () => {
    const prior = parsePrior(priorFile('gym'));
    const few = Array.from({ length: 3 * 24 }, (_, i) => 2 * (prior.shape[i % 168] ?? 1));
    const data = prepareSeries(series(few));
    const pick = selectForecaster(data, { start: 0, end: few.length }, prior, towtForecaster());
    expect(pick.coldStart).toBe(true);
    expect(pick.sufficiency.issues.map((i) => i.code)).toContain('TOO_SHORT');
    const p = pick.forecaster
      .fit(data, { start: 0, end: few.length })
      .predict(data, { start: 0, end: 24 }, 72);
    expect(p[7]).toBeCloseTo(2 * (prior.shape[7] ?? 0), 9);
    const enough = prepareSeries(series(Array.from({ length: 30 * 24 }, () => 5)));
    expect(selectForecaster(enough, { start: 0, end: 720 }, prior, towtForecaster()).coldStart).toBe(false);
  });

  it('with no readings at all, uses the nominal mean', () => {
    const prior = parsePrior(priorFile('other'));
    const data = prepareSeries(series([null, null]));
    const p = priorForecaster(prior, 3)
      .fit(data, { start: 0, end: 2 })
      .predict(data, { start: 0, end: 2 }, 2);
    expect(Array.from(p)).toEqual([3, 3]);
  });

  it('rejects a malformed prior', () => {
    expect(() => parsePrior({ format: 'quietwatt.prior', version: 1, shape: [1] })).toThrow(
      /shape|spaceType/,
    );
  });
});

describe('recent-days temperature model', () => {
  const hours = Array.from({ length: 72 }, (_, i) => i % 24);
  it('repeats the diurnal profile of the recent days', () => {
    const hist = hours.map((h) => 10 + h / 2);
    const f = recentDaysTemperature(hist, hours, [0, 12, 23]);
    // Last observation sits on the profile: no anomaly.
    expect(Array.from(f)).toEqual([10, 16, 21.5]);
  });
  it("carries today's anomaly forward, decaying", () => {
    const hist = hours.map((h, i) => 10 + h / 2 + (i >= 48 ? 6 : 0));
    const f = recentDaysTemperature(hist, hours, [0, 1, 2, 3], { days: 3, decayHours: 12 });
    const profile0 = 10 + 2; // mean of 10, 10, 16 at hour 0
    expect(f[0]).toBeGreaterThan(profile0);
    expect((f[3] ?? 0) - (10 + 1.5 + 2)).toBeLessThan((f[0] ?? 0) - profile0);
  });
  it('returns NaN without history', () => {
    expect(Number.isNaN(recentDaysTemperature([null], [0], [1])[0] ?? 0)).toBe(true);
  });
});
