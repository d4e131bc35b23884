import { describe, expect, it } from 'vitest';
import { residualCorrection } from '../../../src/domain/forecast/correction.js';
import { correctedTowtForecaster, towtForecaster } from '../../../src/domain/forecast/models.js';
import { prepareSeries } from '../../../src/domain/forecast/prepared.js';
import { trainModelFile } from '../../../src/domain/forecast/training.js';
import { lcg, series, temperatures } from './synthetic.js';

describe('residual correction', () => {
  const corr = { lookbackHours: 168, bLevel: 0.5, bHour: 0, bLast: 0.5 };
  const resid = Float64Array.from({ length: 48 }, (_, i) => (i % 5) * 0.1 - 0.1);

  it('corrects forward from the origin only: hours before it get nothing', () => {
    // 30 hours starting 10 before the origin: the decay 0.8^(k+1) must never see k < 0.
    const out = residualCorrection(corr, resid, 30, -10);
    expect(Array.from(out.subarray(0, 10))).toEqual(new Array(10).fill(0));
    const ahead = residualCorrection(corr, resid, 20, 0);
    expect(Array.from(out.subarray(10))).toEqual(Array.from(ahead));
    expect(Math.max(...Array.from(out, Math.abs))).toBeLessThan(1);
  });

  it('leaves in-sample statistics of a mostly idle load finite and the size of the base model', () => {
    // Two weeks of an HVAC meter that runs in a few cold hours: the last residual is not 0.
    const n = 16 * 24;
    const temps = temperatures(n, lcg(3)).map((t) => t - 12);
    const kWh = temps.map((t, i) => (t < 2 && i % 5 === 0 ? 3 + 0.4 * (2 - t) : 0));
    kWh[n - 1] = 2.5;
    const data = prepareSeries(series(kWh, temps));
    const meta = { spaceId: 'clubhouse', endUse: 'hvac', fittedAtMs: 0 };
    const train = { start: 0, end: n };
    const corrected = trainModelFile(data, correctedTowtForecaster(), train, meta).stats.inSample;
    const plain = trainModelFile(data, towtForecaster(), train, meta).stats.inSample;
    expect(corrected?.rmseKWh).toBeCloseTo(plain?.rmseKWh ?? Number.NaN, 9);
    expect(Math.abs(corrected?.cvRmse ?? Number.NaN)).toBeLessThan(10);
    expect(Math.abs(corrected?.nmbe ?? Number.NaN)).toBeLessThan(10);
  });
});
