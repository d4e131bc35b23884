import { describe, expect, it } from 'vitest';
import { serviceMetrics } from '../../../src/adapters/http/metrics.js';
import { metricsSources } from '../../helpers/metrics-sources.js';

describe('store write metrics', () => {
  it('count failed write attempts and what waits to be written, per writer', async () => {
    const metrics = serviceMetrics(
      metricsSources({
        ingest: {
          stats: () => ({
            meters: {},
            writeFailures: 4,
            pendingReadings: 120,
            lastFlushWriteMs: 1_250,
            flushPaced: true,
          }),
        },
        sensorStats: () => ({ sensors: {}, writeFailures: 1, pendingSamples: 7 }),
      }),
    );
    try {
      const text = await metrics.registry.metrics();
      expect(text).toContain('quietwatt_store_write_failures_total{writer="ingest"} 4');
      expect(text).toContain('quietwatt_store_write_failures_total{writer="sensors"} 1');
      expect(text).toContain('quietwatt_store_write_pending{writer="ingest"} 120');
      expect(text).toContain('quietwatt_store_write_pending{writer="sensors"} 7');
      expect(text).toContain('quietwatt_ingest_flush_write_seconds 1.25');
      expect(text).toContain('quietwatt_ingest_flush_paced 1');
    } finally {
      metrics.stop();
    }
  });
});
