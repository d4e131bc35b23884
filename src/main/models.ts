import { TimedFitRunner } from '../adapters/http/timed-fit-runner.js';
import type { SqliteSensorStore } from '../adapters/sqlite/sensor-store.js';
import { WorkerFitRunner } from '../adapters/worker/worker-fit-runner.js';
import { component } from '../app.js';
import type { SpaceMode } from '../domain/control/space-mode.js';
import type { Component } from '../ports/component.js';
import type { MessageBus } from '../ports/message-bus.js';
import type { AlertSink } from '../ports/operations.js';
import { ForecastService } from '../services/forecast/forecast-service.js';
import type { OutdoorForecastService } from '../services/forecast/outdoor-forecast-service.js';
import { SavingsLedgerService } from '../services/savings/savings-ledger-service.js';
import type { WiringContext } from './context.js';
import type { InfluxWiring } from './influx.js';
import { wireOutdoorForecast } from './weather.js';

export interface ModelsWiring {
  readonly components: Component[];
  readonly fitRunner: TimedFitRunner;
  readonly forecast: ForecastService;
  /** The sites' outdoor temperature forecasts and their measured error. */
  readonly outdoorForecast: OutdoorForecastService;
  readonly savings: SavingsLedgerService;
}

/** Forecasts (outdoor temperature, then loads) and the savings ledger, whose model fits share one worker thread. */
export function wireModels(
  w: WiringContext,
  m: {
    readonly sensorStore: SqliteSensorStore;
    readonly bus: MessageBus;
    readonly influx: InfluxWiring;
    readonly alerts: AlertSink;
    readonly modeOf: (siteId: string, spaceId: string) => SpaceMode;
  },
): ModelsWiring {
  const { config, stores } = w;
  const { sensorStore } = m;
  // Fits run in a worker thread so ingest never waits for them; it closes after both users stop.
  const fitRunner = new TimedFitRunner(new WorkerFitRunner(w.log.child({ component: 'fit-worker' })));
  const fitWorker = component(
    'fit-worker',
    () => undefined,
    () => fitRunner.close(),
  );
  const temperature = (siteId: string, fromMs: number, toMs: number) =>
    sensorStore.outdoorTemperatureHourly(siteId, fromMs, toMs);
  const outdoor = wireOutdoorForecast(w, { bus: m.bus, sensorStore });
  const forecast = new ForecastService({
    clock: w.clock,
    scheduler: w.scheduler,
    log: w.log.child({ component: 'forecast' }),
    intervals: stores.intervals,
    models: stores.models,
    runner: fitRunner,
    sites: config.sites,
    forecast: config.forecast,
    temperature,
    occupancy: (siteId, spaceId, fromMs, toMs) =>
      sensorStore.occupancyFractionFor({ siteId, spaceId }, fromMs, toMs, 60),
    weather: outdoor.service,
    alerts: m.alerts,
  });
  // A newly published outdoor forecast goes into the load forecasts at once, not at the next hour.
  outdoor.onUpdate(() => forecast.requestRefresh());
  const savings = new SavingsLedgerService({
    clock: w.clock,
    scheduler: w.scheduler,
    log: w.log.child({ component: 'savings' }),
    intervals: stores.intervals,
    models: stores.models,
    ledger: m.influx.taps.ledger(stores.ledger),
    settings: stores.settings,
    runner: fitRunner,
    sites: config.sites,
    // The config in force: in shadow while a first demo start replays its weeks.
    control: w.live.current().control,
    tariffs: config.tariffs,
    savings: config.savings,
    forecast: config.forecast,
    temperature,
    schedules: config.schedules,
    modeOf: m.modeOf,
    alerts: m.alerts,
  });
  return {
    components: [fitWorker, outdoor.service, forecast, ...m.influx.forecasts(forecast), savings],
    fitRunner,
    forecast,
    outdoorForecast: outdoor.service,
    savings,
  };
}
