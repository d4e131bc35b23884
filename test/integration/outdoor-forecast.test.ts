import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../src/adapters/scheduler/simulated-scheduler.js';
import { ForecastService } from '../../src/services/forecast/forecast-service.js';
import { OutdoorForecastService } from '../../src/services/forecast/outdoor-forecast-service.js';
import { InlineFitRunner } from '../../src/services/modelling/fit-runner.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { createMemoryStores } from '../helpers/fakes/index.js';
import { captureLogger } from '../helpers/logger.js';
import { testBus } from '../helpers/mqtt.js';
import { until } from '../helpers/poll.js';
import { DAY, HOUR, T0, testConfig, writeAll } from '../unit/forecast-service/fixture.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
});

/** The site's outdoor sensor measured 12 °C every hour. */
const measured = (_site: string, fromMs: number, toMs: number) => {
  const out = [];
  for (let t = fromMs; t < toMs; t += HOUR) out.push({ hourStartMs: t, temperatureC: 12, samples: 4 });
  return out;
};

describe('outdoor temperature forecast topic', () => {
  it('takes a retained forecast into the load forecasts, counts garbage, falls back when stale, and scores the error', async () => {
    const { prefix, clientId } = broker.unique('outdoor-forecast');
    const topic = `${prefix}/weather/forecast`;
    const start = T0 + 15 * DAY + 6 * HOUR;
    const hourly = Array.from({ length: 24 }, (_, i) => ({
      ts: new Date(start + i * HOUR).toISOString(),
      temperatureC: 30 + (i % 3),
    }));
    const publisher = testBus(broker.url, `${clientId}-pub`);
    await publisher.start();
    await publisher.publish(topic, JSON.stringify({ issuedAt: new Date(start).toISOString(), hourly }), {
      qos: 1,
      retain: true,
    });

    const config = testConfig();
    const site = config.sites[0];
    if (!site) throw new Error('no site');
    const sites = [{ ...site, outdoorForecastTopic: topic }];
    const clock = new ManualClock(start);
    const log = captureLogger();
    const bus = testBus(broker.url, `${clientId}-svc`);
    await bus.start();
    const outdoor = new OutdoorForecastService({ bus, clock, log, sites, temperature: measured });
    await outdoor.start();
    const taken = () => outdoor.status()[0];
    await until(() => (taken()?.accepted === 1 ? true : undefined), 'the retained forecast');
    expect(taken()?.source).toBe('topic');

    const stores = createMemoryStores();
    writeAll(stores.intervals, T0, start);
    const scheduler = new SimulatedScheduler(clock);
    const forecast = new ForecastService({
      clock,
      scheduler,
      log,
      intervals: stores.intervals,
      models: stores.models,
      runner: new InlineFitRunner(),
      sites,
      forecast: config.forecast,
      temperature: measured,
      weather: outdoor,
    });
    await forecast.start();
    await forecast.whenIdle();
    const f = forecast.forecastFor('site-a', 'gym', 'lighting');
    expect(f?.temperatureC.slice(0, 24)).toEqual(hourly.map((h) => h.temperatureC));
    // Beyond the published hours: the recent-days model of the sensor's 12 °C.
    expect(f?.temperatureC.slice(24).every((t) => t !== null && Math.abs(t - 12) < 1e-9)).toBe(true);

    // Garbage is counted and logged; the forecast in use stays.
    await publisher.publish(topic, 'sunny and warm', { qos: 1 });
    await publisher.publish(
      topic,
      JSON.stringify({ issuedAt: new Date(start).toISOString(), hourly: [{ ts: 'noon', temperatureC: 20 }] }),
      { qos: 1 },
    );
    await until(
      () => (taken()?.rejected['not-json'] === 1 && taken()?.rejected.invalid === 1 ? true : undefined),
      'two rejections',
    );
    expect(taken()?.accepted).toBe(1);
    expect(
      log.lines.filter((l) => l.level === 'warn' && /outdoor forecast rejected/.test(l.msg ?? '')),
    ).toHaveLength(2);
    const again = await outdoor.forecast('site-a', start, 24);
    expect(again.temperatureC).toEqual(hourly.map((h) => h.temperatureC));

    // A day later the published forecast is stale: the sensor history takes over, and the
    // published hours, now measured at 12 °C, are scored.
    clock.set(start + 26 * HOUR);
    const later = await outdoor.forecast('site-a', start + 26 * HOUR, 24);
    expect(later.source).toBe('recent-days');
    const s = taken();
    expect(s?.source).toBe('recent-days');
    const meanForecast = hourly.reduce((a, h) => a + h.temperatureC, 0) / hourly.length;
    expect(s?.errorBySource.topic?.hours).toBe(24);
    expect(s?.errorBySource.topic?.biasK).toBeCloseTo(meanForecast - 12, 9);
    expect(s?.errorBySource.topic?.maeK).toBeCloseTo(meanForecast - 12, 9);
    expect(log.lines.some((l) => l.level === 'warn' && /outdoor forecast stale/.test(l.msg ?? ''))).toBe(
      true,
    );

    await forecast.stop();
    await scheduler.stop();
    await outdoor.stop();
    await bus.stop();
    await publisher.publish(topic, '', { qos: 1, retain: true });
    await publisher.stop();
  });
});
