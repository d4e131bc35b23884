import { describe, expect, it } from 'vitest';
import { serviceMetrics } from '../../../src/adapters/http/metrics.js';
import { metricsSources } from '../../helpers/metrics-sources.js';

describe('a scrape of /metrics', () => {
  it("copies the services' statistics once per scrape, and afresh for the next", async () => {
    let ingestCopies = 0;
    let sensorCopies = 0;
    let accepted = 5;
    const metrics = serviceMetrics(
      metricsSources({
        ingest: {
          stats: () => {
            ingestCopies++;
            return {
              meters: { 'm-1': { accepted, rejected: { 'malformed-json': 1 }, lastReadingTsMs: null } },
              writeFailures: 0,
              pendingReadings: 2,
            };
          },
        },
        sensorStats: () => {
          sensorCopies++;
          return { sensors: { 's-1': { accepted: 3, rejected: {} } }, writeFailures: 0, pendingSamples: 0 };
        },
      }),
    );
    try {
      const first = await metrics.registry.metrics();
      expect(ingestCopies).toBe(1);
      expect(sensorCopies).toBe(1);
      expect(first).toContain('quietwatt_readings_ingested_total{meter="m-1"} 5');
      expect(first).toContain('quietwatt_readings_rejected_total{meter="m-1",reason="malformed-json"} 1');
      expect(first).toContain('quietwatt_meters_stale 1');
      expect(first).toContain('quietwatt_store_write_pending{writer="ingest"} 2');

      accepted = 9;
      const second = await metrics.registry.metrics();
      expect(ingestCopies).toBe(2);
      expect(second).toContain('quietwatt_readings_ingested_total{meter="m-1"} 9');
    } finally {
      metrics.stop();
    }
  });
});
