import { describe, expect, it } from 'vitest';
import { serviceMetrics } from '../../../src/adapters/http/metrics.js';

describe('store write metrics', () => {
  it('count failed write attempts and what waits to be written, per writer', async () => {
    const metrics = serviceMetrics({
      now: () => 0,
      ingest: { stats: () => ({ meters: {}, writeFailures: 4, pendingReadings: 120 }) },
      sensors: {
        stats: () => ({ sensors: {}, writeFailures: 1, pendingSamples: 7 }),
        freshness: () => [],
        isStale: () => false,
      },
      control: { status: () => [], releaseState: () => ({ fireAlarm: false, operator: false }) },
      meterStaleMinutes: () => 30,
    });
    try {
      const text = await metrics.registry.metrics();
      expect(text).toContain('quietwatt_store_write_failures_total{writer="ingest"} 4');
      expect(text).toContain('quietwatt_store_write_failures_total{writer="sensors"} 1');
      expect(text).toContain('quietwatt_store_write_pending{writer="ingest"} 120');
      expect(text).toContain('quietwatt_store_write_pending{writer="sensors"} 7');
    } finally {
      metrics.stop();
    }
  });
});
