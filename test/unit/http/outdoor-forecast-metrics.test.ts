import { describe, expect, it } from 'vitest';
import { serviceMetrics } from '../../../src/adapters/http/metrics.js';
import { metricsSources } from '../../helpers/metrics-sources.js';

describe('outdoor forecast metrics', () => {
  it('report the forecast error per site, source and statistic, and the rejected payloads', async () => {
    const metrics = serviceMetrics(
      metricsSources({
        outdoorForecast: {
          status: () => [
            {
              siteId: 'maple',
              topic: 'weather/maple',
              source: 'topic',
              issuedAtMs: 0,
              accepted: 3,
              rejected: { invalid: 2 },
              error: { hours: 30, maeK: 1.5, rmseK: 2, biasK: -0.5 },
              errorBySource: { topic: { hours: 30, maeK: 1.5, rmseK: 2, biasK: -0.5 } },
            },
            {
              siteId: 'oak',
              topic: null,
              source: 'recent-days',
              issuedAtMs: null,
              accepted: 0,
              rejected: {},
              error: { hours: 0, maeK: null, rmseK: null, biasK: null },
              errorBySource: {},
            },
          ],
        },
      }),
    );
    try {
      const text = await metrics.registry.metrics();
      expect(text).toContain(
        'quietwatt_outdoor_forecast_error_kelvin{site="maple",source="all",stat="mae"} 1.5',
      );
      expect(text).toContain(
        'quietwatt_outdoor_forecast_error_kelvin{site="maple",source="topic",stat="bias"} -0.5',
      );
      expect(text).not.toContain('quietwatt_outdoor_forecast_error_kelvin{site="oak"');
      expect(text).toContain('quietwatt_outdoor_forecast_scored_hours{site="oak",source="all"} 0');
      expect(text).toContain('quietwatt_outdoor_forecast_published_in_use{site="maple"} 1');
      expect(text).toContain('quietwatt_outdoor_forecast_published_in_use{site="oak"} 0');
      expect(text).toContain('quietwatt_outdoor_forecasts_rejected_total{site="maple",reason="invalid"} 2');
    } finally {
      metrics.stop();
    }
  });
});
