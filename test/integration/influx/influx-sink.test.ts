import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { InfluxLineWriter } from '../../../src/adapters/influx/influx-line-writer.js';
import { SiteConfig } from '../../../src/config/schema/site.js';
import { ForecastExport } from '../../../src/services/export/forecast-export.js';
import { StoreTaps } from '../../../src/services/export/store-taps.js';
import {
  MemoryCounterStore,
  MemoryIntervalStore,
  MemorySavingsLedgerStore,
  MemorySetpointAuditStore,
} from '../../helpers/fakes/index.js';
import { MemorySensorStore } from '../../helpers/fakes/memory-sensor-store.js';
import { makeSink, outboxDatabase, until } from '../../helpers/influx-sink.js';
import { captureLogger } from '../../helpers/logger.js';
import {
  type ExportedSeries,
  VictoriaMetrics,
  victoriaMetricsMissing,
} from '../../helpers/victoria-metrics.js';

const missing = victoriaMetricsMissing();
const T0 = Date.UTC(2025, 10, 3, 0, 0); // 2025-11-03 00:00 UTC
const Q = 15 * 60_000;
const H = 3_600_000;

const sites = [
  SiteConfig.parse({
    id: 'maple',
    name: 'Maple Court',
    timezone: 'Asia/Shanghai',
    spaces: [
      {
        id: 'lobby',
        type: 'lobby',
        areaM2: 120,
        meters: [{ id: 'lobby-meter', topic: 't/lobby-meter', measures: 'lighting' }],
        sensors: [{ id: 'lobby-lux', kind: 'illuminance', topic: 't/lobby-lux' }],
      },
    ],
  }),
];

/** The one series with this name and these labels; fails when there is none or more than one. */
function series(all: ExportedSeries[], name: string, labels: Record<string, string> = {}): ExportedSeries {
  const found = all.filter(
    (s) => s.metric.__name__ === name && Object.entries(labels).every(([k, v]) => s.metric[k] === v),
  );
  expect(found, `series ${name} ${JSON.stringify(labels)}`).toHaveLength(1);
  return found[0] as ExportedSeries;
}

