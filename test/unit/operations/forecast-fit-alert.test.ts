import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { type FitStats, fitStats } from '../../../src/domain/forecast/metrics.js';
import { reportForecastFit } from '../../../src/services/forecast/fit-alert.js';
import { AlertService } from '../../../src/services/operations/alert-service.js';
import { MemoryAlertStore } from '../../helpers/fakes/memory-alert-store.js';
import { captureLogger } from '../../helpers/logger.js';

const stats = (cvRmse: number, nmbe: number, meetsG14: boolean): FitStats => ({
  n: 500,
  p: 20,
  meanKWh: 2,
  rmseKWh: cvRmse * 2,
  cvRmse,
  nmbe,
  r2: 0.5,
  meetsG14,
});

describe('forecast fits and Guideline 14 alerts', () => {
  it('raises when held-out statistics miss Guideline 14, clears on a later fit that meets it, ignores priors', () => {
    const alerts = new AlertService({
      store: new MemoryAlertStore(),
      clock: new ManualClock(0),
      log: captureLogger(),
    });
    const series = { siteId: 'maple', spaceId: 'gym', endUse: 'hvac' as const };
    reportForecastFit(alerts, series, 'towt', {
      inSample: stats(0.1, 0, true),
      outOfSample: stats(0.42, -0.12, false),
    });
    expect(alerts.alerts({ kind: 'model-guideline14' })).toEqual([
      expect.objectContaining({
        key: 'model-guideline14:maple:gym:forecast:hvac',
        severity: 'warning',
        message: expect.stringMatching(/on held-out data: CV\(RMSE\) 42\.0 %, NMBE -12\.0 %/),
      }),
    ]);
    reportForecastFit(alerts, series, 'prior', {});
    reportForecastFit(alerts, series, 'prior', {
      inSample: { ...stats(Number.NaN, Number.NaN, false), n: 0 },
    });
    expect(alerts.alerts({ kind: 'model-guideline14' })).toHaveLength(1);
    reportForecastFit(alerts, series, 'towt', { outOfSample: stats(0.2, 0.01, true) });
    expect(alerts.alerts({ kind: 'model-guideline14' })).toEqual([]);
  });

  it('a model over a mean load of about zero is not assessable, with why, not a huge percentage', () => {
    const alerts = new AlertService({
      store: new MemoryAlertStore(),
      clock: new ManualClock(0),
      log: captureLogger(),
    });
    const series = { siteId: 'maple', spaceId: 'garage', endUse: 'lighting' as const };
    // A meter that reports nothing: rounding residue for readings, a model predicting a little.
    const observed = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 1e-35 : -5e-36));
    const predicted = observed.map((_, i) => 0.01 * (i % 3));
    reportForecastFit(alerts, series, 'towt', { outOfSample: fitStats(observed, predicted, 10) });
    const [alert] = alerts.alerts({ kind: 'model-guideline14' });
    expect(alert?.message).toContain('cannot be assessed against Guideline 14 on held-out data');
    expect(alert?.message).toContain('is about zero, so CV(RMSE) and NMBE are undefined');
    expect(alert?.message).not.toMatch(/e\+\d+ %|\d{4,}\.\d %/);
    reportForecastFit(alerts, series, 'towt', { outOfSample: stats(0.2, 0.01, true) });
    expect(alerts.alerts({ kind: 'model-guideline14' })).toEqual([]);
  });
});
