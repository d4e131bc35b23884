import type { Logger as PinoLogger } from 'pino';
import { registerWeb } from './adapters/http/web/register.js';
import { component, createApp } from './app.js';
import type { QuietWattConfig } from './config/schema/index.js';
import { startBanner } from './main/banner.js';
import { openBase } from './main/base.js';
import { logConfigWarnings, reloadSteps, wireConfigWatch } from './main/config-watch.js';
import { controlSetup, wireControl } from './main/control.js';
import { wireHomeAssistant } from './main/home-assistant.js';
import { tokensFileOf, wireHttp } from './main/http.js';
import { wireInbound } from './main/inbound.js';
import { wireInflux } from './main/influx.js';
import { wireModels } from './main/models.js';
import { wireMqtt } from './main/mqtt.js';
import { wireAlertsAndModes, wireCommands } from './main/operations.js';
import { latestMeasuredFigure } from './main/replay-outcome.js';
import { wireRetention } from './main/retention.js';
import { wireSavingsViews } from './main/savings-views.js';
import { wireSimulator } from './main/simulator.js';
import { timeComponents } from './main/time-base.js';
import type { Clock } from './ports/clock.js';
import type { CommandLogEntry, CommandLogQuery } from './ports/command-log.js';
import type { Component } from './ports/component.js';
import type { AlertReader, CommandHandler } from './ports/operations.js';
import type { ComfortView, SavingsView } from './ports/savings-view.js';
import type { ControlService } from './services/control/control-service.js';
import type { ForecastService } from './services/forecast/forecast-service.js';
import type { IngestService } from './services/ingest/ingest-service.js';
import type { RefusedReload } from './services/operations/reload-status.js';
import type { SpaceModes } from './services/operations/space-modes.js';
import type { SavingsLedgerService } from './services/savings/savings-ledger-service.js';
import type { SensorService } from './services/sensors/sensor-service.js';

export interface ServiceOptions {
  readonly config: Readonly<QuietWattConfig>;
  readonly configFile: string;
  /** The digest of the config file's text `config` was read from: the watcher starts from it. */
  readonly configFileDigest?: string;
  readonly rootLogger: PinoLogger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Wall-clock time; tests may pass their own. */
  readonly realNow?: () => number;
  /** Reload the config file on change (operators' edits take effect without a restart). */
  readonly watchConfig?: boolean;
  /** The root logger's time source: follows the service's clock unless that is the system clock. */
  readonly logTime?: { follow(now: () => number): void };
  /** Aborted by a stop request during start-up: what started is stopped and StartAborted thrown. */
  readonly signal?: AbortSignal;
}

export interface RunningService {
  readonly banner: string[];
  readonly ingest: IngestService;
  readonly sensors: SensorService;
  readonly forecast: ForecastService;
  readonly savings: SavingsLedgerService;
  readonly savingsView: SavingsView;
  readonly comfortView: ComfortView;
  /** Operator commands (set-mode, release, commission, ...), whatever the channel. */
  readonly commands: CommandHandler;
  readonly alerts: AlertReader;
  /** Where the HTTP API listens (`http://host:port`); undefined when `http.enabled` is false. */
  readonly httpUrl: string | undefined;
  /** Each space's mode and where it comes from (an operator's wins over the config file's). */
  readonly modes: SpaceModes;
  readonly recentCommands: (query: CommandLogQuery) => CommandLogEntry[];
  readonly lastRefusedReload: () => RefusedReload | undefined;
  /** Live device and space status. */
  readonly control: ControlService;
  readonly clock: Clock;
  stop(): Promise<void>;
}