describe.skipIf(missing)('InfluxDB sink against a real write API (victoria-metrics)', () => {
  let vm: VictoriaMetrics;
  beforeAll(async () => {
    vm = await VictoriaMetrics.start();
  });
  afterAll(async () => {
    await vm?.dispose();
  });

  it('writes every record kind through the client and reads the same counts and values back', async () => {
    const writer = new InfluxLineWriter({
      url: vm.url,
      org: 'quietwatt',
      bucket: 'quietwatt',
      token: 'unused',
      timeoutMs: 5_000,
      maxBatchLines: 100,
    });
    const { sink, outbox } = makeSink(outboxDatabase(), writer, { batchLines: 100 });
    const clock = new ManualClock(T0 + 10 * H);
    const taps = new StoreTaps({ sink, clock, sites: () => sites, log: captureLogger() });
    await sink.start();

    // Interval energy: 8 quarters, the first one topped up by a second addition (the total counts).
    const intervals = taps.intervals(new MemoryIntervalStore());
    const row = (i: number, kWh: number) => ({
      meterId: 'lobby-meter',
      siteId: 'maple',
      spaceId: 'lobby',
      endUse: 'lighting' as const,
      minutes: 15 as const,
      startMs: T0 + i * Q,
      energyKWh: kWh,
      coverage: 1,
      missing: false,
    });
    intervals.addIntervals(Array.from({ length: 8 }, (_, i) => row(i, 0.25 + i / 100)));
    intervals.addIntervals([row(0, 0.5)]);

    const sensors = taps.sensors(new MemorySensorStore());
    sensors.appendSamples(
      Array.from({ length: 5 }, (_, i) => ({
        sensorId: 'lobby-lux',
        tsMs: T0 + i * 120_000,
        value: 100 + i,
        receivedAtMs: T0 + i * 120_000,
      })),
    );

    const ledger = taps.ledger(new MemorySavingsLedgerStore());
    ledger.upsertLedger(
      [0, 1, 2].map((h) => ({
        hourStartMs: T0 + h * H,
        siteId: 'maple',
        spaceId: 'lobby',
        endUse: 'lighting' as const,
        baselineKWh: 2,
        measuredKWh: 1.5 - h / 10,
        avoidedKWh: 0.5 + h / 10,
        cost: 0.3 + h / 10,
        currency: 'CNY',
        co2Kg: 0.25,
        kind: 'measured' as const,
        method: 'randomized',
        baselineVersion: 'towt-3',
      })),
    );

    const audit = taps.audit(new MemorySetpointAuditStore());
    audit.record({
      id: 'sp-1',
      siteId: 'maple',
      spaceId: 'lobby',
      deviceId: 'lobby-lights',
      kind: 'lighting',
      valueJson: JSON.stringify({ kind: 'lighting', levelPct: 40 }),
      reason: 'unoccupied',
      mode: 'active',
      inputsJson: '{}',
      decidedAtMs: T0 + H,
      validUntilMs: T0 + H + 30 * 60_000,
      planId: 'plan-1',
      publishedAtMs: null,
      acknowledgedAtMs: null,
    });
    audit.markPublished('sp-1', T0 + H + 1_000);
    audit.markAcknowledged('sp-1', T0 + H + 3_500);

    const rejections = taps.rejections(new MemoryCounterStore());
    rejections.increment('lobby-meter', 'negative');
    clock.advance(60_000);
    rejections.increment('lobby-meter', 'negative');

    const forecasts = new ForecastExport({
      source: {
        forecastFor: (_site, _space, endUse) =>
          endUse === 'lighting'
            ? {
                siteId: 'maple',
                spaceId: 'lobby',
                endUse,
                originMs: T0,
                tsMs: Array.from({ length: 48 }, (_, i) => T0 + i * H),
                kWh: Array.from({ length: 48 }, (_, i) => (i === 5 ? null : 1 + i / 100)),
                model: 'towt-corrected',
                modelVersion: 3,
              }
            : undefined,
        occupancyFor: () => undefined,
      },
      sink,
      scheduler: { schedule: () => ({ name: 'x', cancel: () => undefined }), stop: async () => undefined },
      sites: () => sites,
      log: captureLogger(),
    });
    forecasts.check();
    forecasts.check(); // the same origin is not written twice

    await sink.idle();
    await until('outbox empty', () => outbox.size() === 0);
    await sink.stop();
    expect(sink.counts()).toMatchObject({ failedRequests: 0, refused: 0, dropped: 0 });

    const all = await vm.export('{__name__=~"(energy|sensor|forecast|setpoint|savings|rejection)_.*"}');

    const kwh = series(all, 'energy_kwh', {
      site: 'maple',
      space: 'lobby',
      meter: 'lobby-meter',
      end_use: 'lighting',
    });
    expect(kwh.timestamps).toEqual(Array.from({ length: 8 }, (_, i) => T0 + i * Q));
    expect(kwh.values).toEqual([0.75, 0.26, 0.27, 0.28, 0.29, 0.3, 0.31, 0.32]);
    expect(series(all, 'energy_missing').values).toEqual(Array(8).fill(0));

    const lux = series(all, 'sensor_value', { device: 'lobby-lux', kind: 'illuminance', space: 'lobby' });
    expect(lux.values).toEqual([100, 101, 102, 103, 104]);
    expect(lux.timestamps).toEqual(Array.from({ length: 5 }, (_, i) => T0 + i * 120_000));

    const avoided = series(all, 'savings_avoided_kwh', {
      kind: 'measured',
      method: 'randomized',
      currency: 'CNY',
    });
    expect(avoided.values).toEqual([0.5, 0.6, 0.7]);
    expect(series(all, 'savings_baseline_kwh').values).toEqual([2, 2, 2]);
    expect(series(all, 'savings_cost').values).toEqual([0.3, 0.4, 0.5]);

    const level = series(all, 'setpoint_level_pct', { device: 'lobby-lights', kind: 'lighting' });
    expect(level).toMatchObject({ values: [40], timestamps: [T0 + H] });
    expect(series(all, 'setpoint_acknowledged').values).toEqual([1]);
    expect(series(all, 'setpoint_published').values).toEqual([1]);
    expect(series(all, 'setpoint_ack_delay_s').values).toEqual([2.5]);

    const rejected = series(all, 'rejection_total', {
      meter: 'lobby-meter',
      kind: 'negative',
      site: 'maple',
    });
    expect(rejected).toMatchObject({ values: [1, 2], timestamps: [T0 + 10 * H, T0 + 10 * H + 60_000] });

    const forecast = series(all, 'forecast_kwh', { end_use: 'lighting', space: 'lobby' });
    expect(forecast.values).toHaveLength(47); // the hour without a forecast is left out
    expect(forecast.values[0]).toBe(1);
    expect(series(all, 'forecast_horizon_h').values).toHaveLength(48);
  });
});
