import { describe, expect, it } from 'vitest';
import { modelJson } from '../../../src/adapters/http/routes/models.js';
import { fitStats } from '../../../src/domain/forecast/metrics.js';

describe('GET /api/v1/models rows', () => {
  it('a model over a mean load of about zero is not assessable: no ratios, no pass or fail, a reason', () => {
    const stats = fitStats([1e-35, 0, 0, 0], [0.01, 0, 0.02, 0], 1);
    const row = modelJson(
      {
        siteId: 'maple',
        spaceId: 'garage',
        endUse: 'lighting',
        modelKind: 'forecast',
        version: 1,
        createdAtMs: 0,
        // As a model file stores it: NaN is written as null.
        json: JSON.stringify({ name: 'towt', stats: { outOfSample: stats } }),
      },
      'UTC',
    );
    expect(row).toMatchObject({ cvRmse: null, nmbe: null, guideline14Pass: null });
    expect(row.issues).toEqual([
      expect.stringMatching(/^not assessable against Guideline 14: the mean load/),
    ]);
  });
});