/**
 * Composition root: the only place that knows the concrete adapters. Components start in the order
 * they are listed and stop in reverse: storage first and last, the HTTP API last and first.
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, rootLogger, env } = options;
  const { ctx, time } = await openBase({
    config,
    env,
    realNow: options.realNow ?? Date.now,
    log: rootLogger,
  });
  const { live, stores, clock, scheduler, log } = ctx;
  const db = ctx.storage.database.db;
  // Log lines about simulated hours carry those hours (and the wall time beside them).
  if (config.clock.source !== 'system') options.logTime?.follow(() => clock.now());
  logConfigWarnings(config, log.child({ component: 'config' }));
  const components: Component[] = [ctx.storage.component];

  // Operations, retention and the InfluxDB sink: before the services, so they stop after them.
  const ops = wireAlertsAndModes({
    ...ctx,
    config: live,
    configFile: options.configFile,
    db,
    settings: stores.settings,
  });
  const retention = wireRetention({
    db,
    clock,
    scheduler,
    log: log.child({ component: 'retention' }),
    policy: () => live.current().storage,
  });
  const influx = wireInflux({
    ...ctx,
    config: config.influx,
    db,
    sites: () => live.current().sites,
    alerts: ops.alerts,
  });
  components.push(...ops.components, retention, ...influx.components);

  // The broker, then readings in, forecasts and the ledger, then control.
  const mqtt = wireMqtt({ ...ctx, alerts: ops.alerts });
  const { bus } = mqtt;
  const inbound = wireInbound(ctx, influx, bus, ops.alerts);
  const modeOf = (siteId: string, spaceId: string) => ops.modes.modeOf(siteId, spaceId).mode;
  const models = wireModels(ctx, {
    sensorStore: inbound.sensorStore,
    bus,
    influx,
    alerts: ops.alerts,
    modeOf,
  });
  const savingsViews = wireSavingsViews({
    config,
    savings: models.savings,
    ...stores,
    sensors: inbound.sensorStore,
    audit: stores.setpointAudit,
  });
  const { control, components: controlComponents } = wireControl(ctx, {
    influx,
    bus,
    modes: ops.modes,
    alerts: ops.alerts,
    inbound,
    models,
  });
  components.push(...mqtt.components, ...inbound.components, ...models.components, ...controlComponents);
  if (time.replayOutcome) {
    const siteIds = config.sites.map((s) => s.id);
    time.replayOutcome.measured = () => latestMeasuredFigure(savingsViews.savingsView, siteIds, clock.now());
    ops.alerts.beginReplay();
    time.replayOutcome.alerts = () => ops.alerts.endReplay();
  }
  if (time.fastForward) {
    // The replay's switch from shadow to the configured modes: what a reload of the file does.
    time.fastForward.onActivate = async () => {
      live.commit(config);
      await control.reconfigure(controlSetup(config));
      savingsViews.reconfigure(config);
    };
  }

  // The ways operators and Home Assistant act on the service.
  const cmd = wireCommands({
    ...ctx,
    config: live,
    db,
    bus,
    control,
    modes: ops.modes,
    alerts: ops.alerts,
    meters: inbound.ingest,
    sensors: inbound.sensors,
    probeStore: () => stores.settings.set('health.storeProbe', String(clock.now())),
    settings: stores.settings,
  });
  const ha = wireHomeAssistant({
    ...ctx,
    bus,
    log: log.child({ component: 'home-assistant' }),
    commands: cmd.commands,
    control,
    modeOf,
    alerts: ops.alerts,
    intervals: stores.intervals,
    ledger: stores.ledger,
    audit: stores.setpointAudit,
  });
  components.push(...cmd.components, ...(ha ? [ha] : []));

  // The demo community, what drives simulated time, and live config.
  components.push(
    ...wireSimulator(ctx, mqtt, time.fastForward),
    ...timeComponents(time, bus, stores.settings),
  );
  if (options.watchConfig ?? true) {
    const steps = reloadSteps({
      live,
      ledger: stores.ledger,
      ...inbound,
      ...models,
      control,
      savingsViews,
      homeAssistant: ha,
    });
    components.push(
      wireConfigWatch({
        file: options.configFile,
        initial: config,
        ...(options.configFileDigest !== undefined ? { initialDigest: options.configFileDigest } : {}),
        live,
        reloads: ops.reloads,
        steps,
        log: log.child({ component: 'config' }),
      }),
    );
  }
  components.push(
    component(
      'scheduler',
      () => undefined,
      () => scheduler.stop(),
    ),
    // After every service has subscribed: a watcher of the status topic sees `online` only then.
    component(
      'mqtt-online',
      () => bus.announceOnline(),
      () => undefined,
    ),
  );

  // Last, so it starts after the services and stops first: no request meets a stopped service.
  const http = wireHttp({
    config,
    configFile: options.configFile,
    configInForce: () => live.current(),
    db,
    clock,
    log: log.child({ component: 'http' }),
    logger: rootLogger.child({ component: 'http' }),
    control,
    ingest: inbound.ingest,
    sensors: inbound.sensors,
    savings: savingsViews.savingsView,
    comfort: savingsViews.comfortView,
    commands: cmd.commands,
    recentCommands: cmd.recentCommands,
    alerts: ops.alerts,
    lastRefusedReload: () => ops.reloads.lastRefusedReload(),
    mqttConnected: () => bus.connected,
    fits: models.fitRunner,
    outdoorForecast: models.outdoorForecast,
    registerWeb,
  });
  if (http) components.push(http.component);

  const app = createApp(components, log);
  await app.start(options.signal);
  // Every service has subscribed: inbox rows that none claimed are on topics no longer configured.
  bus.settle();
  const banner = startBanner({
    config,
    configFile: options.configFile,
    broker: mqtt.describe,
    storagePath: ctx.storage.database.path,
    clock: time.describe,
    influx: influx.banner,
    http: http ? `${http.server.url()} (API tokens: ${tokensFileOf(config)})` : undefined,
  });
  return {
    banner,
    ingest: inbound.ingest,
    sensors: inbound.sensors,
    forecast: models.forecast,
    savings: models.savings,
    savingsView: savingsViews.savingsView,
    comfortView: savingsViews.comfortView,
    commands: cmd.commands,
    alerts: ops.alerts,
    httpUrl: http?.server.url(),
    modes: ops.modes,
    recentCommands: cmd.recentCommands,
    lastRefusedReload: () => ops.reloads.lastRefusedReload(),
    control,
    clock,
    stop: () => {
      // Nothing more is taken from the broker while the services stop and flush what they hold.
      bus.stopTaking();
      return app.stop();
    },
  };
}
