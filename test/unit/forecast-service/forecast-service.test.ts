import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import type { QuietWattConfig } from '../../../src/config/schema/index.js';
import type { OccupancyFraction } from '../../../src/domain/sensors/types.js';
import type { WeatherForecastSource } from '../../../src/ports/weather.js';
import { ForecastService } from '../../../src/services/forecast/forecast-service.js';
import type { FitRequest, FitResult } from '../../../src/services/modelling/fit-job.js';
import { type FitRunner, InlineFitRunner } from '../../../src/services/modelling/fit-runner.js';
import { createMemoryStores, type MemoryStores } from '../../helpers/fakes/index.js';
import { captureLogger } from '../../helpers/logger.js';
import { DAY, HOUR, load, shanghaiHour, T0, testConfig, writeAll } from './fixture.js';

/** Counts fits, so a test can tell a reload from a refit. */
class CountingRunner implements FitRunner {
  readonly requests: FitRequest['kind'][] = [];
  private readonly inner = new InlineFitRunner();
  fit(request: FitRequest): Promise<FitResult> {
    this.requests.push(request.kind);
    return this.inner.fit(request);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

interface Harness {
  clock: ManualClock;
  scheduler: SimulatedScheduler;
  service: ForecastService;
  runner: CountingRunner;
  log: ReturnType<typeof captureLogger>;
}

const running: Harness[] = [];

function harness(
  stores: MemoryStores,
  startMs: number,
  config: QuietWattConfig = testConfig(),
  occupancy?: (siteId: string, spaceId: string, fromMs: number, toMs: number) => OccupancyFraction[],
  weather?: WeatherForecastSource,
): Harness {
  const clock = new ManualClock(startMs);
  const scheduler = new SimulatedScheduler(clock);
  const log = captureLogger();
  const runner = new CountingRunner();
  const service = new ForecastService({
    clock,
    scheduler,
    log,
    intervals: stores.intervals,
    models: stores.models,
    runner,
    sites: config.sites,
    forecast: config.forecast,
    ...(occupancy ? { occupancy } : {}),
    ...(weather ? { weather } : {}),
  });
  const h = { clock, scheduler, service, runner, log };
  running.push(h);
  return h;
}

async function stopAll(): Promise<void> {
  for (const h of running.splice(0)) {
    await h.service.stop();
    await h.scheduler.stop();
  }
}

afterEach(stopAll);

const refreshLines = (h: Harness) => h.log.lines.filter((l) => l.msg === 'forecasts refreshed');

describe('ForecastService', () => {
  it('starts cold on the space-type prior, then switches to a fitted model at the nightly refit once data suffices', async () => {
    const stores = createMemoryStores();
    const start = T0 + 3 * DAY;
    writeAll(stores.intervals, T0, start);
    const h = harness(stores, start);
    await h.service.start();
    await h.service.whenIdle();

    const cold = h.service.forecastFor('site-a', 'gym', 'lighting');
    expect(cold?.coldStart).toBe(true);
    expect(cold?.model).toBe('prior-gym');
    expect(cold?.tsMs).toHaveLength(48);
    expect(cold?.tsMs[0]).toBe(start);
    expect(cold?.kWh.every((v) => v !== null && v > 0)).toBe(true);
    expect(cold?.modelVersion).toBe(1);

    // Three weeks of data later, the 02:30 local refit has enough to choose a real model.
    const later = T0 + 21 * DAY;
    writeAll(stores.intervals, start, later);
    await h.scheduler.advanceTo(later + 3 * HOUR);
    await h.service.whenIdle();
    const warm = h.service.forecastFor('site-a', 'gym', 'lighting');
    expect(warm?.coldStart).toBe(false);
    expect(warm?.model).not.toMatch(/^prior/);
    expect(warm?.modelVersion).toBeGreaterThan(1);
    // The fitted model follows the weekly pattern it was given.
    warm?.kWh.forEach((v, i) => {
      expect(v).not.toBeNull();
      expect(Math.abs((v as number) - load(warm.tsMs[i] as number))).toBeLessThan(0.5);
    });
    expect(stores.models.latestModel('site-a', 'gym', 'lighting', 'forecast')?.version).toBe(
      warm?.modelVersion,
    );
  });

  it('refreshes every hour with one log line per refresh, and on demand', async () => {
    const stores = createMemoryStores();
    // 06:00 local: the 02:30 nightly refit is not among the next hours.
    const start = T0 + 15 * DAY + 6 * HOUR;
    writeAll(stores.intervals, T0, start);
    const h = harness(stores, start);
    await h.service.start();
    await h.service.whenIdle();
    expect(refreshLines(h)).toHaveLength(1);
    expect(refreshLines(h)[0]?.obj).toMatchObject({ series: 3 });

    await h.scheduler.advanceTo(start + 3 * HOUR);
    await h.service.whenIdle();
    expect(refreshLines(h)).toHaveLength(4);
    expect(h.service.forecastFor('site-a', 'corridor', 'hvac')?.originMs).toBe(start + 3 * HOUR);

    h.clock.set(start + 3 * HOUR + 20 * 60_000);
    await h.service.refresh('corridor');
    expect(refreshLines(h)).toHaveLength(5);
    expect(refreshLines(h)[4]?.obj).toMatchObject({ series: 2 });
    // Only hourly refreshes happened: no model was fitted twice.
    expect(h.runner.requests.filter((k) => k === 'forecast')).toHaveLength(3);
  });

  it('reloads persisted models on restart instead of refitting', async () => {
    const stores = createMemoryStores();
    const start = T0 + 15 * DAY;
    writeAll(stores.intervals, T0, start);
    const first = harness(stores, start);
    await first.service.start();
    await first.service.whenIdle();
    const before = first.service.forecastFor('site-a', 'corridor', 'lighting');
    await stopAll();

    const second = harness(stores, start);
    await second.service.start();
    await second.service.whenIdle();
    expect(second.runner.requests).toEqual([]);
    const after = second.service.forecastFor('site-a', 'corridor', 'lighting');
    expect(after?.modelVersion).toBe(before?.modelVersion);
    expect(after?.kWh).toEqual(before?.kWh);
    expect(second.log.lines.some((l) => l.msg === 'forecast models loaded')).toBe(true);
  });

  it('forecasts occupancy probability for spaces with an occupancy sensor', async () => {
    const stores = createMemoryStores();
    const start = T0 + 15 * DAY;
    writeAll(stores.intervals, T0, start);
    const occupancy = (_site: string, spaceId: string, fromMs: number, toMs: number): OccupancyFraction[] => {
      if (spaceId !== 'gym') return [];
      const out: OccupancyFraction[] = [];
      for (let t = fromMs; t < toMs; t += HOUR) {
        const h = shanghaiHour(t);
        out.push({ startMs: t, fraction: h >= 8 && h < 20 ? 0.9 : 0, observed: 1 });
      }
      return out;
    };
    const h = harness(stores, start, testConfig(), occupancy);
    await h.service.start();
    await h.service.whenIdle();
    expect(h.service.occupancyFor('site-a', 'corridor')).toBeUndefined();
    const occ = h.service.occupancyFor('site-a', 'gym');
    expect(occ?.probability).toHaveLength(48);
    occ?.tsMs.forEach((t, i) => {
      const p = occ.probability[i] as number;
      const hour = shanghaiHour(t);
      if (hour >= 8 && hour < 20) expect(p).toBeGreaterThan(0.7);
      else expect(p).toBeLessThan(0.2);
    });
    expect(stores.models.latestModel('site-a', 'gym', 'total', 'occupancy')?.version).toBe(1);
  });

  it('takes the temperature forecast from the weather source where it has values, else the recent-days model', async () => {
    const stores = createMemoryStores();
    const start = T0 + 15 * DAY + 6 * HOUR;
    writeAll(stores.intervals, T0, start);
    const asked: [string, number, number][] = [];
    const weather: WeatherForecastSource = {
      forecast: async (siteId, fromMs, hours) => {
        asked.push([siteId, fromMs, hours]);
        const tsMs = Array.from({ length: 24 }, (_, i) => fromMs + i * HOUR);
        return { tsMs, temperatureC: tsMs.map(() => 31.5), source: 'test' };
      },
    };
    const temperature = (_site: string, fromMs: number, toMs: number) => {
      const out = [];
      for (let t = fromMs; t < toMs; t += HOUR) out.push({ hourStartMs: t, temperatureC: 12, samples: 4 });
      return out;
    };
    const clock = new ManualClock(start);
    const scheduler = new SimulatedScheduler(clock);
    const config = testConfig();
    const service = new ForecastService({
      clock,
      scheduler,
      log: captureLogger(),
      intervals: stores.intervals,
      models: stores.models,
      runner: new InlineFitRunner(),
      sites: config.sites,
      forecast: config.forecast,
      temperature,
      weather,
    });
    await service.start();
    await service.whenIdle();
    const f = service.forecastFor('site-a', 'gym', 'lighting');
    expect(asked[0]).toEqual(['site-a', start, 48]);
    expect(f?.temperatureC.slice(0, 24)).toEqual(Array(24).fill(31.5));
    expect(f?.temperatureC.slice(24).every((t) => t !== null && Math.abs(t - 12) < 1e-9)).toBe(true);
    await service.stop();
    await scheduler.stop();
  });

  it('warns once per local day when the horizon runs past the holiday calendar', async () => {
    const stores = createMemoryStores();
    // Far beyond any published year of China's holidays.
    const start = Date.UTC(2099, 5, 1, 0);
    writeAll(stores.intervals, start - 15 * DAY, start);
    const h = harness(stores, start);
    await h.service.start();
    await h.service.whenIdle();
    await h.scheduler.advanceTo(start + 5 * HOUR);
    await h.service.whenIdle();
    const warnings = () =>
      h.log.lines.filter((l) => l.level === 'warn' && /holiday calendar/.test(l.msg ?? ''));
    expect(warnings()).toHaveLength(1);
    await h.scheduler.advanceTo(start + 26 * HOUR);
    await h.service.whenIdle();
    expect(warnings()).toHaveLength(2);
  });

  it('does not warn about coverage when the site uses no holiday calendar', async () => {
    const stores = createMemoryStores();
    const start = Date.UTC(2099, 5, 1, 0);
    writeAll(stores.intervals, start - 15 * DAY, start);
    const h = harness(stores, start, testConfig({ forecast: { holidays: 'none' } }));
    await h.service.start();
    await h.service.whenIdle();
    expect(h.log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });
});
