import { describe, expect, it } from 'vitest';
import { fitStats } from '../../../src/domain/forecast/metrics.js';
import {
  deserializeModel,
  MODEL_FILE_FORMAT,
  type ModelFile,
  serializeModel,
} from '../../../src/domain/forecast/model-file.js';
import { correctedTowtForecaster, fromParams } from '../../../src/domain/forecast/models.js';
import { prepareSeries } from '../../../src/domain/forecast/prepared.js';
import { isOccupied, lcg, series, temperatures } from './synthetic.js';

describe('model files', () => {
  const n = 28 * 24;
  const temps = temperatures(n, lcg(5));
  const data = prepareSeries(
    series(
      temps.map((t, i) => (isOccupied(i) ? 90 : 30) + 0.5 * t),
      temps,
    ),
  );
  const fitted = correctedTowtForecaster().fit(data, { start: 0, end: n });
  const file: ModelFile = {
    format: MODEL_FILE_FORMAT,
    version: 1,
    name: fitted.name,
    spaceId: 'lobby-1',
    endUse: 'total',
    timeZone: 'UTC',
    calendarId: 'none',
    trainingWindow: { fromMs: data.tsMs[0] ?? 0, toMs: (data.tsMs[n - 1] ?? 0) + 3_600_000 },
    fittedAtMs: 1_700_000_000_000,
    params: fitted.params,
    stats: { inSample: fitStats([1, 2], [1, 2], 2) }, // NaN CV(RMSE): must survive as NaN
  };

  it('round-trips and predicts the same after reload', () => {
    const back = deserializeModel(serializeModel(file));
    if (!back.ok) throw new Error(back.error);
    expect(back.file.stats.inSample?.cvRmse).toBeNaN();
    const reloaded = fromParams(back.file.name, back.file.params);
    const range = { start: n - 48, end: n };
    expect(Array.from(reloaded.predict(data, range, n - 48))).toEqual(
      Array.from(fitted.predict(data, range, n - 48)),
    );
  });

  it('rejects a damaged file with the field named, and a future version', () => {
    const broken = JSON.parse(serializeModel(file)) as {
      params: { towt: { segments: { intercept: number[] }[] } };
    };
    broken.params.towt.segments[0]?.intercept.pop();
    const r = deserializeModel(JSON.stringify(broken));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('intercept');
    const v2 = deserializeModel(JSON.stringify({ ...file, version: 2 }));
    expect(v2.ok).toBe(false);
    if (!v2.ok) expect(v2.error).toContain('version 2');
    expect(deserializeModel('{').ok).toBe(false);
  });
});
