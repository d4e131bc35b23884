import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../src/adapters/scheduler/simulated-scheduler.js';
import { openSqliteStorage } from '../../src/adapters/sqlite/storage.js';
import { WorkerFitRunner } from '../../src/adapters/worker/worker-fit-runner.js';
import { ForecastService } from '../../src/services/forecast/forecast-service.js';
import { priorFor } from '../../src/services/forecast/priors.js';
import { type FitRequest, runFit } from '../../src/services/modelling/fit-job.js';
import { InlineFitRunner } from '../../src/services/modelling/fit-runner.js';
import { captureLogger } from '../helpers/logger.js';
import { DAY, HOUR, load, T0, testConfig, writeAll } from '../unit/forecast-service/fixture.js';

const dirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A year of hourly data with a weekly pattern and a temperature response. */
function yearRequest(): FitRequest {
  const n = 365 * 24;
  const tsMs = Array.from({ length: n }, (_, i) => T0 + i * HOUR);
  const temperatureC = tsMs.map(
    (_, i) => 15 + 10 * Math.sin((2 * Math.PI * i) / n) + 3 * Math.sin((2 * Math.PI * i) / 24),
  );
  const kWh = tsMs.map(
    (t, i) => load(t) + 0.2 * Math.max(0, (temperatureC[i] as number) - 20) + ((i * 7919) % 13) / 26,
  );
  return {
    kind: 'forecast',
    series: { timeZone: 'Asia/Shanghai', tsMs, kWh, temperatureC },
    calendar: { kind: 'china', holidays: [], workdays: [] },
    prior: priorFor('gym'),
    spaceId: 'gym',
    endUse: 'lighting',
    fittedAtMs: T0 + n * HOUR,
  };
}

/** Counts timer ticks while `work` runs: a blocked event loop ticks not at all. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ ticks: number; result: T }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    const result = await work();
    return { ticks, result };
  } finally {
    clearInterval(timer);
  }
}

describe('fitting in a worker thread', () => {
  it('loads the TypeScript entry under tsx and returns the same model as an inline fit, with the event loop free meanwhile', async () => {
    const request = yearRequest();
    const runner = new WorkerFitRunner();
    cleanups.push(() => runner.close());
    // Warm the worker up (tsx compiles the domain on first load), then measure a fit.
    await runner.fit({
      ...request,
      series: {
        timeZone: 'Asia/Shanghai',
        tsMs: request.series.tsMs.slice(0, 48),
        kWh: request.series.kWh.slice(0, 48),
      },
    });
    const inWorker = await ticksDuring(() => runner.fit(request));
    const inline = await ticksDuring(() => new InlineFitRunner().fit(request));

    expect(inWorker.result).toEqual(runFit(request));
    expect(inWorker.result.kind === 'forecast' && inWorker.result.coldStart).toBe(false);
    // The inline fit holds the loop for its whole duration; the worker fit does not.
    expect(inline.ticks).toBe(0);
    expect(inWorker.ticks).toBeGreaterThan(3);
  });

  it('reports a failed fit as a rejected promise and keeps serving', async () => {
    const runner = new WorkerFitRunner();
    cleanups.push(() => runner.close());
    const bad = { ...yearRequest(), series: { timeZone: 'Not/AZone', tsMs: [T0], kWh: [1] } } as FitRequest;
    await expect(runner.fit(bad)).rejects.toThrow(/time zone/);
    const ok = await runner.fit({
      ...yearRequest(),
      series: { timeZone: 'Asia/Shanghai', tsMs: [T0], kWh: [1] },
    });
    expect(ok.kind).toBe('forecast');
  });
});

describe('ForecastService over SQLite with the worker runner', () => {
  it('fits in the worker, persists models in the storage directory and reloads them after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qw-forecast-'));
    dirs.push(dir);
    const config = testConfig();
    const start = T0 + 20 * DAY + 6 * HOUR;

    const run = async (expectFits: boolean) => {
      const storage = openSqliteStorage(dir, captureLogger());
      const clock = new ManualClock(start);
      const scheduler = new SimulatedScheduler(clock);
      const runner = new WorkerFitRunner();
      const log = captureLogger();
      const service = new ForecastService({
        clock,
        scheduler,
        log,
        intervals: storage.stores.intervals,
        models: storage.stores.models,
        runner,
        sites: config.sites,
        forecast: config.forecast,
      });
      if (expectFits) writeAll(storage.stores.intervals, T0, start);
      await service.start();
      await service.whenIdle();
      const forecast = service.forecastFor('site-a', 'corridor', 'hvac');
      const fitted = log.lines.find((l) => l.msg === 'forecast models fitted');
      await service.stop();
      await runner.close();
      await scheduler.stop();
      await storage.component.stop();
      return { forecast, fitted };
    };

    const first = await run(true);
    expect(first.fitted?.obj).toMatchObject({ fitted: 3 });
    expect(first.forecast?.coldStart).toBe(false);
    const second = await run(false);
    expect(second.fitted).toBeUndefined();
    expect(second.forecast?.modelVersion).toBe(first.forecast?.modelVersion);
    expect(second.forecast?.kWh).toEqual(first.forecast?.kWh);
  });
});
