import { describe, expect, it } from 'vitest';
import { deserializeModel, serializeModel } from '../../../src/domain/forecast/model-file.js';
import { towtForecaster } from '../../../src/domain/forecast/models.js';
import { prepareSeries } from '../../../src/domain/forecast/prepared.js';
import {
  chooseByRollingOrigin,
  dayAheadCandidates,
  trainModelFile,
} from '../../../src/domain/forecast/training.js';
import { isOccupied, lcg, series, temperatures } from './synthetic.js';

const N = 90 * 24;
function building(persistence: number): ReturnType<typeof prepareSeries> {
  const rand = lcg(21);
  const temps = temperatures(N, rand);
  let drift = 0;
  const y = temps.map((t, i) => {
    if (i % 24 === 0) drift = persistence * drift + (rand() - 0.5) * 30;
    return (isOccupied(i) ? 100 : 40) + Math.max(0, 14 - t) + drift + (rand() - 0.5) * 4;
  });
  return prepareSeries(series(y, temps));
}

describe('training for the service', () => {
  it('chooses by rolling origin, reading nothing at or after the end', () => {
    const data = building(0.9);
    const end = 80 * 24;
    const a = chooseByRollingOrigin(data, dayAheadCandidates(), end);
    expect(a.name).toBe('towt-corrected');
    const garbled = { ...data, y: Float64Array.from(data.y, (v, i) => (i >= end ? v * 10 : v)) };
    const b = chooseByRollingOrigin(garbled, dayAheadCandidates(), end);
    expect(b.scores.map((s) => s.stats.cvRmse)).toEqual(a.scores.map((s) => s.stats.cvRmse));
  });

  it('packages a fitted model with in-sample and held-out-month statistics', () => {
    const data = building(0);
    const file = trainModelFile(
      data,
      towtForecaster(),
      { start: 0, end: N },
      {
        spaceId: 'garage-1',
        endUse: 'total',
        fittedAtMs: 1,
      },
    );
    expect(file.stats.inSample?.n).toBe(N);
    expect(file.stats.outOfSample?.n).toBe(N);
    expect(file.stats.outOfSample?.cvRmse).toBeGreaterThan(file.stats.inSample?.cvRmse ?? 0);
    expect(Math.abs(file.stats.inSample?.nmbe ?? 1)).toBeLessThan(1e-9); // OLS: ~0 in sample
    expect(file.trainingWindow.toMs - file.trainingWindow.fromMs).toBe(N * 3_600_000);
    expect(deserializeModel(serializeModel(file)).ok).toBe(true);
  });
});
