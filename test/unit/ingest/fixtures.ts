import { MeterConfig } from '../../../src/config/schema/meter.js';
import type { DecodeContext } from '../../../src/domain/ingest/reading.js';
import type { SeriesRules } from '../../../src/domain/ingest/span.js';

export const NOW_MS = Date.parse('2024-06-01T04:00:00Z');

/** A meter config as the schema outputs it (defaults filled in). */
export function meter(overrides: Partial<Record<string, unknown>> = {}): MeterConfig {
  return MeterConfig.parse({ id: 'm1', topic: 'meters/m1', measures: 'total', ...overrides });
}

export function ctx(overrides: Partial<DecodeContext> = {}): DecodeContext {
  return {
    receivedAtMs: NOW_MS,
    nowMs: NOW_MS,
    timezone: 'Asia/Shanghai',
    maxPayloadBytes: 1024,
    futureToleranceMs: 5 * 60_000,
    maxAgeMs: 7 * 86_400_000,
    ...overrides,
  };
}

export function rules(overrides: Partial<SeriesRules> = {}): SeriesRules {
  return {
    kind: 'cumulative',
    maxGapMs: 60 * 60_000,
    maxPowerW: 200_000,
    windowSize: 96,
    ...overrides,
  };
}

export const MIN = 60_000;
