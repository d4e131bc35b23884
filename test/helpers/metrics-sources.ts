import type { SensorsView } from '../../src/adapters/http/deps.js';
import type { MetricsSources } from '../../src/adapters/http/metrics.js';

/**
 * What `serviceMetrics` reads, with nothing to report: no meters, no sensors, no devices, control
 * not released. A test passes what it measures; `sensorStats` replaces only the sensors' statistics.
 */
export function metricsSources(
  overrides: Partial<Omit<MetricsSources, 'sensors'>> & { readonly sensorStats?: SensorsView['stats'] } = {},
): MetricsSources {
  const { sensorStats = () => ({ sensors: {} }), ...rest } = overrides;
  return {
    now: () => 0,
    ingest: { stats: () => ({ meters: {} }) },
    sensors: { stats: sensorStats, freshness: () => [], isStale: () => false },
    control: { status: () => [], releaseState: () => ({ fireAlarm: false, operator: false }) },
    meterStaleMinutes: () => 30,
    ...rest,
  };
}
